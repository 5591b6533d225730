import { describe, expect, it } from 'vitest';
import { pinyinInitials } from './pinyin.js';

describe('pinyinInitials', () => {
  it('gives the initials of service and department names', () => {
    expect(pinyinInitials('就业登记')).toBe('JYDJ');
    expect(pinyinInitials('社会救助申请')).toBe('SHJZSQ');
    expect(pinyinInitials('不动产登记')).toBe('BDCDJ');
    expect(pinyinInitials('出入境')).toBe('CRJ');
    expect(pinyinInitials('公积金')).toBe('GJJ');
    expect(pinyinInitials('国土资源局')).toBe('GTZYJ');
    expect(pinyinInitials('婚姻登记')).toBe('HYDJ');
  });
  it('keeps letters and digits, drops punctuation', () => {
    expect(pinyinInitials('5号不动产窗口')).toBe('5HBDCCK');
    expect(pinyinInitials('A·b（综合）')).toBe('ABZH');
  });
});
