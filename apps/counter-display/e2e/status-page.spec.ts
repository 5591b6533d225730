/**
 * The ticket's status page on a phone (/t/{key}, the QR's address): it follows the queue live, without
 * reloading; when the ticket is called it shows "请到 N 号窗口" large and vibrates once; a dropped connection
 * shows a discreet notice and comes back by itself.
 */
import { mkdirSync } from 'node:fs';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type E2EServer, startServer } from './server.js';

const SHOTS = new URL('../../../test-results/screens/', import.meta.url).pathname;

let server: E2EServer;
test.beforeEach(async () => {
  server = await startServer();
  mkdirSync(SHOTS, { recursive: true });
});
test.afterEach(async () => server?.stop());

type Marked = { __marker?: string; __vibrations?: unknown[] };

/** A phone (390×844) on the status page; navigator.vibrate is recorded; a marker proves no reload. */
async function openPhone(browser: Browser, statusPath: string): Promise<{ page: Page; loads: () => number }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await context.addInitScript(() => {
    const w = window as unknown as Marked;
    w.__vibrations = [];
    Object.defineProperty(navigator, 'vibrate', {
      configurable: true,
      value: (p: unknown) => {
        w.__vibrations?.push(p);
        return true;
      },
    });
  });
  const page = await context.newPage();
  let loads = 0;
  page.on('load', () => {
    loads++;
  });
  await page.goto(`${server.url}${statusPath}`);
  await page.evaluate(() => {
    (window as unknown as Marked).__marker = 'first-load';
  });
  return { page, loads: () => loads };
}

const marker = (page: Page) => page.evaluate(() => (window as unknown as Marked).__marker ?? null);
const vibrations = (page: Page) => page.evaluate(() => (window as unknown as Marked).__vibrations?.length ?? -1);

test('a phone follows its ticket live: people ahead drop, then "请到 5 号窗口" large, without reloading', async ({ browser }) => {
  const kiosk = await server.device('kiosk');
  const clerk = await server.login('clerk5');
  const first = (await server.api('POST', '/tickets', kiosk, { serviceId: 're', requestId: 'sp-1' })).json.ticket;
  const mine = (await server.api('POST', '/tickets', kiosk, { serviceId: 're', requestId: 'sp-2' })).json.ticket;
  expect(first.number).toBe('C001');

  const { page, loads } = await openPhone(browser, mine.statusPath);
  await expect(page.getByTestId('ticket-number')).toHaveText('C002');
  await expect(page.getByTestId('ticket-service')).toHaveText('不动产登记');
  await expect(page.getByTestId('ticket-status')).toHaveText('等候中');
  await expect(page.getByTestId('ticket-ahead')).toHaveText('1 人');
  await expect(page.getByTestId('ticket-call')).toBeHidden();
  await expect(page.getByTestId('ticket-conn')).toHaveText('实时更新中');
  await page.screenshot({ path: `${SHOTS}status-page-waiting.png`, fullPage: true });

  // the first is called: one person fewer ahead, on the page as it is
  await server.api('POST', '/counters/w5/open', clerk);
  expect((await server.api('POST', '/counters/w5/call-next', clerk, {})).json.ticket.number).toBe('C001');
  await expect(page.getByTestId('ticket-ahead')).toHaveText('0 人');
  // Next in line, but w5 (the only re counter open) now holds C001: W4 waits one re ticket at its default
  // 25 min (none released yet), (0 + 1) × 25 / 1 = 25. "即将叫号" is for an estimate of 0 (an idle counter).
  await expect(page.getByTestId('ticket-wait')).toHaveText('约 25 分钟');
  expect(await vibrations(page)).toBe(0);

  // mine is called: "请到 5 号窗口", large, once vibrated, the title says it too
  expect((await server.api('POST', '/counters/w5/call-next', clerk, {})).json.ticket.number).toBe('C002');
  const call = page.getByTestId('ticket-call');
  await expect(call).toBeVisible();
  await expect(call).toHaveText('请到 5 号窗口');
  await expect(page.getByTestId('ticket-status')).toHaveText('请前往窗口');
  await expect(page.getByTestId('ticket-ahead')).toBeHidden();
  await expect(page).toHaveTitle('请到 5 号窗口 · C002');
  const size = await call.locator('b').evaluate((b) => Number.parseFloat(getComputedStyle(b).fontSize));
  expect(size).toBeGreaterThanOrEqual(72);
  const box = await call.boundingBox();
  expect(box && box.y + box.height).toBeLessThan(844); // in view without scrolling
  expect(await vibrations(page)).toBe(1);
  await page.evaluate(() => {
    for (const a of document.getAnimations()) a.finish();
  });
  await page.screenshot({ path: `${SHOTS}status-page-called.png`, fullPage: true });

  // a recall changes nothing: no second vibration
  await server.api('POST', '/counters/w5/recall', clerk);
  await server.api('POST', '/counters/w5/start', clerk);
  await expect(page.getByTestId('ticket-status')).toHaveText('办理中');
  await expect(call).toBeHidden();
  expect(await vibrations(page)).toBe(1);

  // finished: the page says so and stops following
  await server.api('POST', '/counters/w5/finish', clerk);
  await expect(page.getByTestId('ticket-status')).toHaveText('已办结');
  await expect(page.getByTestId('ticket-conn')).toHaveText('本号票已结束，页面不再更新');
  await page.screenshot({ path: `${SHOTS}status-page-done.png`, fullPage: true });

  // never reloaded
  expect(await marker(page)).toBe('first-load');
  expect(loads()).toBe(1);
});

test('a dropped connection shows a discreet notice, then the page catches up by itself', async ({ browser }) => {
  const kiosk = await server.device('kiosk');
  const mine = (await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-a', requestId: 'sp-3' })).json.ticket;
  const { page, loads } = await openPhone(browser, mine.statusPath);
  await expect(page.getByTestId('ticket-conn')).toHaveText('实时更新中');

  await server.kill();
  await expect(page.getByTestId('ticket-conn')).toHaveText('连接中断，正在重连…');
  await expect(page.getByTestId('ticket-number')).toHaveText('A001'); // what it knew stays
  await page.screenshot({ path: `${SHOTS}status-page-reconnecting.png`, fullPage: true });

  await server.restart();
  const clerk = await server.login('clerk1');
  await server.api('POST', '/counters/w1/open', clerk);
  await server.api('POST', '/counters/w1/call-next', clerk, {});
  await expect(page.getByTestId('ticket-call')).toHaveText('请到 1 号窗口', { timeout: 20_000 });
  await expect(page.getByTestId('ticket-conn')).toHaveText('实时更新中');
  expect(await marker(page)).toBe('first-load');
  expect(loads()).toBe(1);
});
