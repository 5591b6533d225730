/**
 * GB2312 (EUC-CN) text for LED controllers whose font ROM holds GB2312 only (Onbon 字库卡, CP5200).
 *
 * iconv-lite's "gb2312" is really GBK (cp936): it happily encodes 們, ⅰ or € into bytes the controller has no
 * glyph for. So every character is encoded with cp936 and then checked against the cells GB2312 defines
 * (rows 1–9 symbols, 16–55 level-1 hanzi, 56–87 level-2 hanzi); anything else is refused with SCREEN_BAD_TEXT.
 */
import iconv from 'iconv-lite';
import { ScreenError } from '../screens/window-screen.js';

/** Defined trail-byte ranges (inclusive) of each GB2312 symbol row; hanzi rows are handled in isGb2312Cell. */
const SYMBOL_ROWS: Record<number, readonly (readonly [number, number])[]> = {
  161: [[0xa1, 0xfe]],
  162: [
    [0xb1, 0xe2],
    [0xe5, 0xee],
    [0xf1, 0xfc],
  ],
  163: [[0xa1, 0xfe]],
  164: [[0xa1, 0xf3]],
  165: [[0xa1, 0xf6]],
  166: [
    [0xa1, 0xb8],
    [0xc1, 0xd8],
  ],
  167: [
    [0xa1, 0xc1],
    [0xd1, 0xf1],
  ],
  168: [
    [0xa1, 0xba],
    [0xc5, 0xe9],
  ],
  169: [[0xa4, 0xef]],
};

/** Whether the two bytes are a character GB2312 defines (not merely a GBK one). */
export function isGb2312Cell(lead: number, trail: number): boolean {
  if (trail < 0xa1 || trail > 0xfe) return false;
  if (lead >= 0xb0 && lead <= 0xf7) return lead !== 0xd7 || trail <= 0xf9;
  const ranges = SYMBOL_ROWS[lead];
  return ranges?.some(([lo, hi]) => trail >= lo && trail <= hi) ?? false;
}

export interface Gb2312Options {
  /** Byte sent for a line break (\n, \r\n or \r); line breaks are refused when unset. */
  newline?: number;
}

/**
 * Encodes text as GB2312: printable ASCII as itself, everything else as a two-byte GB2312 cell.
 * Throws ScreenError SCREEN_BAD_TEXT naming the first character the screen could not show.
 */
export function encodeGb2312(text: string, options: Gb2312Options = {}): Buffer {
  const out: number[] = [];
  const normalised = options.newline === undefined ? text : text.replace(/\r\n?/g, '\n');
  for (const ch of normalised) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0x20 && cp <= 0x7e) {
      out.push(cp);
      continue;
    }
    if (ch === '\n' && options.newline !== undefined) {
      out.push(options.newline);
      continue;
    }
    const bytes = cp > 0x7f ? iconv.encode(ch, 'gb2312') : Buffer.alloc(0);
    const lead = bytes[0];
    const trail = bytes[1];
    if (
      bytes.length !== 2 ||
      lead === undefined ||
      trail === undefined ||
      !isGb2312Cell(lead, trail) ||
      iconv.decode(bytes, 'gb2312') !== ch
    ) {
      throw new ScreenError('SCREEN_BAD_TEXT', `${describe(ch)} is not in GB2312: the screen has no glyph for it`, ch);
    }
    out.push(lead, trail);
  }
  return Buffer.from(out);
}

/** Decodes GB2312 bytes (what a simulator received); `newline` bytes become \n. */
export function decodeGb2312(bytes: Uint8Array, options: Gb2312Options = {}): string {
  const text = iconv.decode(Buffer.from(bytes), 'gb2312');
  if (options.newline === undefined) return text;
  return text.split(String.fromCharCode(options.newline)).join('\n');
}

function describe(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  const u = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return cp < 0x20 || cp === 0x7f ? `control character ${u}` : `"${ch}" (${u})`;
}
