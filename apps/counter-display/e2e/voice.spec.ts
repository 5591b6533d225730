/**
 * Issue 3 — voice calls on the hall screen: three counters calling within 100 ms give three announcements in
 * the order of the facts, none lost, none overlapping (the clips, played for real through Web Audio: Debian
 * Chromium has no speech voice); with a zh-CN speech voice the same queue speaks through speechSynthesis.
 */
import { expect, type Page, test } from '@playwright/test';
import { type E2EServer, startServer } from './server.js';

interface VoiceLog {
  text: string;
  engine: string;
  startedAt: number;
  endedAt: number | null;
  outcome: string | null;
}
type VoiceWindow = {
  __yimenVoice?: { received: string[]; announced: string[]; log: VoiceLog[]; playing: boolean; pending: number };
  __speech?: { spoken: { text: string; lang: string; voice: string }[]; overlapped: boolean };
};
const voice = (page: Page) => page.evaluate(() => (window as VoiceWindow).__yimenVoice ?? null);

let server: E2EServer;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => server?.stop());

async function openHall(page: Page) {
  await page.goto(`${server.url}/hall?token=${await server.device('hall-display')}`);
  await expect(page.getByTestId('hall')).toBeVisible();
  await expect.poll(async () => (await voice(page))?.received).toEqual([]);
}

test('three calls within 100 ms: three announcements, in the order of the facts, none lost, none overlapped', async ({
  browser,
}) => {
  const hall = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await openHall(hall);
  const kiosk = await server.device('kiosk');
  const clerks = { w1: await server.login('clerk1'), w2: await server.login('clerk2'), w5: await server.login('clerk5') };
  for (const [counter, token] of Object.entries(clerks))
    expect((await server.api('POST', `/counters/${counter}/open`, token, {})).status).toBe(200);
  for (const [i, serviceId] of ['gen-a', 'gen-b', 're'].entries())
    expect((await server.api('POST', '/tickets', kiosk, { serviceId, requestId: `v-${i}` })).status).toBe(201);

  const calls = await Promise.all(
    Object.entries(clerks).map(([counter, token]) => server.api('POST', `/counters/${counter}/call-next`, token, {})),
  );
  expect(calls.map((c) => c.status)).toEqual([200, 200, 200]);

  // the order of the facts, as the screen folded them: the latest call, then the recent ones, newest first
  await expect(hall.getByTestId('recent-call')).toHaveCount(2);
  const newestFirst = [
    `${await hall.getByTestId('latest-number').textContent()}→${await hall.getByTestId('latest-counter').textContent()}`,
    ...(await hall.getByTestId('recent-call').allTextContents()),
  ];
  const expected = newestFirst.reverse().map((s) => {
    const [number, counter] = s.split('→') as [string, string];
    return `请${number}号到${counter.replace(/号窗口.*$/, '')}号窗口办理`;
  });
  expect(new Set(expected).size).toBe(3);
  expect(expected).toContain(`请${calls[0]?.json.ticket.number}号到1号窗口办理`);
  expect(expected).toContain(`请${calls[1]?.json.ticket.number}号到2号窗口办理`);
  expect(expected).toContain(`请${calls[2]?.json.ticket.number}号到5号窗口办理`);

  await expect.poll(async () => (await voice(hall))?.log.filter((e) => e.endedAt !== null).length, { timeout: 40_000 }).toBe(3);
  const record = await voice(hall);
  expect(record?.received).toEqual(expected);
  expect(record?.announced).toEqual(expected);
  expect(record?.playing).toBe(false);
  expect(record?.pending).toBe(0);
  const log = record?.log ?? [];
  // said through the clips, for real (not given up at the deadline), one after the other
  expect(log.map((e) => [e.engine, e.outcome])).toEqual([
    ['clips', 'said'],
    ['clips', 'said'],
    ['clips', 'said'],
  ]);
  for (let i = 1; i < log.length; i++)
    expect(log[i]?.startedAt).toBeGreaterThanOrEqual(log[i - 1]?.endedAt ?? Number.POSITIVE_INFINITY);
});

test('with a zh-CN speech voice: the chime, then the call read digit by digit through speechSynthesis; a recall again', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  // a system with a Mandarin voice (and, to be sure the queue's choice matters, an English one listed first)
  await context.addInitScript(() => {
    const voices = [
      { lang: 'en-US', name: 'Test English', default: true, localService: true, voiceURI: 'en' },
      { lang: 'zh-CN', name: 'Test Mandarin', default: false, localService: true, voiceURI: 'zh' },
    ];
    const state = { spoken: [] as { text: string; lang: string; voice: string }[], overlapped: false };
    let speaking = false;
    (window as unknown as { __speech: typeof state }).__speech = state;
    class Utterance {
      lang = '';
      voice: { name: string } | null = null;
      rate = 1;
      onend: (() => void) | null = null;
      onerror: ((e: { error: string }) => void) | null = null;
      constructor(readonly text: string) {}
    }
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
    Object.defineProperty(window, 'speechSynthesis', {
      configurable: true,
      value: {
        getVoices: () => voices,
        speak(u: Utterance) {
          if (speaking) state.overlapped = true;
          speaking = true;
          state.spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.name ?? '' });
          setTimeout(() => {
            speaking = false;
            u.onend?.();
          }, 150);
        },
        cancel() {
          speaking = false;
        },
      },
    });
  });
  const hall = await context.newPage();
  await openHall(hall);
  const clerk = await server.login('clerk1');
  const kiosk = await server.device('kiosk');
  expect((await server.api('POST', '/counters/w1/open', clerk, {})).status).toBe(200);
  expect((await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-a', requestId: 's-1' })).status).toBe(201);
  expect((await server.api('POST', '/counters/w1/call-next', clerk, {})).status).toBe(200);
  expect((await server.api('POST', '/counters/w1/recall', clerk, {})).status).toBe(200);

  await expect.poll(async () => (await voice(hall))?.log.filter((e) => e.endedAt !== null).length, { timeout: 20_000 }).toBe(2);
  const record = await voice(hall);
  expect(record?.announced).toEqual(['请A001号到1号窗口办理', '请A001号到1号窗口办理']);
  expect(record?.log.map((e) => [e.engine, e.outcome])).toEqual([
    ['speech', 'said'],
    ['speech', 'said'],
  ]);
  const speech = await hall.evaluate(() => (window as VoiceWindow).__speech);
  expect(speech?.spoken).toEqual([
    { text: '请A零零一号到一号窗口办理', lang: 'zh-CN', voice: 'Test Mandarin' },
    { text: '请A零零一号到一号窗口办理', lang: 'zh-CN', voice: 'Test Mandarin' },
  ]);
  expect(speech?.overlapped).toBe(false);
});

test('a server restart does not announce a call again; the calls after it are announced', async ({ browser }) => {
  const hall = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await openHall(hall);
  const kiosk = await server.device('kiosk');
  let clerk = await server.login('clerk1');
  expect((await server.api('POST', '/counters/w1/open', clerk, {})).status).toBe(200);
  for (const requestId of ['r-1', 'r-2'])
    expect((await server.api('POST', '/tickets', kiosk, { serviceId: 'gen-a', requestId })).status).toBe(201);
  expect((await server.api('POST', '/counters/w1/call-next', clerk, {})).status).toBe(200);
  await expect.poll(async () => (await voice(hall))?.received).toEqual(['请A001号到1号窗口办理']);

  await server.kill();
  await expect(hall.getByTestId('connection-lost')).toBeVisible();
  await server.restart();
  await expect(hall.getByTestId('connection-lost')).toHaveCount(0, { timeout: 20_000 });
  await expect(hall.getByTestId('latest-call')).toContainText('A001');

  clerk = await server.login('clerk1');
  expect((await server.api('POST', '/counters/w1/call-next', clerk, {})).status).toBe(200);
  await expect(hall.getByTestId('latest-number')).toHaveText('A002');
  await expect.poll(async () => (await voice(hall))?.received).toEqual(['请A001号到1号窗口办理', '请A002号到1号窗口办理']);
});
