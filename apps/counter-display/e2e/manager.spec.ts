/**
 * Issue 3 — the manager's live view: queues and counters change live; the notice is saved; a hall screen
 * without a token is approved by its code in the view and connects; device presence; screenshots at the
 * two desktop sizes.
 */
import { mkdirSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { ADMIN_PASSWORD, type E2EServer, PASSWORD, startServer } from './server.js';

const SHOTS = new URL('../../../test-results/screens/', import.meta.url).pathname;

let server: E2EServer;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => server?.stop());

async function openManager(browser: Browser, viewport: { width: number; height: number }, username = 'manager'): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(`${server.url}/manager`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(username === 'admin' ? ADMIN_PASSWORD : PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('manager')).toBeVisible();
  await expect(page.getByTestId('manager-live')).toHaveText('● 实时');
  return page;
}

const queueRow = (page: Page, serviceId: string) => page.locator(`[data-testid="queue-row"][data-service-id="${serviceId}"]`);
const counterRow = (page: Page, counterId: string) => page.locator(`[data-testid="counter-row"][data-counter-id="${counterId}"]`);

test('live queues and counters, the notice saved, a hall screen approved by its code in the view, device presence', async ({
  browser,
}) => {
  const page = await openManager(browser, { width: 1920, height: 1080 });
  const manager = await server.login('manager');
  const clerk1 = await server.login('clerk1');
  await expect(page.getByRole('heading', { name: '大厅管理' })).toBeVisible();
  await expect(page.getByText('测试县政务服务中心')).toBeVisible();
  await expect(queueRow(page, 'gen-a').getByTestId('queue-waiting')).toHaveText('0');
  await expect(counterRow(page, 'w1')).toHaveAttribute('data-activity', 'closed');
  // a manager is not offered the admin's revocation
  await expect(page.getByTestId('device-revoke')).toHaveCount(0);

  // a ticket issued through the API: the waiting count of its service changes live
  expect((await server.api('POST', '/tickets', manager, { serviceId: 'gen-a', requestId: 'mgr-1' })).status).toBe(201);
  await expect(queueRow(page, 'gen-a').getByTestId('queue-waiting')).toHaveText('1');
  await expect(page.getByTestId('total-waiting')).toHaveText('1');
  // nobody serves it yet: flagged
  await expect(page.locator('[data-testid="alert"][data-kind="no-open-counter"]')).toContainText('社会救助申请（A）有 1 人等候');

  // the clerk opens w1 and calls: the counter row shows the number, the queue empties, the alert goes
  expect((await server.api('POST', '/counters/w1/open', clerk1, {})).status).toBe(200);
  await expect(counterRow(page, 'w1')).toHaveAttribute('data-activity', 'idle');
  await expect(counterRow(page, 'w1')).toContainText('张晓明');
  await expect(page.locator('[data-testid="alert"][data-kind="no-open-counter"]')).toHaveCount(0);
  expect((await server.api('POST', '/counters/w1/call-next', clerk1, {})).status).toBe(200);
  await expect(counterRow(page, 'w1').getByTestId('counter-ticket')).toHaveText('A001');
  await expect(counterRow(page, 'w1')).toHaveAttribute('data-activity', 'called');
  await expect(queueRow(page, 'gen-a').getByTestId('queue-waiting')).toHaveText('0');
  expect((await server.api('POST', '/counters/w1/start', clerk1, {})).status).toBe(200);
  await expect(counterRow(page, 'w1')).toHaveAttribute('data-activity', 'serving');

  // the notice: edited and saved in the view, stored by the server
  const notice = '今天下午 14:00 起不动产登记窗口暂停受理，请提前取号。';
  await page.getByTestId('notice-input').fill(notice);
  await page.getByTestId('notice-save').click();
  await expect(page.getByTestId('notice-message')).toHaveText('已保存，大厅屏幕即时更新。');
  await expect(page.getByTestId('notice-current')).toContainText(notice);
  const hallInfo = await server.api('GET', '/hall', manager);
  expect(hallInfo.json.hall.notice).toBe(notice);

  // pairing: a hall screen without a token shows a code; the manager approves that code in the view
  const hallContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const hall = await hallContext.newPage();
  await hall.goto(`${server.url}/hall`);
  await expect(hall.getByTestId('pairing-code')).toHaveText(/^\d{6}$/);
  const code = (await hall.getByTestId('pairing-code').textContent())?.trim() ?? '';
  const request = page.locator(`[data-testid="pairing-request"][data-code="${code}"]`);
  await expect(request).toContainText('大厅综合屏');
  await page.getByPlaceholder('输入屏幕上的配对码').fill(code);
  await request.getByTestId('pairing-name').fill('一楼大厅主屏');
  await request.getByTestId('pairing-approve').click();
  await expect(page.getByTestId('pairing-message')).toContainText(`已批准“一楼大厅主屏”（配对码 ${code}）`);
  await expect(hall.getByTestId('pairing')).toHaveCount(0);
  await expect(hall.getByTestId('connecting')).toHaveCount(0);
  await expect(request).toHaveCount(0);

  // the new device is listed and shown online; once its screen is closed, offline
  const row = page.getByTestId('device-row').filter({ hasText: '一楼大厅主屏' });
  await expect(row).toContainText('大厅综合屏');
  await expect(row.getByTestId('device-status')).toHaveText('● 在线');
  await hallContext.close();
  await expect(row.getByTestId('device-status')).toContainText('离线');
});

test('screenshots of the manager view at 1920×1080 (manager) and 1366×768 (admin, who may revoke)', async ({ browser }) => {
  mkdirSync(SHOTS, { recursive: true });
  const kiosk = await server.device('kiosk');
  const pad1 = await server.device('evaluation-pad', 'w1');
  await server.device('counter-display', 'w1');
  await server.device('hall-display');
  const [clerk1, clerk2, clerk5] = await Promise.all(['clerk1', 'clerk2', 'clerk5'].map((u) => server.login(u)));
  const ok = async (r: Promise<{ status: number }>) => expect([200, 201, 204]).toContain((await r).status);
  for (const [i, serviceId] of ['gen-a', 'gen-b', 'gen-a', 're', 'gen-a', 're', 'gen-b', 'gen-a', 're'].entries())
    await ok(server.api('POST', '/tickets', kiosk, { serviceId, requestId: `shot-${i}` }));
  await ok(server.api('POST', '/counters/w1/open', clerk1, {}));
  await ok(server.api('POST', '/counters/w2/open', clerk2, {}));
  await ok(server.api('POST', '/counters/w5/open', clerk5, {}));
  const first = await server.api('POST', '/counters/w1/call-next', clerk1, {});
  await ok(server.api('POST', '/counters/w1/finish', clerk1, {}));

  const page = await openManager(browser, { width: 1920, height: 1080 });
  // evaluations arrive while the view is open: a good one and a low one with reasons
  await ok(
    server.api('POST', '/evaluations', pad1, {
      ticketId: first.json.ticket.id,
      level: 'very_dissatisfied',
      reasons: ['效率低', '多次跑腿'],
      comment: '材料清单没有一次说清楚',
    }),
  );
  await ok(server.api('POST', '/counters/w1/call-next', clerk1, {}));
  await ok(server.api('POST', '/counters/w1/start', clerk1, {}));
  await ok(server.api('POST', '/counters/w2/call-next', clerk2, {}));
  await ok(server.api('POST', '/counters/w5/pause', clerk5, {}));
  // a screen waiting to be paired
  await ok(server.api('POST', '/pairings', null, { kind: 'counter-display', counterNumber: 2 }));

  await expect(page.getByTestId('evaluation')).toHaveCount(1);
  await expect(page.getByTestId('evaluation')).toContainText('非常不满意');
  await expect(page.getByTestId('evaluation')).toContainText('A001');
  await expect(page.getByTestId('evaluation')).toContainText('张晓明');
  await expect(page.getByTestId('pairing-request')).toHaveCount(1);
  await expect(counterRow(page, 'w5')).toHaveAttribute('data-activity', 'paused');
  await expect(page.locator('[data-testid="alert"][data-kind="no-open-counter"]')).toContainText('不动产登记（C）');
  await expect(page.getByTestId('device-row')).toHaveCount(4);
  // nothing wider than the window
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: `${SHOTS}manager-1920x1080.png` });
  await page.screenshot({ path: `${SHOTS}manager-1920x1080-full.png`, fullPage: true });

  const admin = await openManager(browser, { width: 1366, height: 768 }, 'admin');
  await expect(admin.getByTestId('pairing-request')).toHaveCount(1);
  await expect(admin.getByTestId('device-revoke')).toHaveCount(4);
  expect(await admin.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  // a device's status ("离线 不到 1 分钟") and a clerk's name with 工号 each stay on one line
  await expect(admin.getByTestId('device-status').first()).toContainText('离线');
  await expect(admin.getByTestId('counter-staff')).toHaveCount(3);
  const wrapped = await admin.evaluate(() =>
    Array.from(document.querySelectorAll('.mgr-online, .mgr-offline, [data-testid="counter-staff"]'))
      .filter((el) => {
        const lineHeight = Number.parseFloat(getComputedStyle(el).fontSize) * 1.6;
        return el.getClientRects().length !== 1 || el.getBoundingClientRect().height > lineHeight;
      })
      .map((el) => el.textContent),
  );
  expect(wrapped).toEqual([]);
  await admin.screenshot({ path: `${SHOTS}manager-1366x768.png` });
  await admin.screenshot({ path: `${SHOTS}manager-1366x768-full.png`, fullPage: true });

  // the admin revokes the kiosk in the view (two steps): it leaves the list of devices in use
  const kioskRow = admin.getByTestId('device-row').filter({ hasText: '取号机' });
  await kioskRow.getByTestId('device-revoke').click();
  await kioskRow.getByTestId('device-revoke-confirm').click();
  await expect(admin.getByTestId('device-message')).toContainText('已撤销');
  await expect(admin.getByTestId('device-row')).toHaveCount(3);
  expect((await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-a', requestId: 'after-revoke' })).status).toBe(401);
});
