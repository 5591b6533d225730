/**
 * Benchmark 5 — a tap on 确认取号 to the ticket fully received by the printer. The Yimen server runs in a
 * worker thread and serves the built kiosk renderer (apps/kiosk/dist/renderer); the kiosk agent (the same
 * code as in a kiosk) and the virtual ESC/POS printer (TCP) run in this process; headless Debian Chromium at
 * 1080×1920 opens /kiosk with the agent's address and key. Per ticket: category → service → 确认取号; the
 * tap is the page's own pointerdown on the button (its clock, converted to Node's by the quickest of 30 round
 * trips), the end is the printer holding the complete job (its cut). Split: the printer's status query (DLE
 * EOT 1–4), the agent's POST /tickets round trip and, inside it, the server's HallService.issue, then the
 * print until the cut arrived. Baselines in the same run: the same POST /tickets straight from Node (the
 * server's part alone) and the same ticket bytes written straight to the printer (the print alone).
 * Target: p99 under 1 s, the server's part a small share.
 */
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { encodeTicket } from '@yimen/hardware/printer/ticket';
import { openTransport } from '@yimen/hardware/printer/transport';
import { VirtualPrinter } from '@yimen/hardware/printer/virtual-printer';
import { Agent, ServerClient } from '@yimen/kiosk/agent';
import { CHROMIUM, CHROMIUM_ARGS, clockOffset, now } from './lib/chromium.js';
import { ADMIN_PASSWORD, createDevices, login } from './lib/hall.js';
import { HttpClient } from './lib/http.js';
import type { BenchOutput, Row } from './lib/report.js';
import type { Scope } from './lib/scope.js';
import { ms, ratio, round, rounded, type Summary, summarize } from './lib/stats.js';
import { ThreadServer } from './lib/thread.js';
import type { YimenThreadStats } from './servers/yimen-thread.js';

export interface KioskPrintOptions {
  tickets: number;
  warmup: number;
}

const BENCH = '5 tap → printed';
const TARGET_MS = 1000;
const SERVICE = 'gen-a';
const CATEGORY = '综合服务';

/** Records the time of each pointerdown on 确认取号, on the page's clock (a string: the bench has no DOM types). */
const TAP_SCRIPT = `(() => {
  window.__yimenTaps = [];
  document.addEventListener('pointerdown', (e) => {
    const t = performance.timeOrigin + performance.now();
    if (e.target instanceof Element && e.target.closest('[data-testid="confirm-take"]')) window.__yimenTaps.push(t);
  }, true);
})();`;

export interface KioskPrintData {
  options: KioskPrintOptions;
  /** Tap → the complete job at the printer. */
  total: Summary;
  /** Parts of it, timed inside the agent and the server. */
  printerStatus: Summary;
  agentIssue: Summary;
  serverIssue: Summary;
  print: Summary;
  /** Baselines: POST /tickets from Node; the same bytes straight to the printer. */
  bareIssue: Summary;
  barePrint: Summary;
  clockOffset: { ms: number; uncertaintyMs: number };
  pageErrors: string[];
}

export async function benchKioskPrint(scope: Scope, opts: KioskPrintOptions): Promise<BenchOutput<KioskPrintData>> {
  const dir = scope.tempDir('kiosk');
  const server = await ThreadServer.start(new URL('./servers/yimen-thread.ts', import.meta.url), {
    dbFile: join(dir, 'yimen.db'),
  });
  scope.defer('stop the kiosk-bench server', () => server.stop());
  const http = new HttpClient(server.url);
  scope.defer('close the kiosk-bench HTTP client', () => http.close());
  const page0 = await http.request('GET', '/kiosk');
  if (page0.status !== 200 || !/id="root"/.test(page0.text))
    throw new Error(`GET /kiosk: ${page0.status}, not the built kiosk; build it: npx turbo run build --filter=@yimen/kiosk`);
  const admin = await login(http, 'admin', ADMIN_PASSWORD);
  const [kioskToken, bareToken] = (await createDevices(http, admin, 'kiosk', 2)) as [string, string];

  // ---------------------------------------------------------------- the printer and the agent, timed
  const printer = new VirtualPrinter({ port: 0 });
  await printer.listen();
  scope.defer('close the virtual printer', () => printer.close());
  const timing = { status: [] as number[], issue: [] as number[], print: [] as number[] };
  const transport = openTransport(printer.uri);
  const timedTransport = {
    status: async () => {
      const t0 = now();
      try {
        return await transport.status();
      } finally {
        timing.status.push(now() - t0);
      }
    },
    write: async (bytes: Uint8Array) => {
      const t0 = now();
      try {
        return await transport.write(bytes);
      } finally {
        timing.print.push(now() - t0);
      }
    },
    close: () => transport.close(),
  };
  const client = new ServerClient(server.url, kioskToken);
  const timedClient = Object.assign(Object.create(client) as ServerClient, {
    issue: async (body: Parameters<ServerClient['issue']>[0]) => {
      const t0 = now();
      try {
        return await client.issue(body);
      } finally {
        timing.issue.push(now() - t0);
      }
    },
  });
  const agent = await new Agent({
    server: timedClient,
    printer: timedTransport,
    reader: null,
    paper: 80,
    publicUrl: server.url,
    printerPollMs: 60_000,
  }).start();
  scope.defer('close the kiosk agent', () => agent.close());
  const { listenForRenderers } = await import('@yimen/kiosk/agent');
  const key = 'bench-agent-key-0123456789';
  agent.socket = await listenForRenderers(agent, { host: '127.0.0.1', port: 0, key });

  // ---------------------------------------------------------------- Chromium on /kiosk
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
  scope.defer('close Chromium', () => browser.close());
  const context = await browser.newContext({
    viewport: { width: 1080, height: 1920 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.addInitScript(TAP_SCRIPT);
  const q = new URLSearchParams({ token: kioskToken, agent: agent.socket.url, agentKey: key });
  await page.goto(`${server.url}/kiosk?${q.toString()}`);
  await page.getByTestId(`category-${CATEGORY}`).waitFor({ timeout: 20_000 });

  // ---------------------------------------------------------------- the taps
  const total: number[] = [];
  let offset = { ms: Number.NaN, uncertaintyMs: Number.NaN };
  for (let r = 0; r < opts.warmup + opts.tickets; r++) {
    if (r === opts.warmup) {
      offset = await clockOffset(page);
      timing.status.length = 0;
      timing.issue.length = 0;
      timing.print.length = 0;
      await server.call({ type: 'reset' });
    }
    await page.getByTestId(`category-${CATEGORY}`).click();
    await page.getByTestId(`service-${SERVICE}`).click();
    const job = printer.nextJob(10_000);
    const taps = await page.evaluate<number>('window.__yimenTaps.length');
    await page.getByTestId('confirm-take').click();
    const received = await job;
    const tEnd = now();
    if (!received.complete) throw new Error(`ticket ${r}: the printer got an incomplete job`);
    const tap = await page.evaluate<number>(`window.__yimenTaps[${taps}]`);
    await page.getByTestId('ticket-done').click();
    await page.getByTestId(`category-${CATEGORY}`).waitFor();
    if (r >= opts.warmup) total.push(tEnd - (tap - offset.ms));
  }
  const serverStats = await server.call<YimenThreadStats>({ type: 'stats' });
  await browser.close();

  // ---------------------------------------------------------------- baselines: the parts alone
  const bareIssue: number[] = [];
  const barePrint: number[] = [];
  const bytes = encodeTicket({
    hallName: '示范县政务服务中心',
    serviceName: '综合业务甲',
    number: 'A123',
    peopleAhead: 12,
    estimatedWaitMinutes: 25,
    issuedAt: '2026-11-30T09:00:00.000+08:00',
    statusUrl: `${server.url}/t/${'k'.repeat(32)}`,
    footer: '过号请到咨询台重新排队',
    paper: 80,
  });
  const bareTransport = openTransport(printer.uri);
  for (let r = 0; r < opts.tickets; r++) {
    const t0 = now();
    await http.expect(201, 'POST', '/api/v1/tickets', bareToken, { serviceId: SERVICE, requestId: `bare-${r}` });
    bareIssue.push(now() - t0);
    const job = printer.nextJob(10_000);
    const t1 = now();
    await bareTransport.write(bytes);
    await job;
    barePrint.push(now() - t1);
  }
  await bareTransport.close();
  await agent.close();
  await printer.close();
  await server.stop();

  const data: KioskPrintData = {
    options: opts,
    total: rounded(summarize(total)),
    printerStatus: rounded(summarize(timing.status.slice(-opts.tickets))),
    agentIssue: rounded(summarize(timing.issue)),
    serverIssue: rounded(summarize(serverStats.issue)),
    print: rounded(summarize(timing.print)),
    bareIssue: rounded(summarize(bareIssue)),
    barePrint: rounded(summarize(barePrint)),
    clockOffset: { ms: round(offset.ms), uncertaintyMs: round(offset.uncertaintyMs) },
    pageErrors,
  };
  const share = (x: number) => `${Math.round((x / data.total.p50) * 100)}% of p50`;
  const rows: Row[] = [
    {
      bench: BENCH,
      metric: `tap → job at the printer p50 (${opts.tickets} tickets)`,
      value: ms(data.total.p50),
      baseline: ms(data.bareIssue.p50 + data.barePrint.p50),
      vs: ratio(data.total.p50 / (data.bareIssue.p50 + data.barePrint.p50)),
      target: '',
    },
    {
      bench: BENCH,
      metric: 'tap → job at the printer p99',
      value: ms(data.total.p99),
      baseline: ms(data.bareIssue.p99 + data.barePrint.p99),
      vs: ratio(data.total.p99 / (data.bareIssue.p99 + data.barePrint.p99)),
      target: `< ${TARGET_MS} ms`,
    },
    {
      bench: BENCH,
      metric: "server's part: HallService.issue p50 / p99",
      value: `${ms(data.serverIssue.p50)} / ${ms(data.serverIssue.p99)}`,
      baseline: '',
      vs: share(data.serverIssue.p50),
      target: 'a small share',
    },
    {
      bench: BENCH,
      metric: 'agent → server POST /tickets p50 / p99',
      value: `${ms(data.agentIssue.p50)} / ${ms(data.agentIssue.p99)}`,
      baseline: `${ms(data.bareIssue.p50)} / ${ms(data.bareIssue.p99)}`,
      vs: share(data.agentIssue.p50),
      target: '',
    },
    {
      bench: BENCH,
      metric: 'printer status (DLE EOT 1–4) p50',
      value: ms(data.printerStatus.p50),
      baseline: '',
      vs: share(data.printerStatus.p50),
      target: '',
    },
    {
      bench: BENCH,
      metric: 'print until the cut arrived p50 / p99',
      value: `${ms(data.print.p50)} / ${ms(data.print.p99)}`,
      baseline: `${ms(data.barePrint.p50)} / ${ms(data.barePrint.p99)}`,
      vs: share(data.print.p50),
      target: '',
    },
  ];
  const notes = [
    `${BENCH}: the rest of the tap (renderer → agent socket → answer) is the total less the parts above; the page's clock was ${ms(offset.ms)} off Node's (± ${ms(offset.uncertaintyMs)}).`,
  ];
  if (pageErrors.length > 0) notes.push(`${BENCH}: page errors: ${pageErrors.slice(0, 3).join(' | ')}`);
  return { rows, data, notes };
}
