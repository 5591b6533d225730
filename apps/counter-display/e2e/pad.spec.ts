/** Issue 3 — the evaluation pad: idle shows the clerk; a finished ticket is rated once; 30 s without a touch leaves it unrated. */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { RATING_TIMEOUT_MS } from '../src/screens/pad/timing.js';
import { type E2EServer, startServer } from './server.js';

const SHOTS = fileURLToPath(new URL('../../../test-results/screens/', import.meta.url));

let server: E2EServer;
let clerk: string;
test.beforeEach(async () => {
  server = await startServer();
  mkdirSync(SHOTS, { recursive: true });
  clerk = await server.login('clerk1');
});
test.afterEach(async () => server?.stop());

/** Issues a ticket for w1, calls it and finishes it at w1, as clerk1. */
async function serveOne(requestId: string): Promise<{ id: string; number: string }> {
  const issued = await server.api('POST', '/tickets', clerk, { serviceId: 'gen-a', requestId });
  expect(issued.status).toBe(201);
  const called = await server.api('POST', '/counters/w1/call-next', clerk, {});
  expect(called.json.ticket.id).toBe(issued.json.ticket.id);
  expect((await server.api('POST', '/counters/w1/finish', clerk, {})).status).toBe(200);
  return issued.json.ticket;
}

test('the pad shows the clerk, asks after 办结, requires a reason for 不满意, stores the rating once', async ({ browser }) => {
  expect((await server.api('POST', '/counters/w1/open', clerk, {})).status).toBe(200);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true })).newPage();
  await page.goto(`${server.url}/pad/1?token=${await server.device('evaluation-pad', 'w1')}`);
  await expect(page.getByTestId('pad-idle')).toContainText('1号综合窗口');
  await expect(page.getByTestId('pad-clerk')).toContainText('张晓明');
  await expect(page.getByTestId('pad-clerk')).toContainText('工号 GD0101');
  await page.screenshot({ path: `${SHOTS}pad-idle-1280x800.png` });

  const a001 = await serveOne('p1');
  await expect(page.getByTestId('pad-rate')).toBeVisible();
  await expect(page.getByTestId('pad-ticket')).toHaveText('A001');
  await page.screenshot({ path: `${SHOTS}pad-rate-1280x800.png` });

  await page.getByTestId('pad-level-dissatisfied').click();
  await expect(page.getByTestId('pad-reasons')).toBeVisible();
  await expect(page.getByTestId('pad-submit')).toBeDisabled();
  await expect(page.getByTestId('pad-reasons')).toContainText('请至少选择一项原因');
  await page.getByTestId('pad-reason-效率低').click();
  await expect(page.getByTestId('pad-reason-效率低')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('pad-comment').fill('材料要求可以一次说清楚');
  // the comment box is of the dark theme: light text on the panel colour, not a white form field
  await expect(page.getByTestId('pad-comment')).toHaveCSS('background-color', 'rgb(19, 49, 92)');
  await expect(page.getByTestId('pad-comment')).toHaveCSS('color', 'rgb(244, 247, 251)');
  await page.screenshot({ path: `${SHOTS}pad-reasons-1280x800.png` });
  await page.getByTestId('pad-submit').click();
  await expect(page.getByTestId('pad-thanks')).toHaveAttribute('data-outcome', 'thanks');
  await expect(page.getByTestId('pad-thanks-text')).toHaveText('感谢您的评价！');
  // no synthetic bold of a CJK font that has none
  await expect(page.getByTestId('pad-thanks-text')).toHaveCSS('font-synthesis-weight', 'none');
  await page.screenshot({ path: `${SHOTS}pad-thanks-1280x800.png` });

  // stored: a second rating of the same ticket is refused
  const again = await server.api('POST', '/evaluations', clerk, { ticketId: a001.id, level: 'satisfied' });
  expect(again.status).toBe(409);
  expect(again.json.error.code).toBe('ALREADY_EVALUATED');
  await expect(page.getByTestId('pad-idle')).toBeVisible(); // thanks → idle by itself

  // Portrait: a good rating is sent with one touch
  await page.setViewportSize({ width: 800, height: 1280 });
  await page.screenshot({ path: `${SHOTS}pad-idle-800x1280.png` });
  const a002 = await serveOne('p2');
  await expect(page.getByTestId('pad-ticket')).toHaveText(a002.number);
  await page.screenshot({ path: `${SHOTS}pad-rate-800x1280.png` });
  await page.getByTestId('pad-level-very_dissatisfied').click();
  await page.getByTestId('pad-reason-态度不好').click();
  await page.screenshot({ path: `${SHOTS}pad-reasons-800x1280.png` });
  await page.getByTestId('pad-back').click();
  await page.getByTestId('pad-level-very_satisfied').click();
  await expect(page.getByTestId('pad-thanks')).toHaveAttribute('data-outcome', 'thanks');
  await page.screenshot({ path: `${SHOTS}pad-thanks-800x1280.png` });
  const stored = await server.api('POST', '/evaluations', clerk, { ticketId: a002.id, level: 'basic' });
  expect(stored.json.error.code).toBe('ALREADY_EVALUATED');
});

test('30 s without a rating: back to idle, the ticket unrated; a ticket rated elsewhere is answered politely', async ({
  browser,
}) => {
  expect((await server.api('POST', '/counters/w1/open', clerk, {})).status).toBe(200);
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.clock.install();
  await page.goto(`${server.url}/pad/1?token=${await server.device('evaluation-pad', 'w1')}`);
  await expect(page.getByTestId('pad-clerk')).toContainText('张晓明');

  const a001 = await serveOne('q1');
  await expect(page.getByTestId('pad-rate')).toBeVisible();
  // (The jump also ends socket.io's ping wait: the pad reconnects, and recovers a finish it missed meanwhile.)
  await page.clock.fastForward(RATING_TIMEOUT_MS);
  await expect(page.getByTestId('pad-idle')).toBeVisible();
  await expect(page.getByTestId('pad-rate')).toHaveCount(0);
  const later = await server.api('POST', '/evaluations', clerk, { ticketId: a001.id, level: 'satisfied' });
  expect(later.status).toBe(201);

  // The clerk rates A002 first (e.g. from the phone page); the pad's answer is the server's polite 409.
  const a002 = await serveOne('q2');
  await expect(page.getByTestId('pad-ticket')).toHaveText(a002.number);
  expect((await server.api('POST', '/evaluations', clerk, { ticketId: a002.id, level: 'basic' })).status).toBe(201);
  await page.getByTestId('pad-level-satisfied').click();
  await expect(page.getByTestId('pad-thanks')).toHaveAttribute('data-outcome', 'already');
  await expect(page.getByTestId('pad-thanks-text')).toHaveText('该号票已经评价过了，感谢您的反馈。');
  await page.screenshot({ path: `${SHOTS}pad-already-1280x800.png` });
});
