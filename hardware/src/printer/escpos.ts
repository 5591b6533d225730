import iconv from 'iconv-lite';

/** ESC/POS command bytes (exact per the Epson ESC/POS reference). */
export const ESC = 0x1b;
export const FS = 0x1c;
export const GS = 0x1d;
export const DLE = 0x10;
export const EOT = 0x04;
export const LF = 0x0a;

export type Align = 'left' | 'center' | 'right';
const ALIGN_CODE: Record<Align, number> = { left: 0, center: 1, right: 2 };

/** QR error correction levels for GS ( k function 169. */
export type QrErrorLevel = 'L' | 'M' | 'Q' | 'H';
const QR_EC_CODE: Record<QrErrorLevel, number> = { L: 0x30, M: 0x31, Q: 0x32, H: 0x33 };

/** Encodes Unicode text as GB18030 (covers all of Unicode; never '?'). */
export function encodeText(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'gb18030'));
}

/** Printed width in columns: ASCII (and other single-byte) = 1, everything else (CJK, GB18030 multibyte) = 2. */
export function textColumns(text: string): number {
  let cols = 0;
  for (const ch of text) cols += (ch.codePointAt(0) ?? 0) < 0x80 ? 1 : 2;
  return cols;
}

/** Splits text into lines of at most `cols` columns (never splits a character). */
export function wrapText(text: string, cols: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const ch of text) {
    const w = textColumns(ch);
    if (width + w > cols && line !== '') {
      lines.push(line);
      line = '';
      width = 0;
    }
    line += ch;
    width += w;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** A small pure ESC/POS byte builder. */
export class EscPosBuilder {
  private readonly parts: number[] = [];

  private push(...bytes: number[]): this {
    for (const b of bytes) this.parts.push(b & 0xff);
    return this;
  }

  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.parts.push((bytes[i] ?? 0) & 0xff);
    return this;
  }

  /** ESC @ — initialise printer. */
  init(): this {
    return this.push(ESC, 0x40);
  }

  /** FS & — select Chinese character mode. */
  chineseMode(): this {
    return this.push(FS, 0x26);
  }

  /** FS . — cancel Chinese character mode. */
  cancelChineseMode(): this {
    return this.push(FS, 0x2e);
  }

  /** ESC a n — justification. */
  align(align: Align): this {
    return this.push(ESC, 0x61, ALIGN_CODE[align]);
  }

  /** GS ! n — character size; width and height are magnifications 1..8. */
  size(width: number, height: number): this {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || width > 8 || height < 1 || height > 8) {
      throw new RangeError(`character size must be 1..8, got ${width}x${height}`);
    }
    return this.push(GS, 0x21, ((width - 1) << 4) | (height - 1));
  }

  /** ESC E n — emphasized (bold) on/off. */
  bold(on: boolean): this {
    return this.push(ESC, 0x45, on ? 1 : 0);
  }

  /** Text encoded as GB18030 (no line feed). */
  text(text: string): this {
    return this.raw(encodeText(text));
  }

  /** Text followed by LF. */
  line(text = ''): this {
    return this.text(text).push(LF);
  }

  /** LF × n. */
  feed(lines = 1): this {
    for (let i = 0; i < lines; i++) this.push(LF);
    return this;
  }

  /** ESC d n — print and feed n lines. */
  feedLines(n: number): this {
    return this.push(ESC, 0x64, n);
  }

  /**
   * QR code through GS ( k: model 2 (fn 165), module size (fn 167), error level (fn 169),
   * store data (fn 180), print (fn 181).
   */
  qr(data: string, opts: { moduleSize?: number; errorLevel?: QrErrorLevel } = {}): this {
    const moduleSize = opts.moduleSize ?? 6;
    if (!Number.isInteger(moduleSize) || moduleSize < 1 || moduleSize > 16) throw new RangeError('QR module size must be 1..16');
    const payload = Buffer.from(data, 'utf8');
    const len = payload.length + 3;
    if (len > 7092) throw new RangeError('QR data too long');
    this.push(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00); // fn 165: model 2
    this.push(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, moduleSize); // fn 167: module size
    this.push(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_EC_CODE[opts.errorLevel ?? 'M']); // fn 169: error level
    this.push(GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30); // fn 180: store
    this.raw(payload);
    return this.push(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30); // fn 181: print
  }

  /** GS V 66 n — feed n dots and partial cut. */
  cut(feedDots = 0): this {
    return this.push(GS, 0x56, 0x42, feedDots);
  }

  build(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
