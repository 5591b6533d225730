/**
 * The kiosk as a hall runs it: the renderer in Chromium (1080×1920), the kiosk agent with the virtual ESC/POS
 * printer over TCP, the simulated SAM ID-card reader over a socat pty pair, and a real queue server. The
 * printed ticket is rendered to a PNG and its QR decoded; faults are injected at the printer.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { IdCardReaderSimulator } from '@yimen/hardware/id-card/simulator';
import { VirtualPrinter } from '@yimen/hardware/printer/virtual-printer';
import { SAMPLE_ELDER } from '@yimen/hardware/testing/cards';
import { startSocat } from '@yimen/hardware/testing/socat';
import type { ClientToServerEvents, ServerToClientEvents, Snapshot, TicketView } from '@yimen/shared';
import { BinaryBitmap, HybridBinarizer, QRCodeReader, RGBLuminanceSource } from '@zxing/library';
import { PNG } from 'pngjs';
import { io, type Socket } from 'socket.io-client';
import { type E2EServer, startServer } from '../../counter-display/e2e/server.js';
import { type Agent, startAgent } from '../src/agent/index.js';
import { KIOSK_HALL } from './hall.js';

const SCREENS = fileURLToPath(new URL('../../../test-results/screens/', import.meta.url));
const AGENT_KEY = 'e2e-agent-key-0123456789';

/** Reads the QR code in a PNG (zxing on the decoded pixels). */
function decodeQr(png: Buffer): string {
  const img = PNG.sync.read(png);
  const argb = new Int32Array(img.width * img.height);
  for (let i = 0; i < argb.length; i++) {
    const [r, g, b] = [img.data[i * 4] ?? 0, img.data[i * 4 + 1] ?? 0, img.data[i * 4 + 2] ?? 0];
    argb[i] = (0xff << 24) | (r << 16) | (g << 8) | b;
  }
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(argb, img.width, img.height)));
  return new QRCodeReader().decode(bitmap).getText();
}

interface Rig {
  server: E2EServer;
  printer: VirtualPrinter;
  agent: Agent;
  token: string;
  sim?: IdCardReaderSimulator;
  socat?: ChildProcess;
}
let rig: Rig | undefined;

test.afterEach(async () => {
  if (!rig) return;
  await rig.agent.close();
  await rig.sim?.close();
  rig.socat?.kill('SIGKILL');
  await rig.printer.close();
  await rig.server.stop();
  rig = undefined;
});

async function setUp(page: Page, opts: { reader?: boolean } = {}): Promise<Rig> {
  const server = await startServer({ hall: KIOSK_HALL });
  const printer = new VirtualPrinter({ port: 0 });
  await printer.listen();
  const token = await server.device('kiosk');
  let sim: IdCardReaderSimulator | undefined;
  let socat: ChildProcess | undefined;
  let readerPath: string | null = null;
  if (opts.reader) {
    const pair = await startSocat();
    socat = pair.proc;
    sim = await IdCardReaderSimulator.open(pair.a);
    readerPath = pair.b;
  }
  const agent = await startAgent(
    {
      serverUrl: server.url,
      deviceToken: token,
      printerUri: printer.uri,
      paper: 80,
      readerPath,
      listen: { host: '127.0.0.1', port: 0, key: AGENT_KEY },
    },
    { cardPollMs: 100, printerPollMs: 500 },
  );
  rig = { server, printer, agent, token, ...(sim ? { sim } : {}), ...(socat ? { socat } : {}) };
  await page.setViewportSize({ width: 1080, height: 1920 });
  const q = new URLSearchParams({ token, agent: agent.socket?.url ?? '', agentKey: AGENT_KEY });
  await page.goto(`${server.url}/kiosk?${q.toString()}`);
  await expect(page.getByTestId('category-综合服务')).toBeVisible();
  return rig;
}

async function chooseService(page: Page): Promise<void> {
  await page.getByTestId('category-综合服务').click();
  await page.getByTestId('service-gen-sbk').click();
  await expect(page.getByTestId('confirm-sheet')).toBeVisible();
}

async function waiting(r: Rig): Promise<number> {
  const q = await r.server.api<{ queues: { serviceId: string; waiting: number }[] }>('GET', '/queues', r.token);
  return q.json.queues.reduce((n, x) => n + x.waiting, 0);
}

test('K20 take a number: the printer gets the ticket; its PNG shows the number and the QR opens the status page', async ({
  page,
}) => {
  const r = await setUp(page);
  await chooseService(page);
  const job = r.printer.nextJob(10_000);
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('printed-view')).toBeVisible();
  await expect(page.getByTestId('printed-view')).toContainText('请取走您的号票');
  await expect(page.getByTestId('ticket-number')).toHaveText('A001');

  const printed = await job;
  expect(printed.complete).toBe(true);
  expect(printed.decoded.lines.map((l) => l.text)).toContain('A001');
  const png = await r.printer.renderPng(printed);
  mkdirSync(SCREENS, { recursive: true });
  writeFileSync(`${SCREENS}kiosk-printed-ticket.png`, png);
  const url = decodeQr(png);
  expect(url).toMatch(new RegExp(`^${r.server.url}/t/[A-Za-z0-9_-]{22,}$`));
  await page.screenshot({ path: `${SCREENS}kiosk-agent-printed.png` });

  const status = await page.context().newPage();
  await status.goto(url);
  await expect(status.getByText('A001').first()).toBeVisible();
  await status.close();
});

test('K21 paper out: the kiosk says so and issues nothing; paper back: it issues', async ({ page }) => {
  const r = await setUp(page);
  r.printer.setFaults({ paperEnd: true });
  const banner = page.getByTestId('printer-banner');
  await expect(banner).toContainText('打印纸已用完，暂停取号', { timeout: 10_000 });
  // said once, in the agent's one message (contract.ts)
  expect((await banner.textContent())?.split('暂停取号').length).toBe(2);
  await expect(page.getByTestId('printer-state')).toHaveText('打印机缺纸');
  // up front: the categories are plainly unavailable and do not open
  const tile = page.getByTestId('category-综合服务');
  await expect(tile).toHaveAttribute('aria-disabled', 'true');
  await expect(tile).toContainText('暂停取号');
  await page.screenshot({ path: `${SCREENS}kiosk-paper-out.png` });
  await tile.click({ force: true });
  await expect(page.getByTestId('category-view')).toHaveCount(0);
  expect(await waiting(r)).toBe(0);
  expect(r.printer.jobs).toHaveLength(0);

  r.printer.setFaults({ paperEnd: false });
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await chooseService(page);
  // The paper runs out with the sheet open: the confirmation says why and cannot be confirmed; nothing issued.
  r.printer.setFaults({ paperEnd: true });
  await expect(page.getByTestId('take-error')).toContainText('打印纸已用完', { timeout: 10_000 });
  await expect(page.getByTestId('confirm-take')).toBeDisabled();
  expect(await waiting(r)).toBe(0);
  expect(r.printer.jobs).toHaveLength(0);

  r.printer.setFaults({ paperEnd: false });
  await expect(banner).toHaveCount(0, { timeout: 10_000 });
  await expect(page.getByTestId('confirm-take')).toBeEnabled();
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('printed-view')).toBeVisible();
  expect(await waiting(r)).toBe(1);
});

test('K22 the printer drops the job mid-print: the ticket is valid, its number and QR shown large', async ({ page }) => {
  const r = await setUp(page);
  r.printer.dropNextJobAfter(60);
  await chooseService(page);
  await page.getByTestId('confirm-take').click();
  const view = page.getByTestId('fallback-view');
  await expect(view).toBeVisible();
  await expect(view).toContainText('请拍照记下您的号码');
  // the subtitle says something the heading does not; the status line does not call the printer fine
  await expect(page.getByTestId('ticket-why')).toHaveText('号票未能打印，您的号码同样有效，请留意叫号');
  await expect(page.getByTestId('printer-state')).toHaveText('上张号票未能打印');
  await expect(page.getByTestId('ticket-number')).toHaveText('A001');
  const qr = page.getByTestId('fallback-qr');
  await expect(qr).toBeVisible();
  const box = await qr.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThanOrEqual(300);
  // The QR's own image (a data: URL PNG), decoded: a screenshot could catch the view mid-animation.
  const src = (await qr.getAttribute('src')) ?? '';
  expect(src).toMatch(/^data:image\/png;base64,/);
  const url = decodeQr(Buffer.from(src.split(',')[1] ?? '', 'base64'));
  expect(url).toMatch(new RegExp(`^${r.server.url}/t/`));
  await page.screenshot({ path: `${SCREENS}kiosk-agent-fallback.png` });
  expect(await waiting(r)).toBe(1);
  // until a ticket prints again
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('printer-state')).toHaveText('上张号票未能打印');
  await chooseService(page);
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('printed-view')).toBeVisible();
  await expect(page.getByTestId('printer-state')).toHaveText('打印机正常');
});

test('K23 an ID card on the reader (socat pty): 张* greeted with elderly priority; the ticket is elderly', async ({ page }) => {
  const r = await setUp(page, { reader: true });
  await page.getByTestId('card-button').click();
  await expect(page.getByTestId('card-screen')).toBeVisible();
  r.sim?.placeCard({ text: SAMPLE_ELDER });
  await expect(page.getByTestId('card-greeting')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('card-name')).toHaveText('张*');
  await expect(page.getByTestId('elderly-priority')).toBeVisible();
  const html = await page.content();
  expect(html).not.toContain(SAMPLE_ELDER.idNumber);
  expect(html).not.toContain(SAMPLE_ELDER.name);
  await page.screenshot({ path: `${SCREENS}kiosk-agent-card.png` });

  await page.getByTestId('category-综合服务').click();
  await page.getByTestId('service-gen-sbk').click();
  await expect(page.getByTestId('confirm-card')).toContainText('张*');
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('printed-view')).toBeVisible();
  const shown = (await page.getByTestId('ticket-number').textContent()) ?? '';
  const ticket = await snapshotTicket(r, shown);
  expect(ticket).toMatchObject({ number: shown, priority: 'elderly' });
});

/** Today's ticket with this number, as a manager's snapshot (socket.io) shows it. */
async function snapshotTicket(r: Rig, number: string): Promise<TicketView | undefined> {
  const token = await r.server.login('admin');
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(r.server.url, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
  });
  try {
    const snap = await new Promise<Snapshot>((resolve, reject) =>
      socket.emit('sync:snapshot', (a) => ('data' in a ? resolve(a.data) : reject(new Error(a.error.message)))),
    );
    return snap.tickets.find((t) => t.number === number);
  } finally {
    socket.close();
  }
}
