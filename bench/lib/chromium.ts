/** Debian's Chromium for the browser benchmarks (never `playwright install`), and the page's clock against Node's. */
import type { Page } from '@playwright/test';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Wall-clock milliseconds with sub-ms precision: the same formula in Node and in the page. */
export const now = () => performance.timeOrigin + performance.now();

/**
 * The page's clock against Node's: page.evaluate of the page's `now()`, bracketed by Node's; the offset of
 * the quickest round trip, with half its round trip as the uncertainty.
 */
export async function clockOffset(page: Page, rounds = 30): Promise<{ ms: number; uncertaintyMs: number }> {
  let best = { ms: Number.NaN, uncertaintyMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < rounds; i++) {
    const a = now();
    const p = await page.evaluate<number>('performance.timeOrigin + performance.now()');
    const b = now();
    if ((b - a) / 2 < best.uncertaintyMs) best = { ms: p - (a + b) / 2, uncertaintyMs: (b - a) / 2 };
  }
  return best;
}
