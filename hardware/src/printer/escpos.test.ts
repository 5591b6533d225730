import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { commandLength, decodeJob } from './decode.js';
import { EscPosBuilder, encodeText, textColumns, wrapText } from './escpos.js';

const h = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b = () => new EscPosBuilder();

describe('EscPosBuilder command bytes', () => {
  it('emits the exact ESC/POS commands', () => {
    expect(h(b().init().build())).toBe('1b40');
    expect(h(b().chineseMode().build())).toBe('1c26');
    expect(h(b().cancelChineseMode().build())).toBe('1c2e');
    expect(h(b().align('left').align('center').align('right').build())).toBe('1b61001b61011b6102');
    expect(h(b().size(1, 1).size(2, 2).size(8, 8).size(2, 1).build())).toBe('1d21001d21111d21771d2110');
    expect(h(b().bold(true).bold(false).build())).toBe('1b45011b4500');
    expect(h(b().feed(2).feedLines(3).build())).toBe('0a0a1b6403');
    expect(h(b().cut().cut(80).build())).toBe('1d5642001d564250');
    expect(h(b().line('中文').build())).toBe('d6d0cec40a');
  });

  it('rejects sizes outside 1..8', () => {
    expect(() => b().size(0, 1)).toThrow(RangeError);
    expect(() => b().size(1, 9)).toThrow(RangeError);
  });

  it('stores and prints a QR code through GS ( k', () => {
    expect(h(b().qr('AB', { moduleSize: 5, errorLevel: 'H' }).build())).toBe(
      '1d286b0400314132001d286b03003143051d286b03003145331d286b0500315030' + '4142' + '1d286b0300315130',
    );
    // pL pH for a payload longer than 252 bytes
    const long = 'x'.repeat(300);
    const bytes = b().qr(long).build();
    expect(h(bytes.subarray(25, 33))).toBe('1d286b2f01315030');
    expect(decodeJob(bytes).qrCodes).toEqual([long]);
  });

  it('encodes text as GB18030: 𠀀 (U+20000) is 95 32 82 36, not "?"', () => {
    expect(h(encodeText('𠀀'))).toBe('95328236');
    expect(h(encodeText('€'))).toBe('a2e3');
  });

  it('round-trips any Unicode text through GB18030', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const text = Array.from(s)
          .filter((ch) => (ch.codePointAt(0) ?? 0) >= 0x20)
          .join('');
        const job = decodeJob(b().line(text).build());
        expect(job.lines.map((l) => l.text)).toEqual([text]);
        expect(iconv.decode(Buffer.from(encodeText(text)), 'gb18030')).toBe(text);
      }),
    );
  });

  it('counts columns and wraps without splitting characters', () => {
    expect(textColumns('A023')).toBe(4);
    expect(textColumns('前面还有 5 人')).toBe(13);
    expect(textColumns('𠀀')).toBe(2);
    expect(wrapText('过号请到咨询台重新排队', 16)).toEqual(['过号请到咨询台重', '新排队']);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 2, max: 48 }), (s, cols) => {
        const lines = wrapText(s, cols);
        expect(lines.join('')).toBe(s);
        for (const l of lines) expect(textColumns(l)).toBeLessThanOrEqual(cols);
      }),
    );
  });

  it('commandLength reports incomplete commands as 0', () => {
    const qr = b().qr('hello').build();
    for (let cut = 1; cut < 9; cut++) expect(commandLength(qr.subarray(0, cut), 0)).toBe(0);
    expect(commandLength(qr, 0)).toBe(9);
    expect(commandLength(Uint8Array.of(0x1d, 0x56, 0x42), 0)).toBe(0);
    expect(commandLength(Uint8Array.of(0x1d, 0x56, 0x42, 0), 0)).toBe(4);
    expect(commandLength(Uint8Array.of(0x1d, 0x56, 0x01), 0)).toBe(3);
  });
});
