/** Sample ID cards for tests and simulators: made-up people with valid GB 11643 numbers. */
import type { IdCardText } from '../id-card/codec.js';

/** 张三, born 1949-12-31: 76 on 2026-11-30, elderly at any hall setting up to 76. */
export const SAMPLE_ELDER: IdCardText = {
  cardType: 'resident',
  name: '张三',
  sex: '2',
  nation: '01',
  birthDate: '19491231',
  address: '北京市朝阳区测试路1号',
  idNumber: '11010519491231002X',
  authority: '北京市公安局朝阳分局',
  validFrom: '20200101',
  validTo: '长期',
};

/** 欧阳娜娜, born 1995-06-15: no priority. */
export const SAMPLE_YOUNG: IdCardText = {
  ...SAMPLE_ELDER,
  name: '欧阳娜娜',
  birthDate: '19950615',
  idNumber: '110105199506150027',
};
