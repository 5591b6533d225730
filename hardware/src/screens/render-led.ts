/**
 * What a simulated LED screen shows, as a PNG a test or a person can look at: the text rasterised at the
 * screen's resolution (one pixel per LED, the CJK font at the module's height), then drawn as round red
 * dots on black, `scale` image pixels per LED.
 */
import { createCanvas } from '@napi-rs/canvas';
import { fontFamily } from '../printer/render.js';

export interface LedRenderOptions {
  /** LEDs across and down, e.g. 192 × 32. */
  width: number;
  height: number;
  /** Image pixels per LED (default 4). */
  scale?: number;
  color?: string;
  align?: 'left' | 'center' | 'right';
  fontPath?: string;
}

/** The lit LEDs (width × height, 1 = lit) for a text, as the screen's controller would light them. */
export async function ledMatrix(text: string, opts: LedRenderOptions): Promise<Uint8Array> {
  const family = await fontFamily(opts.fontPath);
  const c = createCanvas(opts.width, opts.height);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, opts.width, opts.height);
  let size = Math.max(8, Math.floor(opts.height * 0.9));
  ctx.font = `${size}px ${family}`;
  // Long texts shrink to fit one line, down to 12 LEDs high (the smallest readable CJK).
  while (ctx.measureText(text).width > opts.width && size > 12) {
    size -= 1;
    ctx.font = `${size}px ${family}`;
  }
  const w = ctx.measureText(text).width;
  const align = opts.align ?? 'center';
  const x = align === 'left' ? 0 : align === 'right' ? opts.width - w : (opts.width - w) / 2;
  ctx.fillStyle = '#fff';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, Math.max(0, x), opts.height / 2);
  const data = ctx.getImageData(0, 0, opts.width, opts.height).data;
  const lit = new Uint8Array(opts.width * opts.height);
  for (let i = 0; i < lit.length; i++) lit[i] = (data[i * 4] ?? 0) >= 128 ? 1 : 0;
  return lit;
}

export async function renderLed(text: string, opts: LedRenderOptions): Promise<Buffer> {
  const lit = await ledMatrix(text, opts);
  const scale = opts.scale ?? 4;
  const c = createCanvas(opts.width * scale, opts.height * scale);
  const ctx = c.getContext('2d');
  ctx.fillStyle = '#0b0b0b';
  ctx.fillRect(0, 0, c.width, c.height);
  const r = Math.max(1, scale * 0.42);
  for (let y = 0; y < opts.height; y++)
    for (let x = 0; x < opts.width; x++) {
      ctx.fillStyle = lit[y * opts.width + x] ? (opts.color ?? '#ff2a1a') : '#2a0d0b';
      ctx.beginPath();
      ctx.arc(x * scale + scale / 2, y * scale + scale / 2, r, 0, Math.PI * 2);
      ctx.fill();
    }
  return c.toBuffer('image/png');
}
