/**
 * Issue 3 — the hall's big screen: a call made through the API shows as the latest call and reaches the voice
 * queue; a screen opened later shows the calls made before it; queues and counters change live.
 */
import { mkdirSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { type E2EServer, HALL, startServer } from './server.js';

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

/** A big hall, as the demo's: 25 counters (two paused, three closed), 12 businesses in 7 categories. */
const BIG_SERVICES = [
  ['a1', 'A', '社会救助申请', '综合服务', 12],
  ['a2', 'A', '就业登记', '综合服务', 10],
  ['a3', 'A', '异地就医登记备案', '综合服务', 8],
  ['b1', 'B', '企业投资项目备案', '投资项目', 40],
  ['c1', 'C', '不动产登记', '不动产登记', 30],
  ['c2', 'C', '抵押登记', '不动产登记', 20],
  ['d1', 'D', '企业设立登记', '商事登记', 15],
  ['d2', 'D', '个体工商户登记', '商事登记', 12],
  ['e1', 'E', '消防验收', '公安消防', 15],
  ['f1', 'F', '道路运输许可', '交通运输', 18],
  ['g1', 'G', '公积金提取', '公积金', 10],
  ['h1', 'H', '社保卡办理', '人社社保', 8],
] as const;
const BIG_HALL = {
  ...HALL,
  hall: { name: '示范县政务服务中心' },
  services: BIG_SERVICES.map(([id, prefix, name, category, minutes]) => ({
    id,
    prefix,
    name,
    department: `${category}窗口`,
    category,
    defaultServiceMinutes: minutes,
  })),
  counters: Array.from({ length: 25 }, (_, i) => ({
    id: `w${i + 1}`,
    number: i + 1,
    name: `${i + 1}号窗口`,
    kind: 'dedicated',
    serviceIds: [BIG_SERVICES[i % BIG_SERVICES.length]?.[0] ?? 'a1'],
  })),
  users: HALL.users.filter((u) => u.role === 'manager'),
};

test('a big hall stays legible from across the hall: sizes, contrast, a legend, one wait format, at 1920×1080 and 1366×768', async ({
  browser,
}) => {
  await server.stop();
  server = await startServer({ hall: BIG_HALL });
  const kiosk = await server.device('kiosk');
  const manager = await server.login('manager');
  const ok = async (r: Promise<{ status: number }>) => expect([200, 201]).toContain((await r).status);
  // a long queue for 不动产登记 (served by two counters, 30 minutes each): an estimate over an hour
  const issue = [
    ...BIG_SERVICES.map(([id]) => id),
    ...BIG_SERVICES.map(([id]) => id),
    'c1',
    'c1',
    'c1',
    'c1',
    'c1',
    'c1',
    'b1',
    'b1',
  ];
  for (const [i, serviceId] of [...issue, ...issue].entries())
    await ok(server.api('POST', '/tickets', kiosk, { serviceId, requestId: `big-${i}` }));
  for (let n = 1; n <= 22; n++) await ok(server.api('POST', `/counters/w${n}/open`, manager, {}));
  for (let n = 1; n <= 22; n++) {
    if (n === 7 || n === 14) continue;
    await ok(server.api('POST', `/counters/w${n}/call-next`, manager, {}));
    if (n % 3 === 0) await ok(server.api('POST', `/counters/w${n}/start`, manager, {}));
  }
  await ok(server.api('POST', '/counters/w7/pause', manager, {}));
  await ok(server.api('POST', '/counters/w14/pause', manager, {}));
  await ok(server.api('POST', '/counters/w4/call-next', manager, {})); // the latest call, w3 serving before it

  const hallToken = await server.device('hall-display');
  for (const viewport of [
    { width: 1920, height: 1080 },
    { width: 1366, height: 768 },
  ]) {
    const hall = await (await browser.newContext({ viewport })).newPage();
    await hall.goto(`${server.url}/hall?token=${hallToken}`);
    await expect(hall.getByTestId('latest-counter')).toHaveText('4号窗口');
    await expect(hall.getByTestId('counter-7')).toContainText('暂停服务');
    await expect(hall.getByTestId('counter-25')).toContainText('暂未开放');
    // the chips' colours are said in words
    await expect(hall.getByTestId('counter-legend')).toContainText('已叫号');
    await expect(hall.getByTestId('counter-legend')).toContainText('办理中');
    await expect(hall.locator('.hall-tag-ok').first()).toHaveText('办理中');
    // one wait format: "约 18 分钟", "约 1 小时 15 分钟"
    const waits = await hall.locator('.hall-queue-wait').allTextContents();
    expect(waits.length).toBeGreaterThan(0);
    for (const w of waits) expect(w).toMatch(/^(即将办理|—|约 \d+ 分钟|约 \d+ 小时( \d+ 分钟)?)$/);
    expect(waits.some((w) => w.includes('小时'))).toBe(true);
    // sizes on the 1920×1080 canvas (the canvas is scaled as a whole on a smaller screen)
    const px = (selector: string) =>
      hall.evaluate((sel) => {
        const all = Array.from(document.querySelectorAll(sel));
        return all.length ? Math.min(...all.map((el) => Number.parseFloat(getComputedStyle(el).fontSize))) : null;
      }, selector);
    expect(await px('.hall-tag')).toBeGreaterThanOrEqual(24);
    expect(await px('.hall-queues-head span')).toBeGreaterThanOrEqual(28);
    expect(await px('.hall-pages')).toBeGreaterThanOrEqual(28);
    expect(await px('.hall-tone-paused .hall-counter-now, .hall-tone-closed .hall-counter-now')).toBeGreaterThanOrEqual(24);
    // a closed counter is not faded: its words keep their contrast
    await expect(hall.getByTestId('counter-25')).toHaveCSS('opacity', '1');
    // the tags are whole, not cut by the end of their line
    const clipped = await hall.evaluate(() =>
      Array.from(document.querySelectorAll('.hall-tag'))
        .filter((t) => {
          const r = t.getBoundingClientRect();
          const row = (t.closest('.hall-recent-item') as HTMLElement).getBoundingClientRect();
          return r.right > row.right + 0.5;
        })
        .map((t) => t.closest('.hall-recent-item')?.textContent),
    );
    expect(clipped).toEqual([]);
    await expectNothingCut(hall);
    await hall.screenshot({ path: `${SHOTS}hall-big-${viewport.width}x${viewport.height}.png`, animations: 'disabled' });
  }
});
