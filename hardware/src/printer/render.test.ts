import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BinaryBitmap, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { decodeJob } from './decode.js';
import { EscPosBuilder } from './escpos.js';
import { CELL_HEIGHT, LINE_SPACING, MARGIN, renderJob, resolveFontPath } from './render.js';
import { encodeTicket, type Ticket } from './ticket.js';

const SCREENS = fileURLToPath(new URL('../../../test-results/screens/', import.meta.url));

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

interface Bitmap {
  width: number;
  height: number;
  /** true = printed dot */
  dark: (x: number, y: number) => boolean;
  luminance: Uint8ClampedArray;
}

function readPng(png: Buffer): Bitmap {
  const img = PNG.sync.read(png);
  const luminance = new Uint8ClampedArray(img.width * img.height);
  for (let k = 0; k < luminance.length; k++) {
    const r = img.data[k * 4] ?? 255;
    const g = img.data[k * 4 + 1] ?? 255;
    const b = img.data[k * 4 + 2] ?? 255;
    luminance[k] = (r * 299 + g * 587 + b * 114) / 1000;
  }
  return {
    width: img.width,
    height: img.height,
    luminance,
    dark: (x, y) => (luminance[y * img.width + x] ?? 255) < 128,
  };
}

function readQr(bmp: Bitmap): string {
  const source = new RGBLuminanceSource(bmp.luminance, bmp.width, bmp.height);
  const hints = new Map([[DecodeHintType.TRY_HARDER, true]]);
  return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), hints).getText();
}

function countDark(bmp: Bitmap, x0: number, y0: number, x1: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (bmp.dark(x, y)) n++;
  return n;
}

/** Bounding box of the printed dots in rows [y0, y1). */
function inkBox(bmp: Bitmap, y0: number, y1: number) {
  let left = bmp.width;
  let right = -1;
  let top = y1;
  let bottom = -1;
  for (let y = y0; y < y1; y++) {
    for (let x = 0; x < bmp.width; x++) {
      if (!bmp.dark(x, y)) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return { left, right, top, bottom, width: right - left + 1, height: bottom - top + 1 };
}

/** Rows [from, to) of the QR: the first run of rows whose ink is exactly the QR's width. */
function qrRows(bmp: Bitmap, job: ReturnType<typeof decodeJob>, paper: 58 | 80): { y0: number; y1: number } {
  // Layout of the lines above the QR: 30 dots per line, 24 × height for magnified text.
  let y = MARGIN;
  for (const line of job.lines) {
    if (line.qr !== undefined) {
      const modules = qrModules(line.qr, line.qrErrorLevel ?? 'L');
      return { y0: y, y1: y + modules * (line.qrModuleSize ?? 3) };
    }
    y += line.text === '' ? LINE_SPACING : Math.max(LINE_SPACING, CELL_HEIGHT * line.height);
  }
  throw new Error(`no QR in the ${paper} mm job (${bmp.width} wide)`);
}

/** Modules per side of the symbol the printer makes for these bytes (byte mode, smallest version). */
function qrModules(data: string, level: 'L' | 'M' | 'Q' | 'H'): number {
  return QRCode.create([{ data: Buffer.from(data, 'utf8'), mode: 'byte' }], { errorCorrectionLevel: level }).modules.size;
}

async function save(name: string, png: Buffer): Promise<void> {
  mkdirSync(SCREENS, { recursive: true });
  writeFileSync(`${SCREENS}${name}`, png);
}

describe.each([
  { paper: 80 as const, width: 576, moduleSize: 8 },
  { paper: 58 as const, width: 384, moduleSize: 6 },
])('a $paper mm ticket rendered as printed', ({ paper, width, moduleSize }) => {
  const bytes = encodeTicket({ ...base, paper });
  const job = decodeJob(bytes);

  it('is the printable width, of a plausible length, and its QR reads back as the status URL', async () => {
    const png = await renderJob(bytes, { paper });
    await save(`printed-ticket-${paper}mm.png`, png);
    const bmp = readPng(png);
    expect(bmp.width).toBe(width);
    // ≈ 11–14 lines, the 192-dot number and the QR: between 10 and 16 cm of paper
    expect(bmp.height).toBeGreaterThan(800);
    expect(bmp.height).toBeLessThan(1300);
    expect(readQr(bmp)).toBe(base.statusUrl);
  });

  it('draws the QR at the module size and error level of the job, square and centred', async () => {
    const qrLine = job.lines.find((l) => l.qr !== undefined);
    expect(qrLine).toMatchObject({ qr: base.statusUrl, qrModuleSize: moduleSize, qrErrorLevel: 'M' });
    const bmp = readPng(await renderJob(job, { paper }));
    const { y0, y1 } = qrRows(bmp, job, paper);
    const box = inkBox(bmp, y0, y1);
    const modules = qrModules(base.statusUrl, 'M');
    expect(box.width).toBe(modules * moduleSize);
    expect(box.height).toBe(modules * moduleSize);
    expect(box.top).toBe(y0);
    expect(box.left).toBe(Math.floor((width - box.width) / 2));
    // crisp: every dot is black or white
    expect(bmp.luminance.every((l) => l === 0 || l === 255)).toBe(true);
  });

  it('prints the number huge (8× magnification), in bold, centred', async () => {
    const bmp = readPng(await renderJob(job, { paper }));
    const numIndex = job.lines.findIndex((l) => l.text === base.number);
    expect(job.lines[numIndex]).toMatchObject({ width: 8, height: 8, bold: true });
    let y = MARGIN;
    for (const line of job.lines.slice(0, numIndex)) y += Math.max(LINE_SPACING, CELL_HEIGHT * line.height);
    const band = inkBox(bmp, y, y + CELL_HEIGHT * 8);
    expect(band.height).toBeGreaterThanOrEqual(8 * 15); // capitals and digits ~17 dots tall at 1×
    expect(band.width).toBeGreaterThan(300); // 4 columns × 12 × 8 = 384 dots of cells
    const inkRatio = countDark(bmp, band.left, band.top, band.right + 1, band.bottom + 1) / (band.width * band.height);
    expect(inkRatio).toBeGreaterThan(0.15);
    expect(Math.abs(band.left + band.right + 1 - width)).toBeLessThanOrEqual(24); // centred
  });

  it('ends with the cut line, nothing printed past the right edge', async () => {
    const bmp = readPng(await renderJob(job, { paper }));
    const cutRow = bmp.height - MARGIN - 1;
    const dashes = countDark(bmp, 0, cutRow - 1, width, cutRow + 1);
    expect(dashes).toBeGreaterThan(width / 2); // 8 of every 16 dots, 2 rows
    expect(countDark(bmp, 0, cutRow + 2, width, bmp.height)).toBe(0);
  });
});

/** The dots of the first character cell of a one-line job. */
async function firstCell(text: string, opts: { bold?: boolean } = {}): Promise<boolean[]> {
  const bytes = new EscPosBuilder()
    .init()
    .chineseMode()
    .bold(opts.bold ?? false)
    .line(text)
    .cut()
    .build();
  const bmp = readPng(await renderJob(bytes, { paper: 58 }));
  const dots: boolean[] = [];
  for (let y = MARGIN; y < MARGIN + CELL_HEIGHT; y++) for (let x = 0; x < 24; x++) dots.push(bmp.dark(x, y));
  return dots;
}
const ink = (dots: boolean[]) => dots.filter(Boolean).length;

describe('characters', () => {
  it('prints characters outside GBK through GB18030: 𠮷 (4 bytes) and 䶮 (FE9F), never as "?"', async () => {
    const bytes = encodeTicket({ ...base, hallName: '𠮷䶮大厅', paper: 58 });
    const buf = Buffer.from(bytes);
    expect(buf.includes(Buffer.from('9534b235', 'hex'))).toBe(true); // 𠮷 U+20BB7
    expect(buf.includes(Buffer.from('fe9f', 'hex'))).toBe(true); // 䶮 U+4DAE
    expect(buf.includes(0x3f)).toBe(false);
    expect(decodeJob(bytes).lines[0]?.text).toBe('𠮷䶮大厅');

    const question = await firstCell('?');
    const missing = await firstCell('\u{10FFFD}'); // no font has it: the printer's box
    const yan = await firstCell('䶮');
    expect(ink(yan)).toBeGreaterThan(60);
    expect(yan).not.toEqual(question);
    expect(yan).not.toEqual(missing);
    // 𠮷 is drawn from a font that has it, or as the box: either way a full-width mark, not '?'
    const ji = await firstCell('𠮷');
    expect(ink(ji)).toBeGreaterThan(30);
    expect(ji).not.toEqual(question);
    expect(ji.slice(0, 24 * 12)).not.toEqual(question.slice(0, 24 * 12));
  });

  it('prints Chinese text as glyphs and emphasis thicker', async () => {
    const plain = await firstCell('门');
    const bold = await firstCell('门', { bold: true });
    expect(ink(plain)).toBeGreaterThan(30);
    expect(ink(bold)).toBeGreaterThan(ink(plain));
  });

  it('wraps a line longer than the paper instead of cutting it off at the right edge', async () => {
    const text = '一二三四五六七八九十一二三四五六七八九十'; // 20 × 24 = 480 dots > 384
    const bytes = new EscPosBuilder().init().chineseMode().line(text).cut().build();
    const bmp = readPng(await renderJob(bytes, { paper: 58 }));
    expect(bmp.width).toBe(384);
    const first = inkBox(bmp, MARGIN, MARGIN + LINE_SPACING);
    const second = inkBox(bmp, MARGIN + LINE_SPACING, MARGIN + 2 * LINE_SPACING);
    expect(first.right).toBeGreaterThan(360); // 16 characters fill the line
    expect(second.width).toBeGreaterThan(3 * 24); // the other 4 on the next
    expect(second.right).toBeLessThan(4 * 24);
  });

  it('aligns right and centre in dots', async () => {
    const bytes = new EscPosBuilder().init().align('right').line('AB').align('center').line('AB').cut().build();
    const bmp = readPng(await renderJob(bytes, { paper: 80 }));
    const right = inkBox(bmp, MARGIN, MARGIN + LINE_SPACING);
    const centre = inkBox(bmp, MARGIN + LINE_SPACING, MARGIN + 2 * LINE_SPACING);
    expect(right.right).toBeGreaterThan(576 - 4);
    expect(right.left).toBeGreaterThanOrEqual(576 - 24);
    expect(centre.left).toBeGreaterThanOrEqual(288 - 12);
    expect(centre.right).toBeLessThan(288 + 12);
  });
});

describe('QR settings and the job as received', () => {
  it('records the printer defaults (3 dots, level L) and resets them on ESC @', () => {
    const withSettings = new EscPosBuilder().init().qr('x', { moduleSize: 4, errorLevel: 'H' }).build();
    const bare = Buffer.from('1d286b0700315030796d656e1d286b0300315130', 'hex'); // store "ymen", print
    const job = decodeJob(Buffer.concat([withSettings, bare, Buffer.from('1b40', 'hex'), bare]));
    expect(job.lines.filter((l) => l.qr !== undefined).map((l) => [l.qr, l.qrModuleSize, l.qrErrorLevel])).toEqual([
      ['x', 4, 'H'],
      ['ymen', 4, 'H'],
      ['ymen', 3, 'L'],
    ]);
  });

  it('draws a QR at another module size and level, and it reads back', async () => {
    const url = 'https://yimen.example/t/another-ticket-0042';
    const bytes = new EscPosBuilder().init().align('left').qr(url, { moduleSize: 4, errorLevel: 'H' }).feed(1).cut().build();
    const bmp = readPng(await renderJob(bytes, { paper: 58 }));
    const modules = qrModules(url, 'H');
    const box = inkBox(bmp, MARGIN, bmp.height);
    expect(box.left).toBe(0);
    expect(box.top).toBe(MARGIN);
    expect(box.height).toBeGreaterThanOrEqual(modules * 4); // the QR, then the dashes of the cut
    expect(inkBox(bmp, MARGIN, MARGIN + modules * 4).width).toBe(modules * 4);
    expect(readQr(bmp)).toBe(url);
  });

  it('draws no cut line for a job that never got its cut', async () => {
    const bytes = new EscPosBuilder().init().line('未完').build();
    const bmp = readPng(await renderJob(bytes, { paper: 58 }));
    expect(bmp.height).toBe(MARGIN + LINE_SPACING + MARGIN);
    expect(countDark(bmp, 0, MARGIN + LINE_SPACING, 384, bmp.height)).toBe(0);
  });

  it('names the missing font clearly', async () => {
    await expect(resolveFontPath('/nonexistent/font.ttc')).rejects.toThrow(/printer font not found: \/nonexistent/);
    await expect(renderJob([], { paper: 58, fontPath: '/nonexistent/font.ttc' })).rejects.toThrow(/font/);
  });
});
