import { describe, expect, it } from 'vitest';
import { decodeJob } from './decode.js';
import { encodeTicket, formatIssuedAt, type Ticket, waitLines } from './ticket.js';

const hex = (s: string) => s.replace(/\s+/g, '');
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const base: Omit<Ticket, 'paper'> = {
  hallName: '一门政务服务大厅',
  serviceName: '社保业务',
  number: 'A023',
  peopleAhead: 5,
  estimatedWaitMinutes: 15,
  issuedAt: '2026-11-27T09:05:00+08:00',
  statusUrl: 'https://yimen.example/t/k7Qx9',
  footer: '过号请到咨询台重新排队',
};

// GB18030 text (independently produced with Python's gb18030 codec)
const HALL = 'd2bb c3c5 d5fe cef1 b7fe cef1 b4f3 ccfc'; // 一门政务服务大厅
const SERVICE = 'c9e7 b1a3 d2b5 cef1'; // 社保业务
const AHEAD = 'c7b0 c3e6 bbb9 d3d0 20 35 20 c8cb'; // 前面还有 5 人
const WAIT = 'd4a4 bcc6 b5c8 baf2 d4bc 20 3135 20 b7d6 d6d3'; // 预计等候约 15 分钟
const TIME = 'c8a1 bac5 cab1 bce4 20 323032362d31312d3237 20 30393a3035'; // 取号时间 2026-11-27 09:05
const FOOTER = 'b9fd bac5 c7eb b5bd d7c9 d1af cca8 d6d8 d0c2 c5c5 b6d3'; // 过号请到咨询台重新排队
const URL_HEX = '68747470733a2f2f79696d656e2e6578616d706c652f742f6b37517839'; // 29 bytes

const head = `
  1b40 1c26 1b6101
  1b4501 1d2111 ${HALL} 0a 1d2100 1b4500
  1d2111 ${SERVICE} 0a 1d2100 0a
  1b4501 1d2177 41303233 0a 1d2100 1b4500 0a`;
const qr = (moduleSize: string) => `
  1d286b 0400 31 41 32 00
  1d286b 0300 31 43 ${moduleSize}
  1d286b 0300 31 45 31
  1d286b 2000 31 50 30 ${URL_HEX}
  1d286b 0300 31 51 30 0a`;
const tail = `${FOOTER} 0a 1b6404 1d564200`;

describe('the queue lines', () => {
  it('say there is no wait only when nobody is ahead and a window is free; else the count and the minutes', () => {
    expect(waitLines(0, 0, 32)).toEqual(['无需等候，请留意叫号']); // 58 mm: 32 columns
    // Nobody ahead but every window busy: the wait is real (80 mm: 48 columns, one line).
    expect(waitLines(0, 4, 48)).toEqual(['前面还有 0 人 · 预计等候约 4 分钟']);
    expect(waitLines(12, 35, 48)).toEqual(['前面还有 12 人 · 预计等候约 35 分钟']);
    // 58 mm: two lines.
    expect(waitLines(12, 35, 32)).toEqual(['前面还有 12 人', '预计等候约 35 分钟']);
    // No estimate (no window may call it): the count alone, never "no wait"; nothing known: no line.
    expect(waitLines(3, null, 48)).toEqual(['前面还有 3 人']);
    expect(waitLines(0, null, 48)).toEqual(['前面还有 0 人']);
    expect(waitLines(null, null, 48)).toEqual([]);
    // Someone ahead, under a minute: never "about 0 minutes"; long waits in hours and minutes.
    expect(waitLines(1, 0, 48)).toEqual(['前面还有 1 人 · 预计等候约 1 分钟']);
    expect(waitLines(0, 8, 48)).toEqual(['前面还有 0 人 · 预计等候约 8 分钟']);
    expect(waitLines(40, 75, 48)).toEqual(['前面还有 40 人 · 预计等候约 1 小时 15 分钟']);
  });
});

describe('encodeTicket golden bytes', () => {
  it('58 mm', () => {
    const expected = `${head}
      ${AHEAD} 0a
      ${WAIT} 0a
      ${TIME} 0a 0a
      ${qr('06')}
      ${tail}`;
    expect(toHex(encodeTicket({ ...base, paper: 58 }))).toBe(hex(expected));
  });

  it('80 mm', () => {
    const expected = `${head}
      ${AHEAD} 20 a1a4 20 ${WAIT} 0a
      ${TIME} 0a 0a
      ${qr('08')}
      ${tail}`;
    expect(toHex(encodeTicket({ ...base, paper: 80 }))).toBe(hex(expected));
  });

  it('encodes characters outside GBK with gb18030 four-byte sequences, never "?"', () => {
    const bytes = encodeTicket({ ...base, hallName: '𠀀门大厅', paper: 58 });
    const h = toHex(bytes);
    expect(h).toContain('95328236c3c5b4f3ccfc');
    expect(decodeJob(bytes).lines[0]?.text).toBe('𠀀门大厅');
    expect(Buffer.from(bytes).includes(0x3f)).toBe(false);
  });

  it('shrinks the number to fit 58 mm and wraps long hall names', () => {
    const job = decodeJob(
      encodeTicket({ ...base, number: 'VIP0123', hallName: '某某市某某区政务服务中心综合受理大厅', paper: 58 }),
    );
    const num = job.lines.find((l) => l.text === 'VIP0123');
    expect(num).toMatchObject({ width: 4, height: 4, bold: true });
    for (const l of job.lines) expect(colsOf(l.text) * l.width).toBeLessThanOrEqual(32);
  });

  it('formats the time of issue in UTC+8', () => {
    expect(formatIssuedAt('2026-11-27T01:05:00Z')).toBe('2026-11-27 09:05');
    expect(formatIssuedAt('2026-12-31T23:59:59+08:00')).toBe('2026-12-31 23:59');
    expect(() => formatIssuedAt('not a date')).toThrow(RangeError);
  });
});

function colsOf(s: string): number {
  let n = 0;
  for (const ch of s) n += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return n;
}
