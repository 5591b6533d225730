/**
 * The manager's live view and the kiosks' hardware: a kiosk reports its printer and card reader
 * (POST /devices/me/reports); the faults appear among the alerts and in the device list live, and go when
 * the kiosk reports them fixed. The 号票打印记录 panel: hidden without a demo printer (the real server's
 * 404), then, with the demo printer's record answered in the browser, empty, and with tickets.
 */
import { mkdirSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { type E2EServer, PASSWORD, startServer } from './server.js';

const SHOTS = new URL('../../../test-results/screens/', import.meta.url).pathname;

let server: E2EServer;
const sockets: Socket[] = [];
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await server?.stop();
});

async function openManager(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await page.goto(`${server.url}/manager`);
  await page.getByLabel('用户名').fill('manager');
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('manager')).toBeVisible();
  await expect(page.getByTestId('manager-live')).toHaveText('● 实时');
  return page;
}

/** A kiosk paired under a name of the hall's, connected as its renderer would be (so it shows online). */
async function kiosk(name: string): Promise<{ token: string; id: string }> {
  const admin = await server.login('admin');
  const r = await server.api('POST', '/devices', admin, { kind: 'kiosk', name });
  expect(r.status).toBe(201);
  const socket = io(server.url, { auth: { token: r.json.token }, transports: ['websocket'], reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { token: r.json.token, id: r.json.device.id };
}

async function report(token: string, component: 'printer' | 'card-reader', fault: string | null, detail?: string) {
  const r = await server.api('POST', '/devices/me/reports', token, { component, fault, ...(detail ? { detail } : {}) });
  expect(r.status).toBe(200);
}

const faultAlerts = (page: Page) => page.locator('[data-testid="alert"][data-kind="device-fault"]');
const deviceRow = (page: Page, id: string) => page.locator(`[data-testid="device-row"][data-device-id="${id}"]`);

test('a kiosk out of paper is an alert and a chip in the device list, live; fixed, both go; a warning is amber', async ({
  browser,
}) => {
  const east = await kiosk('一楼东侧取号机');
  const west = await kiosk('一楼西侧取号机');
  const page = await openManager(browser);
  await expect(deviceRow(page, east.id).getByTestId('device-status')).toContainText('在线');
  await expect(faultAlerts(page)).toHaveCount(0);
  await expect(page.getByTestId('alerts')).toContainText('暂无提醒');

  // out of paper: red, live, without a reload
  await report(east.token, 'printer', 'PAPER_OUT');
  const paperOut = faultAlerts(page).filter({ hasText: '打印机缺纸' });
  await expect(paperOut).toHaveText(/^一楼东侧取号机：打印机缺纸 · 自 \d\d:\d\d$/);
  await expect(paperOut).toHaveClass(/mgr-alert-red/);
  await expect(paperOut).toHaveAttribute('data-code', 'PAPER_OUT');
  const chip = deviceRow(page, east.id).getByTestId('device-fault');
  await expect(chip).toHaveText('打印机缺纸');
  await expect(chip).toHaveClass(/mgr-fault-red/);

  // paper put in: gone from both
  await report(east.token, 'printer', null);
  await expect(faultAlerts(page)).toHaveCount(0);
  await expect(deviceRow(page, east.id).getByTestId('device-fault')).toHaveCount(0);

  // near the end of the roll: amber; the other kiosk's card reader fails with the driver's words: red, first
  await report(east.token, 'printer', 'PAPER_NEAR_END');
  const nearEnd = faultAlerts(page).filter({ hasText: '打印纸将尽' });
  await expect(nearEnd).toHaveClass(/mgr-alert-amber/);
  await expect(deviceRow(page, east.id).getByTestId('device-fault')).toHaveClass(/mgr-fault-amber/);
  await report(west.token, 'card-reader', 'READER_ERROR', '读卡模块无响应（SW 0x6F00）');
  await report(west.token, 'printer', 'COVER_OPEN');
  await expect(faultAlerts(page)).toHaveCount(3);
  await expect(faultAlerts(page).first()).toHaveClass(/mgr-alert-red/);
  await expect(faultAlerts(page).last()).toHaveAttribute('data-code', 'PAPER_NEAR_END');
  await expect(faultAlerts(page).filter({ hasText: '身份证读卡器故障' })).toContainText('读卡模块无响应（SW 0x6F00）');
  // oldest first
  await expect(deviceRow(page, west.id).getByTestId('device-fault')).toHaveText(['身份证读卡器故障', '打印机盖未关']);
  // the kiosk with a stopping fault heads the device list
  await expect(page.getByTestId('device-row').first()).toHaveAttribute('data-device-id', west.id);

  // the tickets are out of the picture: nothing wider than the window
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}manager-device-faults.png` });
  await page.screenshot({ path: `${SHOTS}manager-device-faults-full.png`, fullPage: true });
  await page.getByTestId('alerts').screenshot({ path: `${SHOTS}manager-device-faults-alerts.png` });
  await page.getByTestId('devices').screenshot({ path: `${SHOTS}manager-device-faults-devices.png` });

  // revoked: its faults leave with it
  const admin = await server.login('admin');
  expect((await server.api('DELETE', `/devices/${west.id}`, admin)).status).toBe(204);
  await expect(faultAlerts(page)).toHaveCount(1);
  await expect(faultAlerts(page)).toHaveAttribute('data-code', 'PAPER_NEAR_END');
});

/**
 * A printed ticket as the virtual printer renders it: 576 dots wide (80 mm paper), black on white, no grey
 * (drawn in the page's canvas, then thresholded like a thermal head).
 */
async function ticketPng(page: Page, number: string, service: string): Promise<Buffer> {
  const dataUrl = await page.evaluate(
    ([number, service]) => {
      const c = document.createElement('canvas');
      c.width = 576;
      c.height = 910;
      const g = c.getContext('2d');
      if (!g) throw new Error('no canvas');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, c.width, c.height);
      g.fillStyle = '#000';
      g.textAlign = 'center';
      g.textBaseline = 'top';
      const text = (t: string, y: number, px: number, bold = false) => {
        g.font = `${bold ? 'bold ' : ''}${px}px sans-serif`;
        g.fillText(t, 288, y);
      };
      text('测试县政务服务中心', 24, 48, true);
      text(service ?? '', 78, 48);
      text(number ?? '', 170, 170, true);
      text('前面还有 1 人 · 预计等候约 8 分钟', 370, 24);
      text('取号时间 2026-11-30 09:01', 400, 24);
      for (let y = 0; y < 25; y++)
        for (let x = 0; x < 25; x++)
          if ((x * 7 + y * 13 + x * y) % 3 === 0 || (x < 7 && y < 7) || (x > 17 && y < 7) || (x < 7 && y > 17))
            g.fillRect(176 + x * 9, 460 + y * 9, 9, 9);
      text('过号请到咨询台重新排队', 724, 24);
      for (let x = 0; x < 576; x += 16) g.fillRect(x, 880, 8, 2);
      const img = g.getImageData(0, 0, c.width, c.height);
      for (let i = 0; i < img.data.length; i += 4) {
        const v = (img.data[i] ?? 255) < 128 ? 0 : 255;
        img.data[i] = img.data[i + 1] = img.data[i + 2] = v;
        img.data[i + 3] = 255;
      }
      g.putImageData(img, 0, 0);
      return c.toDataURL('image/png');
    },
    [number, service],
  );
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

test('号票打印记录: no panel without a demo printer; with one, empty, then the newest ticket and the last few', async ({
  browser,
}) => {
  const page = await openManager(browser);
  // the real server runs no demo printer: 404, no panel
  expect((await page.request.get(`${server.url}/demo/printer/index.json`)).status()).toBe(404);
  await expect(page.getByTestId('queues')).toBeVisible();
  await expect(page.getByTestId('printed')).toHaveCount(0);

  // a demo printer answers: first nothing printed, then tickets (newest first), one cut off mid-job
  let index: unknown[] = [];
  await page.route('**/demo/printer/index.json', (route) => route.fulfill({ json: index }));
  const numbers = ['', 'A001', 'A002', 'A003', 'A004', 'A005', 'A006', 'A007', 'C003', 'A009'];
  const pngs: Buffer[] = [];
  for (const number of numbers) pngs.push(await ticketPng(page, number, number.startsWith('C') ? '不动产登记' : '社会救助申请'));
  await page.route(/\/demo\/printer\/\d+-\d+\.png$/, (route) => {
    const n = Number(/(\d+)-\d+\.png$/.exec(route.request().url())?.[1] ?? 0);
    return route.fulfill({ contentType: 'image/png', body: pngs[n] ?? pngs[1] });
  });
  // (without a demo printer the view asks only every minute: a server starts in demo mode or not)
  await page.reload();
  await expect(page.getByTestId('manager-live')).toHaveText('● 实时');
  await expect(page.getByTestId('printed-empty')).toBeVisible();

  const at = (s: number) => `2026-11-30T01:${String(10 + s).padStart(2, '0')}:05.000Z`;
  const entry = (n: number, number: string, extra: Record<string, unknown> = {}) => ({
    file: `${String(n).padStart(4, '0')}-09${String(10 + n).padStart(2, '0')}05.png`,
    receivedAt: at(n),
    complete: true,
    printed: true,
    lines: ['测试县政务服务中心', '社会救助申请', number, '前面还有 1 人 · 预计等候约 8 分钟'],
    ...extra,
  });
  index = [
    entry(9, 'A009'),
    entry(8, 'C003', { complete: false, printed: false, lines: ['测试县政务服务中心', '不动产登记', 'C003'] }),
    ...[7, 6, 5, 4, 3, 2, 1].map((n) => entry(n, `A00${n}`)),
  ];
  const main = page.getByTestId('printed-main');
  await expect(main).toHaveAttribute('data-file', '0009-091905.png', { timeout: 8000 });
  await expect(page.getByTestId('printed-caption')).toContainText('A009');
  await expect(page.getByTestId('printed-caption')).toContainText('09:19:05');
  await expect(page.getByTestId('printed-thumb')).toHaveCount(8);
  await expect(main.locator('img')).toHaveJSProperty('complete', true);
  expect(await main.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(576);
  expect(await main.locator('img').evaluate((img) => img.clientWidth)).toBe(288);

  // the cut-off job, chosen: 打印中断
  await page.locator('[data-testid="printed-thumb"][data-file="0008-091805.png"]').click();
  await expect(main).toHaveAttribute('data-file', '0008-091805.png');
  await expect(page.getByTestId('printed-trouble')).toHaveText('打印中断');
  await page.getByTestId('printed').scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  mkdirSync(SHOTS, { recursive: true });
  await page.getByTestId('printed').screenshot({ path: `${SHOTS}manager-printed-tickets.png` });
  await page.screenshot({ path: `${SHOTS}manager-printed-tickets-page.png` });

  // 原尺寸 at a click: one dot one pixel; back at another
  await page.getByTestId('printed-zoom').click();
  await expect(page.getByTestId('printed-zoom')).toHaveAttribute('aria-pressed', 'true');
  expect(await main.locator('img').evaluate((img) => img.clientWidth)).toBe(576);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.getByTestId('printed').screenshot({ path: `${SHOTS}manager-printed-tickets-full-size.png` });
  await page.getByTestId('printed-zoom').click();
  expect(await main.locator('img').evaluate((img) => img.clientWidth)).toBe(288);

  // at 1366×768 it fits beside the thumbnails
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.getByTestId('printed').scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.getByTestId('printed').screenshot({ path: `${SHOTS}manager-printed-tickets-1366.png` });

  // back to the newest; the demo printer gone again (404): the panel goes
  await page.locator('[data-testid="printed-thumb"][data-file="0009-091905.png"]').click();
  await expect(page.getByTestId('printed-trouble')).toHaveCount(0);
  await page.unroute('**/demo/printer/index.json');
  await expect(page.getByTestId('printed')).toHaveCount(0, { timeout: 8000 });
});
