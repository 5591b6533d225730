/**
 * The kiosk renderer in a real browser against a real queue server, in NO-AGENT mode (no printer: the number
 * and its QR on screen; the agent's printing is tested elsewhere): search by pinyin, take a number, guides,
 * idle reset, 长者模式, refusals, a lost connection, pairing; an in-page agent for the printer and card
 * states; and screenshots for review (test-results/screens/kiosk-*.png).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { ERRORS } from '@yimen/shared';
import { type E2EServer, startServer } from '../../counter-display/e2e/server.js';
import { AGENT_ERRORS } from '../src/contract.js';
import { KIOSK_HALL } from './hall.js';

const SCREENS = fileURLToPath(new URL('../../../test-results/screens/', import.meta.url));

let server: E2EServer;
let token: string;
let contexts: BrowserContext[] = [];

async function newPage(browser: Browser, width = 1080, height = 1920): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  return context.newPage();
}

test.beforeEach(async () => {
  server = await startServer({ hall: KIOSK_HALL });
  token = await server.device('kiosk');
  // The server serves the built renderer (apps/kiosk/dist/renderer: `npm run build -w @yimen/kiosk`).
  expect((await fetch(`${server.url}/kiosk`)).status, 'the kiosk renderer is not built').toBe(200);
});
test.afterEach(async () => {
  for (const c of contexts) await c.close();
  contexts = [];
  await server?.stop();
});

/** Records what 长者模式 says (headless Chromium has no voices). */
const RECORD_SPEECH = () => {
  const spoken: string[] = [];
  (window as unknown as { __spoken: string[] }).__spoken = spoken;
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: { speak: (u: SpeechSynthesisUtterance) => spoken.push(u.text), cancel: () => {}, getVoices: () => [] },
  });
};

async function openKiosk(browser: Browser, opts: { query?: string; width?: number; height?: number } = {}): Promise<Page> {
  const page = await newPage(browser, opts.width, opts.height);
  await page.addInitScript(RECORD_SPEECH);
  await page.goto(`${server.url}/kiosk?token=${token}${opts.query ?? ''}`);
  await expect(page.getByTestId('home')).toBeVisible();
  return page;
}

async function type(page: Page, letters: string) {
  await page.getByTestId('search-input').click();
  for (const k of letters) await page.getByTestId(`key-${k}`).click();
}

/** WCAG contrast ratio of two computed rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const x = Number(v) / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

const spoken = (page: Page) => page.evaluate(() => (window as unknown as { __spoken: string[] }).__spoken);

test('home: hall name, categories with waiting counts; the token leaves the address', async ({ browser }) => {
  await server.api('POST', '/tickets', token, { serviceId: 're-zy', requestId: 'pre-1' });
  await server.api('POST', '/tickets', token, { serviceId: 're-dy', requestId: 'pre-2' });
  const page = await openKiosk(browser);
  expect(new URL(page.url()).search).toBe('');
  await expect(page.getByTestId('hall-name')).toHaveText('测试县政务服务中心');
  for (const name of ['综合服务', '投资项目', '不动产登记', '商事登记', '公安消防'])
    await expect(page.getByTestId(`category-${name}`)).toBeVisible();
  await expect(page.getByTestId('category-不动产登记')).toContainText('等候 2 人');
  // a ticket taken elsewhere shows up live
  await server.api('POST', '/tickets', token, { serviceId: 'fire-jc', requestId: 'pre-3' });
  await expect(page.getByTestId('category-公安消防')).toContainText('等候 1 人');
});

test('search by pinyin initials on the on-screen keyboard: "bdc" finds 不动产登记, "sb" finds 社保', async ({ browser }) => {
  const page = await openKiosk(browser);
  await type(page, 'bdc');
  await expect(page.getByTestId('search-input')).toHaveValue('bdc');
  const results = page.getByTestId('search-results');
  await expect(results.getByTestId('service-re-zy')).toContainText('不动产转移登记');
  await expect(results.getByTestId('service-re-dy')).toContainText('不动产抵押登记');
  await expect(results.locator('[data-testid^="service-"]')).toHaveCount(2);

  // one word for the one action: the search box's button and the keyboard's key
  await expect(page.getByTestId('search-clear')).toHaveText('清空');
  await expect(page.getByTestId('key-clear')).toHaveText('清空');
  await page.getByTestId('key-clear').click();
  await type(page, 'sb');
  await expect(results.locator('[data-testid^="service-"]')).toHaveCount(1);
  await expect(results.getByTestId('service-gen-sbk')).toContainText('社保卡申领');

  // full pinyin and a department (市场监管局)
  await page.getByTestId('key-clear').click();
  await type(page, 'scjg');
  await expect(results.getByTestId('service-biz-sl')).toBeVisible();
  await expect(results.getByTestId('service-biz-zx')).toBeVisible();
  await page.getByTestId('key-backspace').click();
  await page.getByTestId('key-backspace').click();
  await page.getByTestId('key-backspace').click();
  await page.getByTestId('key-backspace').click();
  await expect(page.getByTestId('categories')).toBeVisible();
});

test('take a number without a printer: the number and its QR on screen, the same as the server has; one tap, one ticket', async ({
  browser,
}) => {
  const page = await openKiosk(browser);
  // no agent, no card reader: no 刷身份证取号 leading to a reader that is not there
  await expect(page.getByTestId('reader-state')).toHaveText('无身份证读卡器');
  await expect(page.getByTestId('card-button')).toHaveCount(0);
  await expect(page.getByTestId('guides-button')).toBeVisible();
  await page.getByTestId('category-综合服务').click();
  await page.getByTestId('service-gen-sbk').click();
  await expect(page.getByTestId('confirm-service')).toHaveText('社保卡申领');
  await expect(page.getByTestId('confirm-ahead')).toHaveText('0');
  // Nobody ahead, but no window is open yet: the wait is real, so the minutes (no "无需等候").
  await expect(page.getByTestId('confirm-wait')).toHaveText(/^预计等候\s*约 \d+ 分钟$/);
  // a double tap issues once: the button disables at the first
  await page.getByTestId('confirm-take').dblclick();
  const view = page.getByTestId('fallback-view');
  await expect(view).toBeVisible();
  await expect(view).toContainText('请拍照记下您的号码');
  // the subtitle adds to the heading instead of repeating it
  await expect(page.getByTestId('ticket-why')).toHaveText('本机不打印号票，您的号码同样有效，请留意叫号');
  await expect(page.getByTestId('ticket-wait')).toHaveText(/^预计等候 约 \d+ 分钟$/);
  const number = page.getByTestId('ticket-number');
  await expect(number).toHaveText('A001');
  expect(Number.parseFloat(await number.evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(200);
  const qr = page.getByTestId('fallback-qr');
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  expect((await qr.boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(300);

  const id = await view.getAttribute('data-ticket-id');
  const fromServer = await server.api('GET', `/tickets/${id}`, token);
  expect(fromServer.status).toBe(200);
  expect(fromServer.json.ticket.number).toBe('A001');
  expect(fromServer.json.ticket.serviceId).toBe('gen-sbk');
  const queues = await server.api<{ queues: { serviceId: string; waiting: number }[] }>('GET', '/queues', token);
  expect(queues.json.queues.find((q) => q.serviceId === 'gen-sbk')?.waiting).toBe(1);

  // its status page (the QR's address) answers
  const statusPage = await fetch(`${server.url}${fromServer.json.ticket.statusPath}`);
  expect(statusPage.status).toBe(200);

  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('category-综合服务')).toContainText('等候 1 人');
});

test("the confirmation promises the people ahead of a new ticket (the queue's peopleAhead), the tile its own waiting count", async ({
  browser,
}) => {
  // 社保卡申领 and 最低生活保障申请 share windows 1 and 2: three 低保 tickets are ahead of a new 社保卡 ticket
  for (let i = 0; i < 3; i++) await server.api('POST', '/tickets', token, { serviceId: 'gen-db', requestId: `db-${i}` });
  await server.api('POST', '/tickets', token, { serviceId: 'gen-sbk', requestId: 'sbk-0' });
  const queues = await server.api<{ queues: { serviceId: string; waiting: number; peopleAhead: number | null }[] }>(
    'GET',
    '/queues',
    token,
  );
  const sbk = queues.json.queues.find((q) => q.serviceId === 'gen-sbk');
  expect(sbk?.waiting).toBe(1);
  expect(sbk?.peopleAhead).toBe(4);
  const page = await openKiosk(browser);
  await page.getByTestId('category-综合服务').click();
  await expect(page.getByTestId('service-gen-sbk')).toContainText('等候 1 人');
  await page.getByTestId('service-gen-sbk').click();
  await expect(page.getByTestId('confirm-ahead')).toHaveText(String(sbk?.peopleAhead));
  await expect(page.getByTestId('confirm-wait')).toContainText('预计等候');
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('ticket-ahead')).toHaveText('4');
});

test('a refused issue shows the zh-CN message: a service with a daily cap of 1, taken twice', async ({ browser }) => {
  const page = await openKiosk(browser);
  for (const round of [1, 2]) {
    await page.getByTestId('category-商事登记').click();
    await page.getByTestId('service-biz-zx').click();
    await page.getByTestId('confirm-take').click();
    if (round === 1) {
      await expect(page.getByTestId('ticket-number')).toHaveText('D001');
      await page.getByTestId('ticket-done').click();
    }
  }
  await expect(page.getByTestId('take-error')).toHaveText(ERRORS.DAILY_CAP_REACHED.message);
  await expect(page.getByTestId('confirm-take')).toHaveCount(0);
  await page.getByTestId('cancel-take').click();
  await expect(page.getByTestId('confirm-sheet')).toHaveCount(0);
});

test('a suspended service is greyed out with its reason and cannot be taken', async ({ browser }) => {
  const page = await openKiosk(browser);
  await page.getByTestId('category-投资项目').click();
  const tile = page.getByTestId('service-inv-gh');
  await expect(tile).toContainText('暂停办理');
  await expect(tile).toHaveAttribute('aria-disabled', 'true');
  await tile.click({ force: true });
  await expect(page.getByTestId('confirm-sheet')).toHaveCount(0);
  await expect(page.getByTestId('service-inv-ba')).toContainText('等候 0 人');
});

test('办事指南 shows every element of GB/T 39046 and takes a number for its service', async ({ browser }) => {
  const page = await openKiosk(browser);
  await page.getByTestId('guides-button').click();
  await page.getByTestId('guide-category-不动产登记').click();
  await page.getByTestId('guide-re-zy').click();
  const guide = page.getByTestId('guide-view');
  await expect(guide).toBeVisible();
  await expect(page.getByTestId('guide-title')).toHaveText('不动产转移登记');
  for (const heading of [
    '受理条件',
    '申请材料',
    '办理流程',
    '办理时限',
    '收费标准',
    '办理地点',
    '办理时间',
    '咨询电话',
    '设定依据',
  ])
    await expect(guide.getByText(heading, { exact: true })).toHaveCount(1);
  await expect(guide).toContainText('已办理不动产首次登记');
  const materials = page.getByTestId('materials');
  for (const h of ['材料名称', '原件/复印件', '纸质/电子', '是否必要', '备注'])
    await expect(materials.locator('th', { hasText: h })).toHaveCount(1);
  // short cells and the headers stay whole: no "复印|件", "是否必|要", "纸质或电|子"
  const lines = await materials.evaluate((table) =>
    Array.from(table.querySelectorAll('th, td.m-count, td.m-form')).flatMap((cell) =>
      Array.from(cell.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '')
        .map((n) => {
          const range = document.createRange();
          range.selectNodeContents(n);
          return { text: n.textContent, lines: new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size };
        }),
    ),
  );
  expect(lines.filter((l) => l.text?.includes('复印件')).length).toBeGreaterThan(2);
  for (const l of lines) expect(l, `${l.text} breaks`).toMatchObject({ lines: 1 });
  const row = materials.locator('tr', { hasText: '买卖合同或其他转移的材料' });
  await expect(row).toContainText('原件 1 份');
  await expect(row).toContainText('复印件 1 份');
  await expect(row).toContainText('纸质');
  await expect(row).toContainText('必要');
  await expect(materials.locator('tr', { hasText: '完税凭证' })).toContainText('地税窗口一并办理');
  await expect(guide.locator('.steps li')).toHaveCount(4);
  await expect(guide.locator('.steps li').first()).toContainText('1取号，到不动产综合窗口申请');
  await expect(page.getByTestId('legal-days')).toHaveText('30 个工作日');
  await expect(page.getByTestId('promised-days')).toHaveText('5 个工作日');
  await expect(page.getByTestId('guide-item-type')).toHaveText('承诺件');
  await expect(guide).toContainText('住宅每件 80 元');
  await expect(guide).toContainText('县政务服务中心三楼不动产登记交易综合窗口');
  await expect(guide).toContainText('工作日 08:30–12:00，13:30–17:00');
  await expect(page.getByTestId('guide-phone')).toHaveText('0000-1234580');
  await expect(guide).toContainText('《不动产登记暂行条例实施细则》');
  // 下一页 scrolls the guide
  const body = page.getByTestId('guide-body');
  /** Headings cut in half by the top of the guide's box (the one a paged reader starts at). */
  const cutAtTop = () =>
    body.evaluate((el) => {
      const top = el.getBoundingClientRect().top + el.clientTop;
      return Array.from(el.querySelectorAll('h3'))
        .filter((h) => {
          const r = h.getBoundingClientRect();
          return r.top < top - 1 && r.bottom > top + 1;
        })
        .map((h) => h.textContent);
    });
  const settled = async () => {
    let last = -1;
    await expect
      .poll(async () => {
        const now = await body.evaluate((el) => el.scrollTop);
        const same = now === last;
        last = now;
        return same;
      })
      .toBe(true);
    return last;
  };
  await page.getByTestId('guide-next').click();
  await expect.poll(() => body.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  // every page down starts at a section or a row: no heading cut in half at the top
  let at = await settled();
  for (let i = 0; i < 6; i++) {
    expect(await cutAtTop()).toEqual([]);
    await page.getByTestId('guide-next').click();
    const next = await settled();
    if (next === at) break;
    at = next;
  }
  // and back up
  await page.getByTestId('guide-prev').click();
  await settled();
  expect(await cutAtTop()).toEqual([]);

  await page.getByTestId('guide-take').click();
  await expect(page.getByTestId('confirm-service')).toHaveText('不动产转移登记');
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('ticket-number')).toHaveText('C001');

  // an immediate item (即办件) with no legal time limit; and a guide found by pinyin
  await page.getByTestId('ticket-done').click();
  await page.getByTestId('guides-button').click();
  await type(page, 'qqq');
  await expect(page.getByTestId('guide-list')).toContainText('没有找到相关的办事指南');
  await page.getByTestId('key-clear').click();
  // 投资项目 (tzxm) is inside 企业投资项目备案
  await type(page, 'tzxm');
  await expect(page.getByTestId('guide-list').locator('[data-testid^="guide-"]')).toHaveCount(1);
  await page.getByTestId('guide-inv-ba').click();
  await expect(page.getByTestId('guide-item-type')).toHaveText('即办件');
  await expect(page.getByTestId('legal-days')).toHaveText('法律法规未规定');
  await expect(page.getByTestId('promised-days')).toHaveText('即时办结');
});

test('idle: with ?idleSeconds=3 a countdown, then home with the search, 长者模式 and the ticket cleared', async ({ browser }) => {
  const page = await openKiosk(browser, { query: '&idleSeconds=3' });
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();
  await page.getByTestId('elderly-toggle').click();
  await type(page, 'sb');
  await expect(page.getByTestId('idle-countdown')).toContainText('秒后返回首页');
  await expect(page.getByTestId('search-input')).toHaveValue('', { timeout: 6000 });
  await expect(page.getByTestId('elderly-toggle')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.locator('html')).not.toHaveClass(/elderly/);
  await expect(page.getByTestId('keyboard')).toHaveCount(0);
  await expect(page.getByTestId('idle-countdown')).toHaveCount(0);

  // a ticket on screen goes too
  await page.getByTestId('category-公安消防').click();
  await page.getByTestId('service-fire-jc').click();
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('ticket-number')).toHaveText('E001');
  await expect(page.getByTestId('fallback-view')).toHaveCount(0, { timeout: 6000 });
  await expect(page.getByTestId('home')).toBeVisible();

  // nothing to forget on the home screen: no countdown
  await page.waitForTimeout(3500);
  await expect(page.getByTestId('idle-countdown')).toHaveCount(0);
});

test('长者模式 enlarges the type, shows fewer services a page and speaks each step; idle turns it off', async ({ browser }) => {
  const page = await openKiosk(browser, { query: '&idleSeconds=8' });
  const size = (testid: string) =>
    page
      .getByTestId(testid)
      .locator('.tile-name')
      .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  const before = await size('category-综合服务');
  await page.getByTestId('elderly-toggle').click();
  await expect(page.getByTestId('elderly-toggle')).toHaveAttribute('aria-pressed', 'true');
  const after = await size('category-综合服务');
  expect(after / before).toBeGreaterThanOrEqual(1.35);
  await expect.poll(() => spoken(page)).toContainEqual(expect.stringContaining('请选择业务类别'));

  await page.getByTestId('category-综合服务').click();
  await expect(page.getByTestId('category-view')).toBeVisible();
  await expect.poll(() => spoken(page)).toContain('请选择您要办理的业务');
  // one column of services in 长者模式
  const boxes = await page
    .locator('[data-testid^="service-"]')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
  expect(new Set(boxes.map(Math.round)).size).toBe(1);
  await page.getByTestId('service-gen-db').click();
  await expect.poll(() => spoken(page)).toContainEqual(expect.stringContaining('您选择的是最低生活保障申请'));
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('ticket-number')).toHaveText('A001');
  await expect.poll(() => spoken(page)).toContain('您的号码是 A零零一，请拍照记下您的号码');
  await page.getByTestId('ticket-done').click();

  await expect(page.getByTestId('elderly-toggle')).toHaveAttribute('aria-pressed', 'false', { timeout: 12_000 });
  expect(await size('category-综合服务')).toBeCloseTo(before, 1);
});

test('a lost connection pauses taking numbers, and it comes back', async ({ browser }) => {
  const page = await openKiosk(browser);
  await page.getByTestId('category-综合服务').click();
  await page.getByTestId('service-gen-sbk').click();
  await server.kill();
  await expect(page.getByTestId('connection-lost')).toContainText('连接中断，暂停取号');
  await expect(page.getByTestId('confirm-take')).toBeDisabled();
  await server.restart();
  await expect(page.getByTestId('connection-lost')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId('confirm-take')).toBeEnabled();
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('ticket-number')).toHaveText('A001');
});

test('without a token the kiosk shows a pairing code; approved, it runs', async ({ browser }) => {
  const page = await newPage(browser);
  await page.goto(`${server.url}/kiosk`);
  await expect(page.getByTestId('pairing-code')).toHaveText(/^\d{6}$/);
  const code = (await page.getByTestId('pairing-code').textContent())?.trim();
  const admin = await server.login('admin');
  const pending = await server.api<{ pairings: { id: string; code: string; kind: string }[] }>('GET', '/pairings', admin);
  const mine = pending.json.pairings.find((p) => p.code === code);
  expect(mine?.kind).toBe('kiosk');
  expect((await server.api('POST', `/pairings/${mine?.id}/approve`, admin, {})).status).toBe(200);
  await expect(page.getByTestId('home')).toBeVisible();
});

/**
 * An Electron-like agent in the page (window.kiosk): issues through the server with the kiosk's token and
 * "prints"; `__kioskEmit` sends agent events (a card read). For the screenshots of the printed and card views.
 */
const FAKE_AGENT = () => {
  const listeners = new Set<(e: unknown) => void>();
  const status = {
    agentProtocolVersion: 1,
    printer: { state: 'ready', message: '打印机正常' },
    reader: { state: 'ready', message: '读卡器就绪' },
    card: null as unknown,
    server: { reachable: true },
    paper: 80,
  };
  const w = window as unknown as Record<string, unknown>;
  const takes: unknown[] = [];
  w.__takes = takes;
  w.__kioskEmit = (e: { type: string; card?: unknown }) => {
    if (e.type === 'card:read') status.card = e.card;
    for (const l of listeners) l(e);
  };
  w.__kioskSetPrinter = (state: string, message: string) => {
    status.printer = { state, message };
    for (const l of listeners) l({ type: 'status:changed', status: { ...status } });
  };
  w.__kioskSetReader = (state: string, message: string) => {
    status.reader = { state, message };
    for (const l of listeners) l({ type: 'status:changed', status: { ...status } });
  };
  w.kiosk = {
    status: async () => status,
    clearCard: async () => {
      status.card = null;
    },
    subscribe: (l: (e: unknown) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    takeNumber: async (req: { serviceId: string; requestId: string }) => {
      takes.push(req);
      const r = await fetch('/api/v1/tickets', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${localStorage.getItem('yimen.token.kiosk')}` },
        body: JSON.stringify({
          serviceId: req.serviceId,
          requestId: req.requestId,
          priority: status.card ? 'elderly' : undefined,
        }),
      });
      const j = await r.json();
      if (!r.ok) return { error: j.error };
      return { data: { ticket: j.ticket, statusUrl: location.origin + j.ticket.statusPath, printed: true, printError: null } };
    },
  };
};

test('with an agent: a printer out of paper stops issuing with its message; a card read greets and is used', async ({
  browser,
}) => {
  mkdirSync(SCREENS, { recursive: true });
  const page = await newPage(browser);
  await page.addInitScript(FAKE_AGENT);
  await page.goto(`${server.url}/kiosk?token=${token}`);
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('printer-state')).toHaveText('打印机正常');
  const setPrinter = (state: string, message: string) =>
    page.evaluate(
      ([st, m]) =>
        (window as unknown as { __kioskSetPrinter: (s: string, m: string) => void }).__kioskSetPrinter(st as string, m as string),
      [state, message],
    );

  // The card button: there with a reader; with the reader lost, it says so and does nothing; without one, gone.
  const setReader = (state: string, message: string) =>
    page.evaluate(
      ([st, m]) =>
        (window as unknown as { __kioskSetReader: (s: string, m: string) => void }).__kioskSetReader(st as string, m as string),
      [state, message],
    );
  const cardButton = page.getByTestId('card-button');
  await expect(cardButton).toBeEnabled();
  await setReader('offline', '身份证读卡器未连接');
  await expect(cardButton).toBeDisabled();
  await expect(cardButton).toContainText('读卡器未连接');
  await setReader('absent', '本机未配身份证读卡器');
  await expect(page.getByTestId('reader-state')).toHaveText('无身份证读卡器');
  await expect(cardButton).toHaveCount(0);
  await setReader('ready', '请将身份证放在读卡区');
  await expect(cardButton).toBeEnabled();

  // Out of paper: said up front, once, in one message; the categories are plainly unavailable and do not open.
  await setPrinter('paper-out', AGENT_ERRORS.PRINTER_PAPER_OUT);
  const banner = page.getByTestId('printer-banner');
  await expect(banner).toHaveText('打印纸已用完，暂停取号请联系工作人员或到咨询台取号。');
  expect((await banner.textContent())?.split('暂停取号').length).toBe(2);
  const tile = page.getByTestId('category-综合服务');
  await expect(tile).toHaveAttribute('aria-disabled', 'true');
  await expect(tile).toContainText('暂停取号');
  await tile.click({ force: true });
  await expect(page.getByTestId('category-view')).toHaveCount(0);
  await page.screenshot({ path: join(SCREENS, 'kiosk-printer-paused.png') });

  // back, then out again while the sheet is open: the sheet says why, in the same words; it cannot be confirmed
  await setPrinter('ready', '打印机正常');
  await expect(banner).toHaveCount(0);
  await tile.click();
  await page.getByTestId('service-gen-sbk').click();
  await expect(page.getByTestId('confirm-take')).toBeEnabled();
  await setPrinter('paper-out', AGENT_ERRORS.PRINTER_PAPER_OUT);
  await expect(page.getByTestId('take-error')).toHaveText(AGENT_ERRORS.PRINTER_PAPER_OUT);
  const confirmTake = page.getByTestId('confirm-take');
  await expect(confirmTake).toBeDisabled();
  // the disabled button stays readable: dark text on a light background, not white on pale pink
  const [fg, bg] = await confirmTake.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
  expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
  // the two sentences of the message wrap between them, not inside: no "台取号。" left alone
  const sentenceLines = await page
    .getByTestId('take-error')
    .locator('span')
    .evaluateAll((els) => els.map((e) => new Set(Array.from(e.getClientRects()).map((r) => Math.round(r.top))).size));
  expect(sentenceLines).toEqual([1, 1]);
  await page.screenshot({ path: join(SCREENS, 'kiosk-printer-banner.png') });
  await page.getByTestId('cancel-take').click();
  await expect(page.getByTestId('service-gen-sbk')).toHaveAttribute('aria-disabled', 'true');

  await setPrinter('paper-near-end', '打印纸将尽');
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('paper-notice')).toBeVisible();
  await expect(page.getByTestId('service-gen-sbk')).not.toHaveAttribute('aria-disabled', 'true');

  await page.getByTestId('home-button').click();
  await page.evaluate(() =>
    (window as unknown as { __kioskEmit: (e: unknown) => void }).__kioskEmit({
      type: 'card:read',
      card: { maskedName: '欧阳**', age: 66, elderly: true, cardType: 'resident', readAt: new Date().toISOString() },
    }),
  );
  await expect(page.getByTestId('card-greeting')).toContainText('欧阳** 您好');
  // one word for the same button, on the home greeting and on the compact one
  await expect(page.getByTestId('card-cancel')).toHaveText('不使用身份证');
  await page.getByTestId('category-综合服务').click();
  await expect(page.getByTestId('card-greeting')).toBeVisible();
  await expect(page.getByTestId('card-cancel')).toHaveText('不使用身份证');
  await page.getByTestId('service-gen-db').click();
  await expect(page.getByTestId('confirm-card')).toContainText('欧阳**');
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('printed-view')).toContainText('请取走您的号票');
  await expect(page.getByTestId('ticket-number')).toHaveText('A001');
  const takes = await page.evaluate(() => (window as unknown as { __takes: { useCard: boolean }[] }).__takes);
  expect(takes).toHaveLength(1);
  expect(takes[0]?.useCard).toBe(true);
  // the card is forgotten once used
  await page.getByTestId('ticket-done').click();
  await expect(page.getByTestId('card-greeting')).toHaveCount(0);
});

test('screenshots: portrait 1080×1920 and landscape 1920×1080', async ({ browser }) => {
  // Some thirty screens in two windows: a minute on a quiet machine, more on a busy one (CI once timed out at 60 s).
  test.setTimeout(180_000);
  mkdirSync(SCREENS, { recursive: true });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENS, `kiosk-${name}.png`) });
  let n = 0;
  for (const [serviceId, count] of [
    ['gen-sbk', 7],
    ['gen-db', 2],
    ['re-zy', 5],
    ['re-dy', 3],
    ['biz-sl', 4],
    ['inv-ba', 1],
    ['fire-jc', 2],
  ] as const)
    for (let i = 0; i < count; i++) await server.api('POST', '/tickets', token, { serviceId, requestId: `shot-${n++}` });

  const page = await openKiosk(browser);
  await shot(page, 'home');
  await type(page, 'bdc');
  await shot(page, 'search');
  await page.getByTestId('key-clear').click();
  await page.getByTestId('key-done').click();
  await page.getByTestId('category-综合服务').click();
  await shot(page, 'category');
  await page.getByTestId('service-gen-sbk').click();
  await shot(page, 'confirm');
  await page.getByTestId('confirm-take').click();
  await expect(page.getByTestId('fallback-qr')).toBeVisible();
  await shot(page, 'fallback');
  await page.getByTestId('ticket-done').click();
  await page.getByTestId('guides-button').click();
  await shot(page, 'guides');
  await page.getByTestId('guide-re-zy').click();
  await shot(page, 'guide');
  await page.getByTestId('guide-next').click();
  await page.waitForTimeout(600);
  await shot(page, 'guide-2');
  await page.getByTestId('home-button').click();
  await page.getByTestId('elderly-toggle').click();
  // "已开启 点此关闭" on one line, or two whole pieces: no character left alone
  expect(
    await page
      .getByTestId('elderly-toggle')
      .locator('small span')
      .evaluateAll((els) => els.map((e) => e.getClientRects().length)),
  ).toEqual([1, 1]);
  await shot(page, 'elderly-home');
  await page.getByTestId('category-不动产登记').click();
  await shot(page, 'elderly-category');
  await page.getByTestId('elderly-toggle').click();
  await page.getByTestId('home-button').click();
  // no reader here (no agent): no card button
  await expect(page.getByTestId('card-button')).toHaveCount(0);

  // with an agent: a printer and a card reader
  const agentPage = await newPage(browser);
  await agentPage.addInitScript(FAKE_AGENT);
  await agentPage.goto(`${server.url}/kiosk?token=${token}`);
  await expect(agentPage.getByTestId('home')).toBeVisible();
  // 长者模式 with the card button too (three buttons): its "已开启 点此关闭" stays whole
  await agentPage.getByTestId('elderly-toggle').click();
  expect(
    await agentPage
      .getByTestId('elderly-toggle')
      .locator('small span')
      .evaluateAll((els) => els.map((e) => e.getClientRects().length)),
  ).toEqual([1, 1]);
  await shot(agentPage, 'agent-elderly-home');
  await agentPage.getByTestId('elderly-toggle').click();
  await agentPage.getByTestId('card-button').click();
  await shot(agentPage, 'card-waiting');
  await agentPage.evaluate(() =>
    (window as unknown as { __kioskEmit: (e: unknown) => void }).__kioskEmit({
      type: 'card:read',
      card: { maskedName: '张*', age: 72, elderly: true, cardType: 'resident', readAt: new Date().toISOString() },
    }),
  );
  await expect(agentPage.getByTestId('card-greeting')).toContainText('张* 您好');
  await expect(agentPage.getByTestId('elderly-priority')).toHaveText('已享长者优先');
  await shot(agentPage, 'card-greeting');
  await agentPage.getByTestId('category-不动产登记').click();
  await agentPage.getByTestId('service-re-zy').click();
  await expect(agentPage.getByTestId('confirm-card')).toContainText('长者优先');
  await shot(agentPage, 'card-confirm');
  await agentPage.getByTestId('confirm-take').click();
  await expect(agentPage.getByTestId('printed-view')).toContainText('请取走您的号票');
  await shot(agentPage, 'printed');

  const wide = await openKiosk(browser, { width: 1920, height: 1080 });
  await shot(wide, 'landscape-home');
  await wide.getByTestId('category-不动产登记').click();
  await shot(wide, 'landscape-category');
  await wide.getByTestId('service-re-dy').click();
  await wide.getByTestId('confirm-take').click();
  await expect(wide.getByTestId('fallback-qr')).toBeVisible();
  await shot(wide, 'landscape-fallback');
  await wide.getByTestId('ticket-done').click();
  await wide.getByTestId('elderly-toggle').click();
  // 长者模式 in landscape: the page of categories fits above the pager, no tile cut off
  const grid = wide.getByTestId('categories').locator('.grid');
  await expect(grid.locator('.cell')).toHaveCount(3);
  expect(await grid.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
  await shot(wide, 'landscape-elderly-home');
  await wide.getByTestId('next-page').click();
  await expect(grid.locator('.cell')).toHaveCount(2);
  expect(await grid.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
});
