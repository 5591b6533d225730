import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { type Canvas, createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import QRCode from 'qrcode';
import { type DecodedJob, decodeJob, type PrintedLine } from './decode.js';
import { textColumns } from './escpos.js';
import type { PaperWidth } from './ticket.js';

/** Printable width in dots of a 203-dpi thermal head: 48 mm (58 mm paper) or 72 mm (80 mm paper). */
export function paperDots(paper: PaperWidth): number {
  return paper === 58 ? 384 : 576;
}

/** Font A: one ASCII column is 12×24 dots; a CJK (double-width) character is 24×24. */
export const CELL_WIDTH = 12;
export const CELL_HEIGHT = 24;
/** Default line spacing (ESC 2): 30 dots ≈ 3.75 mm. */
export const LINE_SPACING = 30;
/** White paper above the first line and below the cut line, in dots. */
export const MARGIN = 24;
/** Longest strip drawn (≈ 4 m of paper); a longer job is cut off with a marker. */
const MAX_CONTENT_DOTS = 32_000;
/** Baseline of the font inside the 24-dot cell. */
const BASELINE = 21;

export const DEFAULT_FONT_PATH = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';

export interface RenderOptions {
  paper: PaperWidth;
  /** A CJK font file (TTF/TTC/OTF); default wqy-zenhei, else the first `fc-list :lang=zh` font. */
  fontPath?: string;
}

const execFileAsync = promisify(execFile);
const registeredFonts = new Map<string, string>();

/** Finds the printer font: the given path, wqy-zenhei, or any font fontconfig lists for Chinese. */
export async function resolveFontPath(fontPath?: string): Promise<string> {
  if (fontPath !== undefined) {
    if (!existsSync(fontPath)) throw new Error(`printer font not found: ${fontPath}`);
    return fontPath;
  }
  if (existsSync(DEFAULT_FONT_PATH)) return DEFAULT_FONT_PATH;
  let listed = '';
  try {
    listed = (await execFileAsync('fc-list', [':lang=zh', 'file'])).stdout;
  } catch {
    // fontconfig missing: fall through to the error below
  }
  const found = listed
    .split('\n')
    .map((l) => l.trim().replace(/:$/, ''))
    .find((f) => f !== '' && existsSync(f));
  if (found === undefined) {
    throw new Error(
      `no CJK font to render printed tickets: ${DEFAULT_FONT_PATH} is missing and \`fc-list :lang=zh\` lists none ` +
        '(install one, e.g. `apt-get install fonts-wqy-zenhei`, or pass fontPath)',
    );
  }
  return found;
}

/** Registers the CJK font once and answers its family name (for every renderer here: tickets, LED screens). */
export async function fontFamily(fontPath?: string): Promise<string> {
  const path = await resolveFontPath(fontPath);
  let family = registeredFonts.get(path);
  if (family === undefined) {
    family = `YimenPrinter${registeredFonts.size}`;
    if (GlobalFonts.registerFromPath(path, family) === null) throw new Error(`cannot load printer font ${path}`);
    registeredFonts.set(path, family);
  }
  return family;
}

/**
 * Glyph bitmaps at 1× (12×24 or 24×24 dots, black/white), as a printer's font ROM has them.
 * Magnification (GS !) then repeats each dot, as the printer does.
 */
class GlyphCache {
  private readonly glyphs = new Map<string, Canvas>();
  private notdef: Uint8Array | undefined;

  constructor(private readonly family: string) {}

  /** Renders one character into a black/white cell; bold = emphasized (printed again 1 dot to the right). */
  get(ch: string, bold: boolean): Canvas {
    const key = `${bold ? 'b' : 'n'}${ch}`;
    let glyph = this.glyphs.get(key);
    if (glyph === undefined) {
      const bits = this.bits(ch);
      const width = textColumns(ch) * CELL_WIDTH;
      glyph = createCanvas(width, CELL_HEIGHT);
      const ctx = glyph.getContext('2d');
      const img = ctx.createImageData(width, CELL_HEIGHT);
      for (let y = 0; y < CELL_HEIGHT; y++) {
        for (let x = 0; x < width; x++) {
          const on = bits[y * width + x] === 1 || (bold && x > 0 && bits[y * width + x - 1] === 1);
          img.data[(y * width + x) * 4 + 3] = on ? 255 : 0;
        }
      }
      ctx.putImageData(img, 0, 0);
      this.glyphs.set(key, glyph);
    }
    return glyph;
  }

  /** 1 = dot printed. A character the fonts lack prints as a hollow box (never '?'). */
  private bits(ch: string): Uint8Array {
    const width = textColumns(ch) * CELL_WIDTH;
    const bits = this.rasterise(ch, width);
    this.notdef ??= this.rasterise('\u{10FFFD}', width);
    if (width === this.notdef.length / CELL_HEIGHT && bits.every((b, k) => b === this.notdef?.[k]) && bits.includes(1)) {
      return box(width);
    }
    return bits;
  }

  private rasterise(ch: string, width: number): Uint8Array {
    const canvas = createCanvas(width, CELL_HEIGHT);
    const ctx = canvas.getContext('2d');
    ctx.lang = 'zh-CN';
    ctx.font = `${CELL_HEIGHT}px "${this.family}"`;
    ctx.textBaseline = 'alphabetic';
    ctx.fillStyle = '#000';
    const measured = ctx.measureText(ch).width;
    // ASCII glyphs of a proportional face are squeezed into 10 of the 12 dots, leaving room for the
    // emphasis dot and a gap to the next character.
    const room = width === CELL_WIDTH ? CELL_WIDTH - 2 : width;
    const sx = measured > room ? room / measured : 1;
    ctx.translate((width - measured * sx) / 2, 0);
    ctx.scale(sx, 1);
    ctx.fillText(ch, 0, BASELINE);
    const data = ctx.getImageData(0, 0, width, CELL_HEIGHT).data;
    const bits = new Uint8Array(width * CELL_HEIGHT);
    for (let k = 0; k < bits.length; k++) bits[k] = (data[k * 4 + 3] ?? 0) >= 112 ? 1 : 0;
    return bits;
  }
}

function box(width: number): Uint8Array {
  const bits = new Uint8Array(width * CELL_HEIGHT);
  for (let y = 2; y < CELL_HEIGHT - 2; y++) {
    for (let x = 2; x < width - 2; x++) {
      const edge = y < 4 || y >= CELL_HEIGHT - 4 || x < 4 || x >= width - 4;
      if (edge) bits[y * width + x] = 1;
    }
  }
  return bits;
}

/** Splits a line where the printer wraps it: at the last character that still fits the paper. */
function wrapDots(text: string, magnification: number, paper: number): string[] {
  const out: string[] = [];
  let line = '';
  let dots = 0;
  for (const ch of text) {
    const w = textColumns(ch) * CELL_WIDTH * magnification;
    if (dots + w > paper && line !== '') {
      out.push(line);
      line = '';
      dots = 0;
    }
    line += ch;
    dots += w;
  }
  if (line !== '') out.push(line);
  return out;
}

function alignX(align: PrintedLine['align'], width: number, paper: number): number {
  if (align === 'center') return Math.max(0, Math.floor((paper - width) / 2));
  if (align === 'right') return Math.max(0, paper - width);
  return 0;
}

interface Block {
  height: number;
  draw(ctx: SKRSContext2D, y: number): void;
}

function qrBlock(line: PrintedLine & { qr: string }, paper: number): Block {
  const moduleSize = line.qrModuleSize ?? 3;
  const symbol = QRCode.create([{ data: Buffer.from(line.qr, 'utf8'), mode: 'byte' }], {
    errorCorrectionLevel: line.qrErrorLevel ?? 'L',
  });
  const n = symbol.modules.size;
  const size = n * moduleSize;
  const x0 = alignX(line.align, size, paper);
  return {
    height: size,
    draw(ctx, y0) {
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < n; c++) {
          if (symbol.modules.get(r, c)) ctx.fillRect(x0 + c * moduleSize, y0 + r * moduleSize, moduleSize, moduleSize);
        }
      }
    },
  };
}

function textBlocks(line: PrintedLine, paper: number, glyphs: GlyphCache): Block[] {
  if (line.text === '') return [{ height: LINE_SPACING, draw() {} }];
  const w = line.width;
  const h = line.height;
  return wrapDots(line.text, w, paper).map((piece) => {
    const width = textColumns(piece) * CELL_WIDTH * w;
    return {
      height: Math.max(LINE_SPACING, CELL_HEIGHT * h),
      draw(ctx, y) {
        let x = alignX(line.align, width, paper);
        for (const ch of piece) {
          const glyph = glyphs.get(ch, line.bold);
          ctx.drawImage(glyph, x, y, glyph.width * w, CELL_HEIGHT * h);
          x += glyph.width * w;
        }
      },
    };
  });
}

/**
 * Renders what a 203-dpi thermal printer would print for a job, as a black-on-white PNG of the paper
 * strip (384 dots wide for 58 mm paper, 576 for 80 mm): font A cells, GS ! magnification, alignment,
 * emphasis, QR codes at the job's module size and error level, and a dashed line where it cut.
 */
export async function renderJob(job: DecodedJob | ArrayLike<number>, opts: RenderOptions): Promise<Buffer> {
  const decoded = 'lines' in job ? job : decodeJob(job);
  const paper = paperDots(opts.paper);
  const glyphs = new GlyphCache(await fontFamily(opts.fontPath));

  const blocks: Block[] = [];
  let content = 0;
  let truncated = false;
  for (const line of decoded.lines) {
    const lineBlocks = line.qr !== undefined ? [qrBlock({ ...line, qr: line.qr }, paper)] : textBlocks(line, paper, glyphs);
    for (const b of lineBlocks) {
      if (content + b.height > MAX_CONTENT_DOTS) {
        truncated = true;
        break;
      }
      blocks.push(b);
      content += b.height;
    }
    if (truncated) break;
  }

  const cutGap = decoded.cut || truncated ? 12 : 0;
  const height = MARGIN + content + cutGap + MARGIN;
  const canvas = createCanvas(paper, height);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, paper, height);
  ctx.fillStyle = '#000';
  let y = MARGIN;
  for (const b of blocks) {
    b.draw(ctx, y);
    y += b.height;
  }
  if (decoded.cut) {
    // the cut: a dashed line across the paper
    for (let x = 0; x < paper; x += 16) ctx.fillRect(x, y + cutGap - 2, 8, 2);
  } else if (truncated) {
    // too long to draw whole: a zigzag where the strip was cut off
    for (let x = 0; x < paper; x += 8) ctx.fillRect(x, y + cutGap - 2 - (x % 16 === 0 ? 4 : 0), 8, 2);
  }
  return canvas.encode('png');
}
