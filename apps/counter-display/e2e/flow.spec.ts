/**
 * Issue 3 — the full flow across screens: a ticket issued through the API → the clerk calls it → the hall
 * screen shows it as the latest call → finished → rated by the counter's evaluation pad through the API →
 * the manager's view shows the rating and its counts change.
 */
import { expect, test } from '@playwright/test';
import { type E2EServer, PASSWORD, startServer } from './server.js';

let server: E2EServer;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => server?.stop());

test('issue → call → the hall screen shows it → finish → the pad rating → the manager view', async ({ browser }) => {
  const kiosk = await server.device('kiosk');
  const pad1 = await server.device('evaluation-pad', 'w1');
  const clerk1 = await server.login('clerk1');

  const hall = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await hall.goto(`${server.url}/hall?token=${await server.device('hall-display')}`);
  const manager = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await manager.goto(`${server.url}/manager`);
  await manager.getByLabel('用户名').fill('manager');
  await manager.getByLabel('密码').fill(PASSWORD);
  await manager.getByRole('button', { name: '登录' }).click();
  await expect(manager.getByTestId('manager-live')).toHaveText('● 实时');
  await expect(hall.getByTestId('pairing')).toHaveCount(0);
  await expect(manager.getByTestId('evaluation')).toHaveCount(0);
  await expect(manager.getByTestId('evaluation-summary')).toHaveText('0 条');

  const waitingA = manager.locator('[data-testid="queue-row"][data-service-id="gen-a"]').getByTestId('queue-waiting');
  const w1 = manager.locator('[data-testid="counter-row"][data-counter-id="w1"]');

  const issued = await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-a', requestId: 'flow-1' });
  expect(issued.status).toBe(201);
  expect(issued.json.ticket.number).toBe('A001');
  await expect(waitingA).toHaveText('1');

  expect((await server.api('POST', '/counters/w1/open', clerk1, {})).status).toBe(200);
  const called = await server.api('POST', '/counters/w1/call-next', clerk1, {});
  expect(called.status).toBe(200);
  expect(called.json.ticket.id).toBe(issued.json.ticket.id);

  // the hall screen: the latest call holds the ticket number and the counter number
  const latest = hall.getByTestId('latest-call');
  await expect(latest).toContainText('A001');
  expect((await latest.textContent())?.replace('A001', '')).toContain('1');
  // the manager: the queue emptied, the counter holds the number
  await expect(waitingA).toHaveText('0');
  await expect(w1.getByTestId('counter-ticket')).toHaveText('A001');

  expect((await server.api('POST', '/counters/w1/start', clerk1, {})).status).toBe(200);
  await expect(w1).toHaveAttribute('data-activity', 'serving');
  expect((await server.api('POST', '/counters/w1/finish', clerk1, {})).status).toBe(200);
  await expect(w1).toHaveAttribute('data-activity', 'idle');
  await expect(w1.getByTestId('counter-ticket')).toHaveText('—');
  await expect(w1.getByTestId('counter-served')).toHaveText('1'); // today's count, from the fact

  // the counter's pad rates it; another rating of the same ticket is refused
  const rated = await server.api('POST', '/evaluations', pad1, {
    ticketId: issued.json.ticket.id,
    level: 'dissatisfied',
    reasons: ['效率低'],
  });
  expect(rated.status).toBe(201);
  expect(
    (await server.api('POST', '/evaluations', pad1, { ticketId: issued.json.ticket.id, level: 'satisfied' })).json.error.code,
  ).toBe('ALREADY_EVALUATED');

  const evaluation = manager.getByTestId('evaluation');
  await expect(evaluation).toHaveCount(1);
  await expect(evaluation).toHaveAttribute('data-level', 'dissatisfied');
  await expect(evaluation).toContainText('不满意');
  await expect(evaluation).toContainText('需跟进');
  await expect(evaluation).toContainText('1号窗口 · A001 · 张晓明（GD0101）');
  await expect(evaluation).toContainText('效率低');
  await expect(manager.getByTestId('evaluation-summary')).toHaveText('1 条 · 好评率 0% · 差评 1');
});
