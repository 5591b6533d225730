/** Issue 3 — the clerk console: open the counter, call, recall by key, serve, finish, transfer, errors in plain words. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { type E2EServer, PASSWORD, startServer } from './server.js';

const SHOTS = fileURLToPath(new URL('../../../test-results/screens/', import.meta.url));

let server: E2EServer;
test.beforeEach(async () => {
  server = await startServer();
  mkdirSync(SHOTS, { recursive: true });
});
test.afterEach(async () => server?.stop());

async function logIn(page: Page, username: string) {
  await page.goto(`${server.url}/clerk`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('clerk')).toBeVisible();
}

test('a clerk opens the counter, calls, recalls by key, serves, finishes, transfers; refusals in plain words', async ({
  browser,
}) => {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await logIn(page, 'clerk1');
  await expect(page.getByTestId('clerk-counter')).toContainText('1号窗口');
  await expect(page.getByTestId('clerk-state')).toHaveText('未开启');
  await page.screenshot({ path: `${SHOTS}clerk-closed-1920x1080.png` });
  await page.getByTestId('clerk-open').click();
  await expect(page.getByTestId('clerk-state')).toHaveText('工作中');
  await expect(page.getByTestId('clerk-action-call-next')).toBeDisabled(); // nobody waits yet

  const manager = await server.login('manager');
  const issue = async (serviceId: string, requestId: string) => {
    const r = await server.api('POST', '/tickets', manager, { serviceId, requestId });
    expect(r.status).toBe(201);
    return r.json.ticket as { id: string; number: string };
  };
  const a001 = await issue('gen-a', 'r1');
  expect(a001.number).toBe('A001');
  await expect(page.getByTestId('waiting-A001')).toContainText('社会救助申请');
  await expect(page.getByTestId('clerk-waiting-count')).toHaveText('1');

  // 叫号 by the button
  await page.getByTestId('clerk-action-call-next').click();
  await expect(page.getByTestId('clerk-current-number')).toHaveText('A001');
  await expect(page.getByTestId('clerk-current-status')).toHaveText('已叫号');
  await expect(page.getByTestId('waiting-A001')).toHaveCount(0);
  const called = await server.api('GET', `/tickets/${a001.id}`, manager);
  expect(called.json.ticket).toMatchObject({ status: 'called', counterId: 'w1' });

  // 重呼 by F2, 开始办理 by F3
  await page.keyboard.press('F2');
  await expect(page.getByTestId('clerk-notice')).toHaveText('已重呼 A001');
  await expect(page.getByTestId('clerk-current')).toContainText('已重呼 1 次');
  await page.keyboard.press('F3');
  await expect(page.getByTestId('clerk-current-status')).toHaveText('办理中');
  await expect(page.getByTestId('clerk-action-recall')).toBeDisabled();

  // 重呼 while serving: the key only brings a brief, quiet hint in the server's words, no red banner
  await page.keyboard.press('F2');
  await expect(page.getByTestId('clerk-hint')).toHaveText('重呼（F2）暂不可用：该号票已在办理中。');
  await expect(page.getByTestId('clerk-error')).toHaveCount(0);
  await expect(page.getByTestId('clerk-hint')).toHaveCount(0, { timeout: 8000 });

  // A few more tickets, for the list and the screenshots
  await issue('gen-b', 'r2');
  await issue('gen-a', 'r3');
  await issue('re', 'r4'); // not this counter's service
  await expect(page.getByTestId('clerk-waiting-count')).toHaveText('2');
  await expect(page.getByTestId('waiting-C001')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}clerk-1920x1080.png` });
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.screenshot({ path: `${SHOTS}clerk-1366x768.png` });

  // 办结
  await page.getByTestId('clerk-action-finish').click();
  await expect(page.getByTestId('clerk-error')).toHaveCount(0);
  await expect(page.getByTestId('clerk-current')).toContainText('暂无号票');
  await expect(page.getByTestId('tally-served')).toHaveText('1');
  expect((await server.api('GET', `/tickets/${a001.id}`, manager)).json.ticket.status).toBe('done');

  // 叫号 by F1 (A002), then 转移 by F6 to 不动产登记, found by pinyin initials
  await page.keyboard.press('F1');
  await expect(page.getByTestId('clerk-current-number')).toHaveText('A002');
  await page.keyboard.press('F6');
  await expect(page.getByTestId('transfer-dialog')).toBeVisible();
  await expect(page.getByTestId('transfer-service-gen-b')).toHaveCount(0); // its own service is not offered
  // a closed counter is listed with the reason but cannot be picked: nobody would call the ticket there
  await expect(page.getByTestId('transfer-counter-w5')).toBeDisabled();
  await expect(page.getByTestId('transfer-counter-w5')).toContainText('未开启 · 转入后无人叫号');
  await page.getByTestId('transfer-search').fill('bdc');
  await expect(page.getByTestId('transfer-service-re')).toBeVisible();
  await expect(page.getByTestId('transfer-service-gen-a')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}clerk-transfer-1366x768.png` });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('transfer-dialog')).toHaveCount(0);
  await expect(page.getByTestId('clerk-notice')).toContainText('A002 已转至“不动产登记”');
  await expect(page.getByTestId('clerk-current')).toContainText('暂无号票');
  await expect(page.getByTestId('tally-transferred')).toHaveText('1');
  const queues = await server.api('GET', '/queues', manager);
  expect(queues.json.queues.find((q: { serviceId: string }) => q.serviceId === 're').waiting).toBe(2);

  // A refusal from the server itself: the hall pauses the counter while 叫号 is on its way.
  await page.route('**/api/v1/counters/w1/call-next', async (route) => {
    expect((await server.api('POST', '/counters/w1/pause', manager, {})).status).toBe(200);
    await route.continue();
  });
  await page.getByTestId('clerk-action-call-next').click();
  await expect(page.getByTestId('clerk-error')).toHaveText(/窗口未开放或已暂停，请先开启窗口。/);
  await expect(page.getByTestId('clerk-state')).toHaveText('暂停服务');
  await page.unroute('**/api/v1/counters/w1/call-next');

  // 恢复 by F7, then 叫号 works again
  await page.keyboard.press('F7');
  await expect(page.getByTestId('clerk-state')).toHaveText('工作中');
  await page.getByTestId('clerk-action-call-next').click();
  await expect(page.getByTestId('clerk-current-number')).toHaveText('A003');
  await expect(page.getByTestId('clerk-error')).toHaveCount(0);
});

test('下班 closes the counter once it holds no ticket; 退出登录 returns to the login', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await logIn(page, 'clerk5');
  await page.getByTestId('clerk-open').click();
  await expect(page.getByTestId('clerk-state')).toHaveText('工作中');
  const manager = await server.login('manager');
  expect((await server.api('POST', '/tickets', manager, { serviceId: 're', requestId: 'x1' })).status).toBe(201);
  await page.keyboard.press('F1');
  await expect(page.getByTestId('clerk-current-number')).toHaveText('C001');
  await expect(page.getByTestId('clerk-action-close')).toBeDisabled();
  await page.keyboard.press('F8');
  await expect(page.getByTestId('clerk-hint')).toHaveText(/窗口还有未办结的号票，请先办结或转移。/);
  await expect(page.getByTestId('clerk-error')).toHaveCount(0);
  await page.keyboard.press('F5'); // 过号
  await expect(page.getByTestId('tally-no-show')).toHaveText('1');
  await page.keyboard.press('F8');
  await expect(page.getByTestId('clerk-state')).toHaveText('未开启');
  expect((await server.api('GET', '/hall', manager)).json.counters.find((c: { id: string }) => c.id === 'w5').state).toBe(
    'closed',
  );
  await page.getByTestId('clerk-logout').click();
  await expect(page.getByTestId('login')).toBeVisible();
});
