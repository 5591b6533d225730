import { describe, expect, it } from 'vitest';
import { buildIndex, matchAt, normalizeQuery, prepare, searchServices } from './search.js';

const SERVICES = [
  { id: 'bdc', name: '不动产登记', department: '不动产登记管理局' },
  { id: 'sbk', name: '社保卡申领', department: '人社局' },
  { id: 'jy', name: '就业登记', department: '人社局' },
  { id: 'gs', name: '企业设立登记', department: '市场监管局' },
  { id: 'xf', name: '公众聚集场所消防安全检查', department: '消防救援大队' },
  { id: 'lh', name: '绿化许可', department: '城管局' },
  { id: 'etc', name: 'ETC 办理', department: '交通运输局' },
];
const index = buildIndex(SERVICES);
const ids = (q: string) => searchServices(index, q).map((s) => s.id);

describe('search', () => {
  it('finds by Chinese name, anywhere in it', () => {
    expect(ids('不动产')).toEqual(['bdc']);
    // the earlier in the name, the better: 就业登记 (2), 不动产登记 (3), 企业设立登记 (4)
    expect(ids('登记')).toEqual(['jy', 'bdc', 'gs']);
    expect(ids('消防')).toEqual(['xf']);
  });

  it('finds by pinyin initials', () => {
    expect(ids('bdc')).toEqual(['bdc']);
    expect(ids('sb')).toEqual(['sbk']);
    expect(ids('jydj')).toEqual(['jy']);
    expect(ids('xfaq')).toEqual(['xf']);
  });

  it('finds by full pinyin and by a mix of full syllables and initials', () => {
    expect(ids('budongchan')).toEqual(['bdc']);
    expect(ids('shebao')).toEqual(['sbk']);
    expect(ids('budc')).toEqual(['bdc']);
    expect(ids('shebaok')).toEqual(['sbk']);
  });

  it('finds by a mix of Chinese characters and pinyin', () => {
    expect(ids('不dc')).toEqual(['bdc']);
    expect(ids('bu动产')).toEqual(['bdc']);
    expect(ids('社b')).toEqual(['sbk']);
  });

  it('ignores case, spaces and full-width letters', () => {
    expect(ids('B D C')).toEqual(['bdc']);
    expect(ids('ＢＤＣ')).toEqual(['bdc']);
    expect(ids('etc')).toEqual(['etc']);
  });

  it('matches the department too, after the names', () => {
    // 人社局: rsj; 就业登记 and 社保卡申领 are both of it
    expect(ids('rsj')).toEqual(['sbk', 'jy']);
    // 市场监管局 (department of 企业设立登记)
    expect(ids('scjg')).toEqual(['gs']);
  });

  it('ranks a match at the start of a name first', () => {
    expect(ids('dj')).toEqual(['jy', 'bdc', 'gs']);
    // the same place: the hall's order
    expect(ids('dengji')).toEqual(['jy', 'bdc', 'gs']);
    // s: 社保卡申领 starts with s; 企业设立登记 has 设 inside; 公众聚集场所消防安全检查 has 所 inside
    expect(ids('s')[0]).toBe('sbk');
  });

  it('handles ü typed as v or u, and heteronyms', () => {
    expect(ids('lvh')).toEqual(['lh']);
    expect(ids('luh')).toEqual(['lh']);
    // 场 chang; 所 suo
    expect(ids('changsuo')).toEqual(['xf']);
  });

  it('needs consecutive characters and finds nothing for nonsense or an empty query', () => {
    expect(ids('bdj')).toEqual([]);
    expect(ids('zzzz')).toEqual([]);
    expect(ids('')).toEqual([]);
    expect(ids('   ')).toEqual([]);
  });

  it('matchAt says where the match begins', () => {
    expect(matchAt(prepare('企业设立登记'), 'dj')).toBe(4);
    expect(matchAt(prepare('企业设立登记'), 'qy')).toBe(0);
    expect(matchAt(prepare('企业设立登记'), 'xyz')).toBe(-1);
    expect(normalizeQuery(" Xi'an ")).toBe('xian');
  });
});
