/**
 * The ticket's public status page (/t/{key}, its QR) and its live stream (/t/{key}/events, server-sent
 * events): the place and the wait move as the queue moves, "请到 N 号窗口" when called, the stream ends when
 * the ticket is finished; no token, nothing personal, a bounded number of streams.
 */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { registerPages, type StatusView } from '../../src/adapters/pages.js';
import { MONDAY_9AM, startServer, type TestServer } from '../fixtures.js';
import { idNumber } from './helpers.js';

let server: TestServer;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await server?.close();
});

/** An open event stream, read with fetch: its views one by one, its raw text, whether it ended. */
interface Events {
  status: number;
  headers: Headers;
  /** The next `data:` view; null once the stream has ended. Fails after `ms` without one. */
  next(ms?: number): Promise<StatusView | null>;
  /** Views until one matches (the ones skipped are returned too, in `seen`). */
  until(pred: (v: StatusView) => boolean, ms?: number): Promise<{ view: StatusView; seen: StatusView[] }>;
  /** Everything received so far. */
  raw(): string;
  /** Reads on (views included) until the raw text matches; fails after `ms`. */
  rawUntil(re: RegExp, ms?: number): Promise<string>;
  close(): void;
}

async function events(base: string, statusPath: string): Promise<Events> {
  const ctrl = new AbortController();
  const res = await fetch(`${base}${statusPath}/events`, { signal: ctrl.signal });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buf = '';
  let raw = '';
  let ended = false;
  let pending: ReturnType<typeof reader.read> | null = null;
  cleanups.push(() => ctrl.abort());
  /** One more chunk into `buf` and `raw`; false once the stream has ended. */
  const read = async (deadline: number, ms: number): Promise<boolean> => {
    if (ended) return false;
    pending ??= reader.read();
    let timer: NodeJS.Timeout | undefined;
    const r = await Promise.race([
      pending,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
      }),
    ]);
    clearTimeout(timer);
    if (r === 'timeout') throw new Error(`nothing within ${ms} ms; received:\n${raw}`);
    pending = null;
    if (r.done) ended = true;
    else {
      const text = decoder.decode(r.value, { stream: true });
      buf += text;
      raw += text;
    }
    return !ended;
  };
  const next = async (ms = 3000): Promise<StatusView | null> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const cut = buf.indexOf('\n\n');
      if (cut >= 0) {
        const block = buf.slice(0, cut);
        buf = buf.slice(cut + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trimStart());
        if (data.length > 0) return JSON.parse(data.join('\n')) as StatusView;
        continue; // a comment or the retry field
      }
      if (!(await read(deadline, ms)) && buf.indexOf('\n\n') < 0) return null;
    }
  };
  return {
    status: res.status,
    headers: res.headers,
    next,
    async until(pred, ms = 3000) {
      const seen: StatusView[] = [];
      for (;;) {
        const v = await next(ms);
        if (v === null) throw new Error(`the stream ended first; seen ${JSON.stringify(seen)}`);
        seen.push(v);
        if (pred(v)) return { view: v, seen };
      }
    },
    raw: () => raw,
    async rawUntil(re, ms = 3000) {
      const deadline = Date.now() + ms;
      while (!re.test(raw)) if (!(await read(deadline, ms))) break;
      return raw;
    },
    close: () => ctrl.abort(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the status page', () => {
  it('API without JavaScript: reloads only inside <noscript> while live; "请到 1 号窗口" large when called; done: static', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk = await server.login('clerk1');
    const issued = (await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'p1' })).json.ticket;
    const page = async () => (await server.api('GET', issued.statusPath, null)).text;
    let html = await page();
    expect(html).toContain('A001');
    expect(html).toContain('前面还有');
    expect(html).toMatch(/<noscript><meta http-equiv="refresh" content="5"><\/noscript>/);
    expect(html.replace(/<noscript>[\s\S]*?<\/noscript>/g, '')).not.toContain('http-equiv');
    expect(html).toContain('new EventSource(');
    expect(html).toMatch(/data-testid="ticket-call"[^>]* hidden>/);
    await server.api('POST', '/counters/w1/open', clerk);
    await server.api('POST', '/counters/w1/call-next', clerk, {});
    html = await page();
    expect(html).toMatch(/data-testid="ticket-call" role="alert">请到 <b id="call-n">1<\/b> 号窗口</);
    expect(html).toContain('<title>请到 1 号窗口 · A001</title>');
    await server.api('POST', '/counters/w1/finish', clerk);
    html = await page();
    expect(html).toContain('已办结');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).not.toContain('EventSource');
  });

  it('API the stream: people ahead drop when the first is called; "called at counter 2" for the second; finished: it ends', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk1 = await server.login('clerk1');
    const clerk2 = await server.login('clerk2');
    const first = (await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 's1' })).json.ticket;
    const second = (await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 's2' })).json.ticket;

    const s1 = await events(server.url, first.statusPath);
    const s2 = await events(server.url, second.statusPath);
    expect(s2.status).toBe(200);
    expect(s2.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(s2.headers.get('cache-control')).toBe('no-store');
    // the first view at once: the page's view as JSON
    expect(await s2.next()).toEqual({
      number: 'A002',
      service: '综合业务甲',
      status: 'waiting',
      expired: false,
      final: false,
      label: '等候中',
      hint: expect.any(String),
      peopleAhead: 1,
      estimatedWaitMinutes: expect.any(Number),
      counterNumber: null,
      issuedAt: '2026-11-30 09:00',
    });
    expect(await s1.next()).toMatchObject({ number: 'A001', status: 'waiting', peopleAhead: 0 });

    // a counter opens: the estimate may change, the place does not; then the first is called
    await server.api('POST', '/counters/w1/open', clerk1);
    expect((await server.api('POST', '/counters/w1/call-next', clerk1, {})).json.ticket.number).toBe('A001');
    const { view: ahead0, seen } = await s2.until((v) => v.peopleAhead === 0);
    expect(ahead0).toMatchObject({ status: 'waiting', counterNumber: null, final: false });
    // only changes are sent: never the same view twice in a row
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toEqual(seen[i - 1]);
    expect((await s1.until((v) => v.status === 'called')).view).toMatchObject({
      label: '请前往窗口',
      counterNumber: 1,
      peopleAhead: null,
      estimatedWaitMinutes: null,
      final: false,
    });

    // the second is called at counter 2: its stream says so
    await server.api('POST', '/counters/w2/open', clerk2);
    expect((await server.api('POST', '/counters/w2/call-next', clerk2, {})).json.ticket.number).toBe('A002');
    expect((await s2.until((v) => v.status === 'called')).view).toMatchObject({
      number: 'A002',
      status: 'called',
      counterNumber: 2,
      label: '请前往窗口',
      final: false,
    });
    // a recall changes nothing on the page: nothing is sent
    await server.api('POST', '/counters/w2/recall', clerk2);
    await server.api('POST', '/counters/w2/start', clerk2);
    expect(await s2.next()).toMatchObject({ status: 'serving', counterNumber: 2, label: '办理中' });

    // finished: the last view, then the stream ends
    await server.api('POST', '/counters/w2/finish', clerk2);
    expect(await s2.next()).toMatchObject({ status: 'done', final: true, counterNumber: null, label: '已办结' });
    expect(await s2.next()).toBeNull();
    // the first: a no-show ends its stream too
    await server.api('POST', '/counters/w1/no-show', clerk1);
    expect(await s1.until((v) => v.final)).toMatchObject({ view: { status: 'no_show', label: '已过号' } });
    expect(await s1.next()).toBeNull();

    // a finished ticket's stream: its view once, then the end
    const late = await events(server.url, second.statusPath);
    expect(late.status).toBe(200);
    expect(await late.next()).toMatchObject({ status: 'done', final: true });
    expect(await late.next()).toBeNull();
  });

  it('API a cancelled ticket and yesterday’s ticket end their streams; a new day says expired', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const manager = await server.login('manager');
    const a = (await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'c1' })).json.ticket;
    const b = (await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'c2' })).json.ticket;
    const sa = await events(server.url, a.statusPath);
    const sb = await events(server.url, b.statusPath);
    expect(await sa.next()).toMatchObject({ status: 'waiting' });
    expect(await sb.next()).toMatchObject({ status: 'waiting', peopleAhead: 1 });
    await server.api('POST', `/tickets/${a.id}/cancel`, manager);
    expect(await sa.next()).toMatchObject({ status: 'cancelled', final: true, label: '已取消' });
    expect(await sa.next()).toBeNull();
    expect(await sb.next()).toMatchObject({ status: 'waiting', peopleAhead: 0 });
    // midnight passes: the waiting ticket will never be called
    server.clock.set(MONDAY_9AM + 24 * 3600_000);
    server.app.service.tick();
    expect(await sb.next()).toMatchObject({ status: 'waiting', expired: true, final: true, label: '已失效', peopleAhead: null });
    expect(await sb.next()).toBeNull();
  });

  it('API an unknown or malformed key: 404 with the contract’s error body, for the stream as for the page', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const t = (await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'u1' })).json.ticket;
    for (const path of [
      '/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/events',
      '/t/short/events',
      `/t/${t.id}/events`,
      `/t/${'k'.repeat(500)}/events`,
    ]) {
      const r = await fetch(`${server.url}${path}`);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('content-type'), path).toMatch(/^application\/json/);
      const body = await r.json();
      expect(body, path).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
      expect(JSON.stringify(body)).not.toContain(t.number);
    }
    expect((await server.api('GET', '/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', null)).status).toBe(404);
    // no token is needed, and a token changes nothing
    const withToken = await fetch(`${server.url}${t.statusPath}/events`, { headers: { authorization: 'Bearer nonsense' } });
    expect(withToken.status).toBe(200);
    await withToken.body?.cancel();
  });

  it('I2 neither the page nor its stream shows anything personal: no ID number, id, key, priority or clerk', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const clerk1 = await server.login('clerk1');
    const person = idNumber('19851231', '107');
    const t = (
      await server.api('POST', '/tickets', kiosk.token, {
        serviceId: 'gen-a',
        requestId: 'i1',
        idNumber: person,
        priority: 'elderly',
      })
    ).json.ticket;
    const key = String(t.statusPath).slice('/t/'.length);
    const s = await events(server.url, t.statusPath);
    await s.next();
    await server.api('POST', '/counters/w1/open', clerk1);
    await server.api('POST', '/counters/w1/call-next', clerk1, {});
    await s.until((v) => v.status === 'called');
    const calledPage = (await server.api('GET', t.statusPath, null)).text;
    await server.api('POST', '/counters/w1/start', clerk1);
    await server.api('POST', '/counters/w1/finish', clerk1);
    await s.until((v) => v.final);
    expect(await s.next()).toBeNull();
    const texts = { stream: s.raw(), page: calledPage };
    for (const [where, text] of Object.entries(texts)) {
      for (const needle of [person, person.slice(0, 17), person.slice(6, 17), t.id, '张晓明', 'T001', 'elderly', '老年'])
        expect(text, `${where}: ${needle}`).not.toContain(needle);
      expect(text, where).not.toMatch(/idNumber|personKey|person_key|priority|staffNo|clerk/i);
    }
    expect(s.raw()).not.toContain(key);
  });

  it('API the streams per server are capped (503 UNAVAILABLE); a client that leaves frees its place; heartbeats flow', async () => {
    server = await startServer();
    const kiosk = await server.device('kiosk');
    const t = (await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'cap' })).json.ticket;
    // a second front on the same hall, with a cap of 2 and a fast heartbeat
    const front = Fastify({ forceCloseConnections: true });
    registerPages(front, server.app.service, { maxStatusStreams: 2, heartbeatMs: 50 });
    await front.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => front.close());
    const address = front.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const one = await events(base, t.statusPath);
    const two = await events(base, t.statusPath);
    expect(await one.next()).toMatchObject({ number: 'A001' });
    expect(await two.next()).toMatchObject({ number: 'A001' });
    const refused = await fetch(`${base}${t.statusPath}/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toEqual({ error: { code: 'UNAVAILABLE', message: expect.stringContaining('人数过多') } });

    // heartbeats: comment lines, no views
    expect(await two.rawUntil(/\n: ping\n\n/)).toMatch(/^retry: \d+\n\ndata: \{[^\n]*\}\n\n(: ping\n\n)+$/);

    // one leaves: its listener is cleaned up and the place is free again
    one.close();
    let again: Response | null = null;
    for (let i = 0; i < 40 && again?.status !== 200; i++) {
      await again?.body?.cancel();
      await sleep(25);
      again = await fetch(`${base}${t.statusPath}/events`);
    }
    expect(again?.status).toBe(200);
    await again?.body?.cancel();
  });
});
