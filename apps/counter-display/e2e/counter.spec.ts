/**
 * Issue 3 — the counter screen above window 1, at both target sizes at once (1280×400 and 800×480): the
 * window, the clerk on duty with 工号, the ticket called (blinking) then served, 暂停服务 when paused.
 */
import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { type E2EServer, HALL, startServer } from './server.js';

const SHOTS = new URL('../../../test-results/screens/', import.meta.url).pathname;
const SIZES = [
  { width: 1280, height: 400 },
  { width: 800, height: 480 },
];

let server: E2EServer;
test.beforeEach(async () => {
  server = await startServer();
  mkdirSync(SHOTS, { recursive: true });
});
test.afterEach(async () => server?.stop());

/** Nothing of the screen is cut off: every text box lies inside the window. */
async function expectInside(page: Page) {
  const outside = await page.evaluate(() => {
    const w = window.innerWidth;
    const h = window.innerHeight;
    return Array.from(document.querySelectorAll('[data-testid="counter-screen"] *'))
      .filter((el) => el.childElementCount === 0 && (el.textContent ?? '').trim() !== '')
      .filter((el) => {
        const r = el.getBoundingClientRect();
        return r.left < -1 || r.top < -1 || r.right > w + 1 || r.bottom > h + 1 || el.scrollWidth > el.clientWidth + 1;
      })
      .map((el) => el.textContent);
  });
  expect(outside).toEqual([]);
}

async function shoot(pages: Page[], state: string) {
  for (const [i, page] of pages.entries()) {
    await expectInside(page);
    const { width, height } = SIZES[i] as { width: number; height: number };
    await page.screenshot({ path: `${SHOTS}counter-${state}-${width}x${height}.png`, animations: 'disabled' });
  }
}

test('the counter screen shows the window, the clerk, the called then served ticket, and 暂停服务', async ({ browser }) => {
  const token = await server.device('counter-display', 'w1');
  const pages: Page[] = [];
  for (const size of SIZES) {
    const page = await (await browser.newContext({ viewport: size })).newPage();
    await page.goto(`${server.url}/counter/1?token=${token}`);
    pages.push(page);
  }
  for (const page of pages) {
    await expect(page.getByTestId('counter-number')).toHaveText('1号窗口');
    await expect(page.getByTestId('counter-name')).toHaveText('1号综合窗口');
    await expect(page.getByTestId('counter-closed')).toBeVisible();
  }
  await shoot(pages, 'closed');

  const clerk = await server.login('clerk1');
  const kiosk = await server.device('kiosk');
  expect((await server.api('POST', '/counters/w1/open', clerk, {})).status).toBe(200);
  for (const page of pages) {
    await expect(page.getByTestId('counter-idle')).toBeVisible();
    await expect(page.getByTestId('counter-clerk')).toContainText('张晓明');
    await expect(page.getByTestId('counter-clerk')).toContainText('工号');
    await expect(page.getByTestId('counter-clerk')).toContainText('GD0101');
  }

  expect((await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-b', requestId: 'c-1' })).status).toBe(201);
  expect((await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-a', requestId: 'c-2' })).status).toBe(201);
  const called = await server.api('POST', '/counters/w1/call-next', clerk, {});
  expect(called.status).toBe(200);
  const number = called.json.ticket.number as string;
  for (const page of pages) {
    const ticket = page.getByTestId('counter-ticket');
    await expect(ticket).toHaveText(number);
    await expect(ticket).toHaveAttribute('data-status', 'called');
    await expect(page.getByTestId('counter-status')).toContainText('号到本窗口办理');
    // blinking until the citizen arrives
    await expect(ticket).toHaveCSS('animation-name', 'counter-blink');
  }
  await shoot(pages, 'called');

  expect((await server.api('POST', '/counters/w1/start', clerk, {})).status).toBe(200);
  for (const page of pages) {
    const ticket = page.getByTestId('counter-ticket');
    await expect(ticket).toHaveAttribute('data-status', 'serving');
    await expect(ticket).toHaveText(number);
    await expect(page.getByTestId('counter-status')).toContainText('正在办理');
    await expect(ticket).toHaveCSS('animation-name', 'none');
  }
  await shoot(pages, 'serving');

  expect((await server.api('POST', '/counters/w1/finish', clerk, {})).status).toBe(200);
  for (const page of pages) await expect(page.getByTestId('counter-idle')).toBeVisible();
  expect((await server.api('POST', '/counters/w1/pause', clerk, {})).status).toBe(200);
  for (const page of pages) {
    await expect(page.getByTestId('counter-paused')).toHaveText('暂停服务');
    await expect(page.getByTestId('counter-ticket')).toHaveCount(0);
    await expect(page.getByTestId('counter-clerk')).toContainText('张晓明');
  }
  await shoot(pages, 'paused');

  expect((await server.api('POST', '/counters/w1/resume', clerk, {})).status).toBe(200);
  for (const page of pages) await expect(page.getByTestId('counter-idle')).toBeVisible();
});

test('a long window name breaks into two even lines, and the window number keeps clear of the edge', async ({ browser }) => {
  await server.stop();
  const name = '12号不动产登记综合窗口';
  server = await startServer({
    hall: { ...HALL, counters: [...HALL.counters, { id: 'w12', number: 12, name, kind: 'dedicated', serviceIds: ['re'] }] },
  });
  const token = await server.device('counter-display', 'w12');
  for (const size of SIZES) {
    const page = await (await browser.newContext({ viewport: size })).newPage();
    await page.goto(`${server.url}/counter/12?token=${token}`);
    await expect(page.getByTestId('counter-name')).toHaveText(name);
    await expectInside(page);
    const { lines, numberLeft } = await page.evaluate(() => {
      const el = document.querySelector('[data-testid="counter-name"]') as HTMLElement;
      const text = el.firstChild as Text;
      // the characters of each line, by the top of each character's box
      const tops = new Map<number, number>();
      for (let i = 0; i < text.length; i++) {
        const r = document.createRange();
        r.setStart(text, i);
        r.setEnd(text, i + 1);
        const top = Math.round(r.getBoundingClientRect().top);
        tops.set(top, (tops.get(top) ?? 0) + 1);
      }
      const number = document.querySelector('[data-testid="counter-number"]') as HTMLElement;
      return { lines: [...tops.values()], numberLeft: number.getBoundingClientRect().left };
    });
    // one line, or two of about the same length: never "窗口" alone on the second
    if (lines.length > 1) expect(Math.min(...lines)).toBeGreaterThanOrEqual(Math.floor(name.length / 2) - 1);
    expect(numberLeft).toBeGreaterThanOrEqual(24);
    await page.screenshot({ path: `${SHOTS}counter-long-name-${size.width}x${size.height}.png`, animations: 'disabled' });
  }
});
