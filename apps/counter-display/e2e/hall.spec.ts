/**
 * Issue 3 — the hall's big screen: a call made through the API shows as the latest call and reaches the voice
 * queue; a screen opened later shows the calls made before it; queues and counters change live.
 */
import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { type E2EServer, startServer } from './server.js';

const SHOTS = new URL('../../../test-results/screens/', import.meta.url).pathname;

let server: E2EServer;
test.beforeEach(async () => {
  server = await startServer();
  mkdirSync(SHOTS, { recursive: true });
});
test.afterEach(async () => server?.stop());

/** The hall screen's voice queue, as it shows itself to tests (src/voice/queue.ts). */
type VoiceWindow = { __yimenVoice?: { received: string[]; announced: string[] } };
/** Nothing cut off: every text of the screen (the scrolling notice aside) lies inside its panel and the window. */
async function expectNothingCut(page: Page) {
  const cut = await page.evaluate(() => {
    const inside = (r: DOMRect, box: DOMRect) =>
      r.left >= box.left - 1 && r.top >= box.top - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
    const view = new DOMRect(0, 0, window.innerWidth, window.innerHeight);
    return Array.from(document.querySelectorAll('[data-testid="hall"] *'))
      .filter((el) => el.childElementCount === 0 && (el.textContent ?? '').trim() !== '')
      .filter((el) => !el.closest('[data-testid="notice"]'))
      .filter((el) => {
        const r = el.getBoundingClientRect();
        const panel = el.closest('.hall-panel, .hall-latest, .hall-header')?.getBoundingClientRect() ?? view;
        return !inside(r, view) || !inside(r, panel);
      })
      .map((el) => el.textContent);
  });
  expect(cut).toEqual([]);
}

const voiceReceived = (page: Page) => page.evaluate(() => (window as VoiceWindow).__yimenVoice?.received ?? null);

test('a call reaches the hall screen and its voice; a screen opened later shows it; queues and counters live', async ({
  browser,
}) => {
  const kiosk = await server.device('kiosk');
  const clerk1 = await server.login('clerk1');
  const clerk2 = await server.login('clerk2');
  const hallToken = await server.device('hall-display');

  const hall = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await hall.goto(`${server.url}/hall?token=${hallToken}`);
  await expect(hall.getByTestId('hall')).toBeVisible();
  await expect(hall.getByTestId('no-call')).toBeVisible();
  await expect(hall.getByRole('heading', { name: '测试县政务服务中心' })).toBeVisible();
  await expect(hall.getByTestId('notice')).toContainText('请保管好您的随身物品');
  await expect(hall.getByTestId('counter-1')).toHaveAttribute('data-state', 'closed');
  await expect(hall.getByTestId('counter-1')).toContainText('未开放');
  expect(await voiceReceived(hall)).toEqual([]);

  // a ticket issued: the waiting count of its business
  const issued = await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-a', requestId: 'hall-1' });
  expect(issued.status).toBe(201);
  expect(issued.json.ticket.number).toBe('A001');
  await expect(hall.getByTestId('queue-s:gen-a')).toContainText('社会救助申请');
  await expect(hall.getByTestId('queue-s:gen-a')).toContainText('1人');
  await expect(hall.getByTestId('queue-c:综合服务')).toContainText('1人');

  // the clerk opens w1 and calls next
  expect((await server.api('POST', '/counters/w1/open', clerk1, {})).status).toBe(200);
  await expect(hall.getByTestId('counter-1')).toHaveAttribute('data-state', 'open');
  await expect(hall.getByTestId('counter-1')).toContainText('空闲');
  const called = await server.api('POST', '/counters/w1/call-next', clerk1, {});
  expect(called.status).toBe(200);
  expect(called.json.ticket.number).toBe('A001');

  const latest = hall.getByTestId('latest-call');
  await expect(latest).toContainText('A001');
  await expect(latest).toContainText('1号窗口');
  await expect(hall.getByTestId('latest-number')).toHaveText('A001');
  await expect(hall.getByTestId('latest-counter')).toHaveText(/^1号窗口$/);
  await expect(hall.getByTestId('counter-1')).toContainText('A001');
  await expect(hall.getByTestId('queue-s:gen-a')).toHaveCount(0);
  await expect.poll(() => voiceReceived(hall)).toEqual(['请A001号到1号窗口办理']);

  // a hall screen opened now shows the call made before it loaded, and does not announce it again
  const late = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await late.goto(`${server.url}/hall?token=${await server.device('hall-display')}`);
  await expect(late.getByTestId('latest-call')).toContainText('A001');
  await expect(late.getByTestId('latest-call')).toContainText('1号窗口');
  await expect(late.getByTestId('counter-1')).toContainText('A001');
  expect(await voiceReceived(late)).toEqual([]);

  // more live changes: a second counter, more tickets of two categories, a recall, a pause
  expect((await server.api('POST', '/counters/w2/open', clerk2, {})).status).toBe(200);
  for (const [i, serviceId] of ['gen-a', 'gen-b', 'gen-a', 're', 're', 'gen-b'].entries())
    expect((await server.api('POST', '/tickets', kiosk, { serviceId, requestId: `hall-more-${i}` })).status).toBe(201);
  await expect(hall.getByTestId('queue-c:不动产登记')).toContainText('2人');
  await expect(late.getByTestId('queue-c:综合服务')).toContainText('4人');
  const second = await server.api('POST', '/counters/w2/call-next', clerk2, {});
  const n2 = second.json.ticket.number as string;
  for (const page of [hall, late]) {
    await expect(page.getByTestId('latest-number')).toHaveText(n2);
    await expect(page.getByTestId('latest-counter')).toHaveText('2号窗口');
    await expect(page.getByTestId('recent-call').first()).toContainText('A001');
    await expect(page.getByTestId('counter-2')).toContainText(n2);
  }
  expect((await server.api('POST', '/counters/w1/start', clerk1, {})).status).toBe(200);
  expect((await server.api('POST', '/counters/w2/recall', clerk2, {})).status).toBe(200);
  await expect(hall.getByTestId('latest-call')).toContainText('重复呼叫');
  await expect(hall.getByTestId('latest-number')).toHaveText(n2);
  await expect(hall.getByTestId('recent-call').first()).toContainText(`${n2}→2号窗口`);
  await expect
    .poll(() => voiceReceived(hall))
    .toEqual(['请A001号到1号窗口办理', `请${n2}号到2号窗口办理`, `请${n2}号到2号窗口办理`]);
  await expect.poll(() => voiceReceived(late)).toEqual([`请${n2}号到2号窗口办理`, `请${n2}号到2号窗口办理`]);

  expect((await server.api('POST', '/counters/w1/finish', clerk1, {})).status).toBe(200);
  expect((await server.api('POST', '/counters/w1/pause', clerk1, {})).status).toBe(200);
  await expect(hall.getByTestId('counter-1')).toHaveAttribute('data-state', 'paused');
  await expect(hall.getByTestId('counter-1')).toContainText('暂停服务');
  await expect(hall.getByTestId('connection-lost')).toHaveCount(0);
  await expectNothingCut(hall);
  // animations at rest: the latest call's entrance ended, blinking numbers lit
  await hall.screenshot({ path: `${SHOTS}hall-1920x1080.png`, animations: 'disabled' });
});
