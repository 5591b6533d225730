/**
 * Issue 3 — resilience: revoking a device blanks its screen (it pairs again, its token forgotten); a server
 * killed (SIGKILL) and restarted on the same data: every screen says "连接中断" while it is down and
 * converges again by itself after the restart.
 */
import { mkdirSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type E2EServer, PASSWORD, startServer } from './server.js';

const SHOTS = new URL('../../../test-results/screens/', import.meta.url).pathname;

let server: E2EServer;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => server?.stop());

async function openPage(browser: Browser, path: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(`${server.url}${path}`);
  return page;
}

/** A device screen opened with its token is connected: neither pairing nor connecting any more. */
async function expectConnected(page: Page) {
  await expect(page.getByTestId('pairing')).toHaveCount(0);
  await expect(page.getByTestId('connecting')).toHaveCount(0);
  await expect(page.getByTestId('connection-lost')).toHaveCount(0);
}

test('revoking a device blanks its screen: it leaves its live view and pairs again, its token forgotten', async ({ browser }) => {
  const admin = await server.login('admin');
  const created = await server.api('POST', '/devices', admin, { kind: 'hall-display', name: '大厅主屏' });
  expect(created.status).toBe(201);
  const hall = await openPage(browser, `/hall?token=${created.json.token}`, { width: 1920, height: 1080 });
  await expectConnected(hall);
  await expect(hall.getByTestId('hall')).toBeVisible();
  expect(await hall.evaluate(() => localStorage.getItem('yimen.token.hall'))).toBe(created.json.token);

  expect((await server.api('DELETE', `/devices/${created.json.device.id}`, admin)).status).toBe(204);
  await expect(hall.getByTestId('pairing')).toBeVisible();
  await expect(hall.getByTestId('pairing-code')).toHaveText(/^\d{6}$/);
  await expect(hall.getByTestId('hall')).toHaveCount(0);
  expect(await hall.evaluate(() => localStorage.getItem('yimen.token.hall'))).toBeNull();

  // reloading does not bring the old token back
  await hall.reload();
  await expect(hall.getByTestId('pairing')).toBeVisible();
});

test('a server killed and restarted: every screen shows 连接中断 while down, then converges by itself', async ({ browser }) => {
  const hallToken = await server.device('hall-display');
  const counterToken = await server.device('counter-display', 'w1');
  const hall = await openPage(browser, `/hall?token=${hallToken}`, { width: 1920, height: 1080 });
  const counter = await openPage(browser, `/counter/1?token=${counterToken}`, { width: 1280, height: 400 });
  const manager = await openPage(browser, '/manager', { width: 1366, height: 768 });
  await manager.getByLabel('用户名').fill('manager');
  await manager.getByLabel('密码').fill(PASSWORD);
  await manager.getByRole('button', { name: '登录' }).click();
  await expect(manager.getByTestId('manager-live')).toHaveText('● 实时');
  await expectConnected(hall);
  await expectConnected(counter);

  const kiosk = await server.device('kiosk');
  expect((await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-a', requestId: 'before' })).status).toBe(201);
  const waitingA = manager.locator('[data-testid="queue-row"][data-service-id="gen-a"]').getByTestId('queue-waiting');
  await expect(waitingA).toHaveText('1');

  await server.kill();
  for (const page of [hall, counter]) await expect(page.getByTestId('connection-lost')).toBeVisible();
  // the manager's figures say they are not live: once, in its banner (and its small status pill), not a third time
  await expect(manager.getByTestId('manager-stale')).toBeVisible();
  await expect(manager.getByTestId('manager-stale')).toContainText('连接中断');
  await expect(manager.getByTestId('manager-live')).toHaveText('连接中断');
  await expect(manager.getByTestId('connection-lost')).toHaveCount(0);
  mkdirSync(SHOTS, { recursive: true });
  await manager.screenshot({ path: `${SHOTS}manager-offline-1366x768.png` });

  await server.restart();
  // a ticket issued after the restart reaches the manager's counts; every screen is live again
  expect((await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-a', requestId: 'after' })).status).toBe(201);
  await expect(waitingA).toHaveText('2', { timeout: 20_000 });
  await expect(manager.getByTestId('manager-live')).toHaveText('● 实时');
  await expect(manager.getByTestId('manager-stale')).toHaveCount(0);
  for (const page of [hall, counter, manager])
    await expect(page.getByTestId('connection-lost')).toHaveCount(0, { timeout: 20_000 });
  await expectConnected(hall);
  await expectConnected(counter);
  // and they show the hall as it is now: the counter screen its counter, the hall screen the queue
  await expect(counter.getByTestId('counter-screen')).toBeVisible();
  await expect(hall.getByTestId('hall')).toBeVisible();
});
