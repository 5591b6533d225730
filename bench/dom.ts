/**
 * Benchmark 4 — call-next to the hall screen's DOM. The Yimen server runs in a worker thread and serves the
 * built screens (apps/counter-display/dist); Debian Chromium (Playwright, headless, no GPU, 1920×1080)
 * opens /hall?token=<hall-display token>. A MutationObserver installed before the page's own scripts
 * records each change of the text of data-testid="latest-call", with `performance.timeOrigin +
 * performance.now()`; beside it, one bare socket.io-client in this process (another hall-display token)
 * records the arrival of each 'ticket:called' fact on the same clock. A clerk calls the next ticket over
 * HTTP, one call after the other: each call waits until the DOM and the socket both have its number (and
 * the page's next animation frame has run). Per call: DOM latency and socket latency from just before the
 * HTTP call, and their difference. Target: the DOM within one frame (16 ms) of the socket.
 */
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type { FactMessage } from '@yimen/shared';
import type { Socket } from 'socket.io-client';
import { CHROMIUM, CHROMIUM_ARGS, clockOffset, now } from './lib/chromium.js';
import { ADMIN_PASSWORD, CLERK, createDevices, ISSUE_SERVICES, issueTickets, login } from './lib/hall.js';
import { HttpClient } from './lib/http.js';
import type { BenchOutput, Row } from './lib/report.js';
import type { Scope } from './lib/scope.js';
import { closeAll, connectMany, onFacts } from './lib/sockets.js';
import { ms, round, rounded, type Summary, summarize } from './lib/stats.js';
import { ThreadServer } from './lib/thread.js';

export interface DomOptions {
  calls: number;
  /** Calls first, not measured (the first one also proves the screen is live). */
  warmup: number;
}

const BENCH = '4 call-next → hall DOM';
const TARGET_MS = 16;
const VIEWPORT = { width: 1920, height: 1080 };
const LATEST = '[data-testid="latest-call"]';
/** The first call waits for the page to load and connect; the others for one call. */
const FIRST_CALL_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 10_000;
/** How long a call waits for the page's next animation frame before going on without it. */
const FRAME_TIMEOUT_MS = 500;
const BINDING = '__yimenBenchDom';

/**
 * Runs in the page before its own scripts (the bench tsconfig has no DOM types, hence a string). Every
 * mutation batch: if latest-call's text differs from the last one seen, record the time and the text, tell
 * Node through the binding, and record the start of the next animation frame (when the change is painted).
 */
const OBSERVER_SCRIPT = `(() => {
  // The page's own clock, on the same scale as Node's now() (lib/chromium.ts): this runs in the page.
  const now = () => performance.timeOrigin + performance.now();
  const records = [];
  window.__yimenBenchRecords = records;
  let last = null;
  const tell = (m) => {
    const f = window.${BINDING};
    if (typeof f === 'function') Promise.resolve(f(m)).catch(() => {});
  };
  const check = () => {
    const t = now();
    const el = document.querySelector(${JSON.stringify(LATEST)});
    const text = el ? el.textContent : null;
    if (text === last) return;
    last = text;
    const i = records.push({ t, frame: null, text }) - 1;
    tell({ kind: 'dom', i, t, text });
    requestAnimationFrame(() => {
      const frame = now();
      records[i].frame = frame;
      tell({ kind: 'frame', i, t: frame, text });
    });
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
})();`;

interface DomRecord {
  t: number;
  frame: number | null;
  text: string | null;
}

type PageMessage = { kind: 'dom' | 'frame'; i: number; t: number; text: string | null };

/** Wakes the waiters whenever a page message or a socket fact arrives. */
class Signal {
  private readonly waiters = new Set<() => void>();

  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  async until(cond: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!cond()) {
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(what());
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }
}

/** The median interval between the page's animation frames. */
async function framePeriod(page: Page, frames = 30): Promise<number> {
  return page.evaluate<number>(`new Promise((resolve) => {
    const ts = [];
    const step = (t) => {
      ts.push(t);
      if (ts.length <= ${frames}) requestAnimationFrame(step);
      else {
        const d = ts.slice(1).map((x, i) => x - ts[i]).sort((a, b) => a - b);
        resolve(d[Math.floor(d.length / 2)]);
      }
    };
    requestAnimationFrame(step);
  })`);
}

export interface DomData {
  options: DomOptions;
  chromium: string;
  /** ms from just before the HTTP call-next to the DOM change (MutationObserver). */
  dom: Summary;
  /** ms from just before the HTTP call-next to the bare socket.io client's 'ticket:called'. */
  socket: Summary;
  /** Per call, DOM − socket. */
  difference: Summary;
  /** ms from just before the call to the start of the page's next animation frame after the DOM change. */
  frame: Summary;
  /** Per call, next frame − socket. */
  frameDifference: Summary;
  callNextHttp: Summary;
  /** The page's clock minus Node's, from the quickest of 30 round trips. */
  clockOffset: { ms: number; uncertaintyMs: number };
  /** The median interval between the page's animation frames. */
  framePeriodMs: number;
  /** Calls whose next animation frame was not seen within FRAME_TIMEOUT_MS. */
  framesMissed: number;
  /** latest-call's text at the last call, to see what the screen shows. */
  lastText: string | null;
  pageErrors: string[];
  samples: { dom: number[]; socket: number[] };
}

export async function benchDom(scope: Scope, opts: DomOptions): Promise<BenchOutput<DomData>> {
  const dir = scope.tempDir('dom');

  // ---------------------------------------------------------------- the Yimen server, serving the screens
  const server = await ThreadServer.start(new URL('./servers/yimen-thread.ts', import.meta.url), {
    dbFile: join(dir, 'yimen.db'),
  });
  scope.defer('stop the DOM-bench server', () => server.stop());
  const http = new HttpClient(server.url);
  scope.defer('close the DOM-bench HTTP client', () => http.close());
  const hallPage = await http.request('GET', '/hall');
  if (hallPage.status !== 200 || !/<div id="root"/.test(hallPage.text))
    throw new Error(
      `GET /hall: ${hallPage.status}, not the built screens; build them: npx turbo run build --filter=@yimen/counter-display`,
    );
  const adminToken = await login(http, 'admin', ADMIN_PASSWORD);
  const [screenToken, socketToken] = await createDevices(http, adminToken, 'hall-display', 2);
  const [kiosk] = await createDevices(http, adminToken, 'kiosk', 1);
  await issueTickets(http, kiosk as string, opts.calls + opts.warmup + 5, ISSUE_SERVICES, `dom-${Date.now().toString(36)}`);
  const clerk = await login(http, CLERK.username, CLERK.password);
  await http.expect(200, 'POST', `/api/v1/counters/${CLERK.counterId}/open`, clerk, {});

  const signal = new Signal();

  // ---------------------------------------------------------------- the baseline: a bare socket.io client
  const sockets: Socket[] = [];
  scope.defer('close the DOM-bench socket', () => closeAll(sockets));
  await connectMany(server.url, 1, sockets, { token: () => socketToken as string, waitSnapshot: true });
  const socketAt = new Map<string, number>();
  onFacts(sockets[0] as Socket, (f: FactMessage) => {
    if (f.type !== 'ticket:called') return;
    const t = now();
    if (!socketAt.has(f.ticket.number)) socketAt.set(f.ticket.number, t);
    signal.notify();
  });

  // ---------------------------------------------------------------- Chromium on /hall
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
  scope.defer('close Chromium', () => browser.close());
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // Chromium asks for /favicon.ico by itself; the screens have none.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
      pageErrors.push(`${m.text()}${m.location().url ? ` (${m.location().url})` : ''}`);
  });
  const records: DomRecord[] = [];
  await page.exposeFunction(BINDING, (m: PageMessage) => {
    if (m.kind === 'dom') records[m.i] = { t: m.t, frame: null, text: m.text };
    else {
      const r = records[m.i];
      if (r) r.frame = m.t;
    }
    signal.notify();
  });
  await page.addInitScript(OBSERVER_SCRIPT);
  await page.goto(`${server.url}/hall?token=${encodeURIComponent(screenToken as string)}`);
  await page
    .waitForFunction(
      `!!document.querySelector(${JSON.stringify(LATEST)}) ||
       (!!document.getElementById('root')?.childElementCount &&
        !document.querySelector('[data-testid="connecting"], [data-testid="pairing"], [data-testid="connection-lost"]'))`,
      null,
      { timeout: FIRST_CALL_TIMEOUT_MS },
    )
    .catch((e: unknown) => {
      throw new Error(`the hall screen did not come up: ${e instanceof Error ? e.message : String(e)}; ${errorsOf(pageErrors)}`);
    });

  // ---------------------------------------------------------------- the calls
  const dom: number[] = [];
  const sock: number[] = [];
  const diff: number[] = [];
  const frame: number[] = [];
  const frameDiff: number[] = [];
  const httpMs: number[] = [];
  let framesMissed = 0;
  let lastText: string | null = null;
  let offset = { ms: Number.NaN, uncertaintyMs: Number.NaN };
  let period = Number.NaN;

  for (let r = 0; r < opts.warmup + opts.calls; r++) {
    if (r === opts.warmup) {
      // Between warm-up and measure: the clock check and the frame period, off the measured calls.
      offset = await clockOffset(page);
      period = await framePeriod(page);
    }
    const from = records.length;
    const t0 = now();
    const res = await http.request<{ ticket?: { number?: string } }>(
      'POST',
      `/api/v1/counters/${CLERK.counterId}/call-next`,
      clerk,
      { requestId: `dom-call-${r}` },
    );
    const tHttp = now();
    const number = res.body?.ticket?.number;
    if (res.status !== 200 || typeof number !== 'string')
      throw new Error(`call-next ${r}: ${res.status} ${res.text.slice(0, 300)}`);
    let at = -1;
    const seen = () => {
      for (let i = Math.max(from, at); i < records.length; i++)
        if (records[i]?.text?.includes(number)) {
          at = i;
          return socketAt.has(number);
        }
      return false;
    };
    await signal.until(seen, r === 0 ? FIRST_CALL_TIMEOUT_MS : CALL_TIMEOUT_MS, () => {
      const texts = records.slice(from).map((x) => JSON.stringify(x?.text));
      return (
        `call ${r} (${number}): ${at >= 0 ? 'DOM' : 'no DOM'}, ${socketAt.has(number) ? 'socket' : 'no socket'}; ` +
        `latest-call texts since the call: ${texts.join(', ') || 'none'}; ${errorsOf(pageErrors)}` +
        (r === 0 ? ` (is ${LATEST} rendered by apps/counter-display/src/screens/Hall.tsx, and dist built?)` : '')
      );
    });
    const rec = records[at] as DomRecord;
    await signal
      .until(
        () => rec.frame !== null,
        FRAME_TIMEOUT_MS,
        () => '',
      )
      .catch(() => {
        framesMissed += r >= opts.warmup ? 1 : 0;
      });
    if (r < opts.warmup) continue;
    const s = (socketAt.get(number) as number) - t0;
    const d = rec.t - t0;
    dom.push(d);
    sock.push(s);
    diff.push(d - s);
    httpMs.push(tHttp - t0);
    if (rec.frame !== null) {
      frame.push(rec.frame - t0);
      frameDiff.push(rec.frame - t0 - s);
    }
    lastText = rec.text;
  }

  const chromiumVersion = browser.version();
  await browser.close();
  closeAll(sockets);
  await server.stop();

  const sDom = summarize(dom);
  const sSock = summarize(sock);
  const sDiff = summarize(diff);
  const sFrame = summarize(frame);
  const sFrameDiff = summarize(frameDiff);
  const sHttp = summarize(httpMs);
  const data: DomData = {
    options: opts,
    chromium: chromiumVersion,
    dom: rounded(sDom),
    socket: rounded(sSock),
    difference: rounded(sDiff),
    frame: rounded(sFrame),
    frameDifference: rounded(sFrameDiff),
    callNextHttp: rounded(sHttp),
    clockOffset: { ms: round(offset.ms), uncertaintyMs: round(offset.uncertaintyMs) },
    framePeriodMs: round(period),
    framesMissed,
    lastText,
    pageErrors: pageErrors.slice(0, 20),
    samples: { dom: dom.map((x) => round(x, 2)), socket: sock.map((x) => round(x, 2)) },
  };

  const signed = (x: number) => (Number.isNaN(x) ? '–' : `${x >= 0 ? '+' : '−'}${ms(Math.abs(x))}`);
  const verdict = (x: number) => `DOM − socket ≤ ${TARGET_MS} ms: ${x <= TARGET_MS ? 'met' : 'NOT met'}`;
  const calls = `${opts.calls} calls`;
  const rows: Row[] = [
    {
      bench: BENCH,
      metric: `p50, ${calls} (vs: p50 of DOM − socket per call)`,
      value: ms(sDom.p50),
      baseline: ms(sSock.p50),
      vs: signed(sDiff.p50),
      target: verdict(sDiff.p50),
    },
    {
      bench: BENCH,
      metric: `p99, ${calls} (vs: p99 of DOM − socket per call)`,
      value: ms(sDom.p99),
      baseline: ms(sSock.p99),
      vs: signed(sDiff.p99),
      target: verdict(sDiff.p99),
    },
    { bench: BENCH, metric: 'max', value: ms(sDom.max), baseline: ms(sSock.max), vs: signed(sDiff.max), target: '' },
    {
      bench: BENCH,
      metric: "DOM's next animation frame p50 / p99",
      value: `${ms(sFrame.p50)} / ${ms(sFrame.p99)}`,
      baseline: `${ms(sSock.p50)} / ${ms(sSock.p99)}`,
      vs: `${signed(sFrameDiff.p50)} / ${signed(sFrameDiff.p99)}`,
      target: '',
    },
    {
      bench: BENCH,
      metric: 'call-next HTTP answer at the clerk p50 / p99',
      value: `${ms(sHttp.p50)} / ${ms(sHttp.p99)}`,
      baseline: '',
      vs: '',
      target: '',
    },
  ];
  const notes = [
    `Hall DOM: the DOM time is when a MutationObserver (installed before the page's scripts) saw the text of ` +
      `${LATEST} change to the called number: after React's commit, before paint. The page's own frame timing ` +
      `(requestAnimationFrame) adds up to one frame before the pixels change (measured frame period ` +
      `${period.toFixed(1)} ms): the "next animation frame" row is the start of that frame. Headless Chromium ` +
      `${chromiumVersion} without GPU (${CHROMIUM_ARGS.join(' ')}), viewport ${VIEWPORT.width}×${VIEWPORT.height}.`,
    `Hall DOM: baseline is one bare socket.io-client in this process (websocket, its own hall-display token) ` +
      `receiving the same 'ticket:called' fact. Both from just before the clerk's HTTP call-next, on one clock ` +
      `(performance.timeOrigin + performance.now() in Node and in the page; page − Node offset measured ` +
      `${offset.ms.toFixed(2)} ± ${offset.uncertaintyMs.toFixed(2)} ms, not corrected). One call at a time: each ` +
      `waits for the DOM, the socket and the next frame; ${opts.warmup} warm-up calls first. The server runs in ` +
      `a worker thread, Chromium in its own processes, on the same machine.` +
      (framesMissed ? ` ${framesMissed} calls saw no animation frame within ${FRAME_TIMEOUT_MS} ms.` : '') +
      (pageErrors.length ? ` The page logged ${pageErrors.length} errors (first: ${pageErrors[0]?.slice(0, 120)}).` : ''),
  ];
  return { rows, data, notes };
}

function errorsOf(errors: string[]): string {
  return errors.length ? `page errors: ${errors.slice(0, 3).join(' | ')}` : 'no page errors';
}
