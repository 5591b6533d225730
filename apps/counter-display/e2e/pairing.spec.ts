/** Issue 3 — pairing: a screen without a token shows a code; once approved it connects by itself. */
import { expect, test } from '@playwright/test';
import { type E2EServer, startServer } from './server.js';

let server: E2EServer;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => server?.stop());

test('a counter screen pairs: code shown, approved by the manager, then live; ?token= is dropped from the address', async ({
  browser,
}) => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 400 } })).newPage();
  await page.goto(`${server.url}/counter/1`);
  const code = (await page.getByTestId('pairing-code').textContent())?.trim();
  await expect(page.getByTestId('pairing-code')).toHaveText(/^\d{6}$/);
  const manager = await server.login('manager');
  const pending = await server.api<{ pairings: { id: string; code: string; counterId: string }[] }>('GET', '/pairings', manager);
  const mine = pending.json.pairings.find((p) => p.code === (code ?? '').trim()) ?? pending.json.pairings[0];
  expect(mine?.counterId).toBe('w1');
  expect((await server.api('POST', `/pairings/${mine?.id}/approve`, manager, {})).status).toBe(200);
  await expect(page.getByTestId('pairing')).toHaveCount(0);
  await expect(page.getByTestId('connecting')).toHaveCount(0);

  const hall = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const token = await server.device('hall-display');
  await hall.goto(`${server.url}/hall?token=${token}`);
  await expect(hall.getByTestId('pairing')).toHaveCount(0);
  expect(new URL(hall.url()).search).toBe('');
});
