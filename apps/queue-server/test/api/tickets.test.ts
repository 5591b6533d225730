/**
 * Tickets over HTTP: issuing and its refusals in SPEC order (I1–I7), a ticket's view, its public status
 * page, cancel and reactivate.
 */
import { idNumberCheckChar } from '@yimen/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { badCheck, expectError, type HallServer, hallServer, ISO_SHANGHAI, idNumber } from './helpers.js';

let s: HallServer;
afterEach(async () => s?.close());

describe('issuing', () => {
  it('API POST /tickets answers 201 {ticket} with every field of the contract', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const r = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'r-1' });
    expect(r.status, r.text).toBe(201);
    expect(r.json.ticket).toMatchObject({
      id: expect.any(String),
      number: 'A001',
      serviceId: 'gen-a',
      status: 'waiting',
      priority: 'none',
      issuedAt: '2026-11-30T09:00:00.000+08:00',
      calledAt: null,
      counterId: null,
      peopleAhead: 0,
      // Every counter closed: its own 8 min shared by the 3 counters serving gen-a (W4's fallback) → 3.
      estimatedWaitMinutes: 3,
      statusPath: expect.stringMatching(/^\/t\//),
    });
    expect(r.json.ticket.issuedAt).toMatch(ISO_SHANGHAI);
    // services that share a prefix share its sequence (N2); other prefixes count on their own
    const b = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-b', requestId: 'r-2', priority: 'elderly' });
    expect(b.json.ticket).toMatchObject({ number: 'A002', serviceId: 'gen-b', priority: 'elderly' });
    const c = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'consult', requestId: 'r-3' });
    expect(c.json.ticket.number).toBe('J001');
    // clerks, managers and admins may issue too
    for (const [who, token] of [
      ['clerk5', s.t.clerk5],
      ['manager', s.t.manager],
      ['admin', s.t.admin],
    ]) {
      const x = await s.api('POST', '/tickets', token, { serviceId: 'consult', requestId: 'same-key' });
      expect(x.status, `${who}: ${x.text}`).toBe(201);
    }
  });

  it('I7 the same requestId again answers 200 with the same ticket and issues no second number', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const first = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'retry-1' });
    expect(first.status).toBe(201);
    s.clock.advance(5_000);
    const again = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'retry-1' });
    expect(again.status).toBe(200);
    expect(again.json.ticket.id).toBe(first.json.ticket.id);
    expect(again.json.ticket.number).toBe('A001');
    expect(again.json.ticket.issuedAt).toBe(first.json.ticket.issuedAt);
    const queues = (await s.api('GET', '/queues', kiosk.token)).json.queues;
    expect(queues.find((q: { serviceId: string }) => q.serviceId === 'gen-a').waiting).toBe(1);
    const next = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'retry-2' });
    expect(next.json.ticket.number).toBe('A002');
  });

  it('I7 the same requestId with another service, priority or ID number is 409 REQUEST_ID_REUSED', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const id = idNumber();
    expect((await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'k', idNumber: id })).status).toBe(201);
    expectError(
      await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-b', requestId: 'k', idNumber: id }),
      409,
      'REQUEST_ID_REUSED',
    );
    expectError(
      await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'k', idNumber: id, priority: 'military' }),
      409,
      'REQUEST_ID_REUSED',
    );
    expectError(
      await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'k', idNumber: idNumber('19900307', '124') }),
      409,
      'REQUEST_ID_REUSED',
    );
    expectError(await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'k' }), 409, 'REQUEST_ID_REUSED');
    // the ID number's case does not matter: a lowercase x is the same number
    const x = `${idNumber('19851231', '010').slice(0, 17)}`;
    const xNumber = `${x}${idNumberCheckChar(x)}`;
    const sent = xNumber.endsWith('X') ? xNumber.toLowerCase() : xNumber;
    expect((await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'kx', idNumber: sent })).status).toBe(
      201,
    );
    expect(
      (await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'kx', idNumber: xNumber })).status,
    ).toBe(200);
    const queues = (await s.api('GET', '/queues', kiosk.token)).json.queues;
    expect(queues.find((q: { serviceId: string }) => q.serviceId === 'gen-a').waiting).toBe(2);
  });

  it('I7 ten concurrent requests with one requestId issue one ticket: one 201, the others 200 with it', async () => {
    s = await hallServer();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => s.api('POST', '/tickets', s.t.kiosk, { serviceId: 'gen-a', requestId: 'burst' })),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(answers.map((r) => r.json.ticket.id)).size).toBe(1);
    expect((await s.api('GET', '/queues', s.t.kiosk)).json.queues[0].waiting).toBe(1);
  });

  it('I7 requestIds are per caller: two kiosks using the same requestId get two tickets', async () => {
    s = await hallServer();
    const k1 = { token: s.t.kiosk };
    const k2 = { token: s.t.kiosk2 };
    const a = await s.api('POST', '/tickets', k1.token, { serviceId: 'gen-a', requestId: 'shared-key' });
    const b = await s.api('POST', '/tickets', k2.token, { serviceId: 'gen-a', requestId: 'shared-key' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.ticket.id).not.toBe(b.json.ticket.id);
    expect([a.json.ticket.number, b.json.ticket.number]).toEqual(['A001', 'A002']);
    // and each kiosk's retry finds its own ticket
    expect((await s.api('POST', '/tickets', k2.token, { serviceId: 'gen-a', requestId: 'shared-key' })).json.ticket.id).toBe(
      b.json.ticket.id,
    );
  });

  it('I7 a refused issue does not use up its requestId; keys hold for the business day only', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    s.clock.set('2026-11-30T12:00:00+08:00');
    expectError(await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'noon' }), 422, 'OUTSIDE_HOURS');
    s.clock.set('2026-11-30T13:30:00+08:00');
    const later = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'noon' });
    expect(later.status).toBe(201);
    s.clock.set('2026-12-01T09:00:00+08:00');
    const nextDay = await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'noon' });
    expect(nextDay.status).toBe(201);
    expect(nextDay.json.ticket.id).not.toBe(later.json.ticket.id);
    expect(nextDay.json.ticket.number).toBe('A001');
  });

  it('N5 a business day the clock comes back to continues its numbers (no 5xx, no number twice)', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const issue = (requestId: string) => s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId });
    expect((await issue('mon-1')).json.ticket.number).toBe('A001');
    s.clock.set('2026-12-01T09:00:00+08:00');
    expect((await issue('tue-1')).json.ticket.number).toBe('A001');
    // the clock is set back (corrected) to Monday
    s.clock.set('2026-11-30T09:30:00+08:00');
    const again = await issue('mon-2');
    expect(again.status, again.text).toBe(201);
    expect(again.json.ticket.number).toBe('A002');
    expect((await issue('mon-1')).status).toBe(200);
    const gen = (await s.api('GET', '/queues', kiosk.token)).json.queues[0];
    expect(gen).toMatchObject({ serviceId: 'gen-a', waiting: 2 });
    s.clock.set('2026-12-01T10:00:00+08:00');
    expect((await issue('tue-2')).json.ticket.number).toBe('A002');
  });

  it('I1 an unknown service is 404 NOT_FOUND, checked before the ID number', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    expectError(await s.api('POST', '/tickets', kiosk.token, { serviceId: 'nope', requestId: 'a' }), 404, 'NOT_FOUND');
    expectError(
      await s.api('POST', '/tickets', kiosk.token, { serviceId: 'nope', requestId: 'b', idNumber: badCheck(idNumber()) }),
      404,
      'NOT_FOUND',
    );
  });

  it('I2 a bad ID number is 422 INVALID_ID_NUMBER: check digit, length, characters, birth date', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const good = idNumber();
    const bad = [
      badCheck(good),
      good.slice(0, 17),
      `${good}0`,
      `${good.slice(0, 16)}A${good[17]}`,
      `11010120261231123${idNumberCheckChar('11010120261231123')}`, // born in the future
      `11010119900230123${idNumberCheckChar('11010119900230123')}`, // 30 February
      '',
    ];
    for (const [i, idNumberSent] of bad.entries())
      expectError(
        await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: `bad-${i}`, idNumber: idNumberSent }),
        422,
        'INVALID_ID_NUMBER',
      );
    // checked before SERVICE_CLOSED (I2 before I3)
    expectError(
      await s.api('POST', '/tickets', kiosk.token, { serviceId: 'closed', requestId: 'bad-c', idNumber: badCheck(good) }),
      422,
      'INVALID_ID_NUMBER',
    );
    expect((await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'good', idNumber: good })).status).toBe(
      201,
    );
  });

  it('I3 a suspended service is 422 SERVICE_CLOSED, before the hours', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    expectError(await s.api('POST', '/tickets', kiosk.token, { serviceId: 'closed', requestId: 'a' }), 422, 'SERVICE_CLOSED');
    s.clock.set('2026-12-05T10:00:00+08:00');
    expectError(await s.api('POST', '/tickets', kiosk.token, { serviceId: 'closed', requestId: 'b' }), 422, 'SERVICE_CLOSED');
  });

  it('I4 outside the issuing hours (12:00, a Saturday, a service’s own hours) is 422 OUTSIDE_HOURS', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const issue = (serviceId: string, requestId: string) => s.api('POST', '/tickets', kiosk.token, { serviceId, requestId });
    s.clock.set('2026-11-30T12:00:00+08:00');
    expectError(await issue('gen-a', 'noon'), 422, 'OUTSIDE_HOURS');
    s.clock.set('2026-11-30T08:29:00+08:00');
    expectError(await issue('gen-a', 'early'), 422, 'OUTSIDE_HOURS');
    s.clock.set('2026-11-30T08:30:00+08:00');
    expect((await issue('gen-a', 'opening')).status).toBe(201);
    s.clock.set('2026-12-05T10:00:00+08:00'); // Saturday
    expectError(await issue('gen-a', 'saturday'), 422, 'OUTSIDE_HOURS');
    // fund issues 08:30–11:30 and 13:30–16:30; the hall's default runs to 17:00
    s.clock.set('2026-11-30T16:45:00+08:00');
    expectError(await issue('fund', 'late-fund'), 422, 'OUTSIDE_HOURS');
    expect((await issue('gen-a', 'late-gen')).status).toBe(201);
    s.clock.set('2026-11-30T11:35:00+08:00');
    expectError(await issue('fund', 'fund-1135'), 422, 'OUTSIDE_HOURS');
    s.clock.set('2026-11-30T16:29:00+08:00');
    expect((await issue('fund', 'fund-1629')).status).toBe(201);
    s.clock.set('2026-11-30T17:00:00+08:00');
    expectError(await issue('gen-a', 'closing'), 422, 'OUTSIDE_HOURS');
  });

  it('I5 the day’s cap reached is 422 DAILY_CAP_REACHED; cancelled tickets still count', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const mgr = s.t.manager;
    const first = await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'c1' });
    await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'c2' });
    await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'c3' });
    expect((await s.api('POST', `/tickets/${first.json.ticket.id}/cancel`, mgr)).status).toBe(200);
    expectError(await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'c4' }), 422, 'DAILY_CAP_REACHED');
    // an idempotent retry of an issued ticket still answers it
    expect((await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'c2' })).status).toBe(200);
    // the cap restarts with the business day
    s.clock.set('2026-12-01T09:00:00+08:00');
    expect((await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'c4' })).status).toBe(201);
  });

  it('I6 the same ID number past the per-person limit is 422 PERSON_LIMIT_REACHED; others and cancelled tickets do not count', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const k2 = { token: s.t.kiosk2 };
    const mgr = s.t.manager;
    const me = idNumber('19800101', '555');
    const first = await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'p1', idNumber: me });
    expect(first.status).toBe(201);
    expectError(
      await s.api('POST', '/tickets', k2.token, { serviceId: 're', requestId: 'p2', idNumber: me }),
      422,
      'PERSON_LIMIT_REACHED',
    );
    // lowercase or uppercase, the same person
    expect(
      (await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'p3', idNumber: idNumber('19800101', '556') }))
        .status,
    ).toBe(201);
    // another service has no limit
    expect((await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'p4', idNumber: me })).status).toBe(
      201,
    );
    // a cancelled ticket gives the person their ticket back
    expect((await s.api('POST', `/tickets/${first.json.ticket.id}/cancel`, mgr)).status).toBe(200);
    expect((await s.api('POST', '/tickets', k2.token, { serviceId: 're', requestId: 'p5', idNumber: me })).status).toBe(201);
  });

  it('I5 the cap is checked before the per-person limit', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const me = idNumber('19700707', '777');
    await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'a', idNumber: me });
    await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'b' });
    await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'c' });
    expectError(
      await s.api('POST', '/tickets', kiosk.token, { serviceId: 're', requestId: 'd', idNumber: me }),
      422,
      'DAILY_CAP_REACHED',
    );
  });
});

describe('a ticket and its public status page', () => {
  it('W2 GET /tickets/{id} answers peopleAhead and estimatedWaitMinutes; they fall as the queue moves', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const display = { token: s.t.hallDisplay };
    const mgr = s.t.manager;
    await s.api('POST', '/counters/w1/open', mgr);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: `w${i}` })).json.ticket.id);
    const last = await s.api('GET', `/tickets/${ids[3]}`, display.token);
    expect(last.status).toBe(200);
    expect(last.json.ticket).toMatchObject({ id: ids[3], number: 'A004', status: 'waiting', peopleAhead: 3 });
    // W4: w1 open and idle, 3 ahead at gen-a's 8 min: (3 + 1 − 1) × 8 = 24.
    const minutes3 = last.json.ticket.estimatedWaitMinutes;
    expect(minutes3).toBe(24);
    expect((await s.api('GET', `/tickets/${ids[0]}`, display.token)).json.ticket).toMatchObject({
      peopleAhead: 0,
      estimatedWaitMinutes: 0,
    });
    const called = await s.api('POST', '/counters/w1/call-next', mgr, {});
    expect(called.json.ticket.id).toBe(ids[0]);
    const moved = (await s.api('GET', `/tickets/${ids[3]}`, display.token)).json.ticket;
    expect(moved.peopleAhead).toBe(2);
    // w1 now busy with A001: (2 + 1) × 8 = 24, the same (the idle w1 was already counted as taking one).
    expect(moved.estimatedWaitMinutes).toBe(24);
    // 6 minutes later w1 finishes A001 and calls A002: 1 ahead, gen-a now at its measured 6 counter minutes
    // per ticket (W3): (1 + 1) × 6 = 12.
    s.clock.advance(6 * 60_000);
    expect((await s.api('POST', '/counters/w1/call-next', mgr, {})).json.ticket.id).toBe(ids[1]);
    const next = (await s.api('GET', `/tickets/${ids[3]}`, display.token)).json.ticket;
    expect(next).toMatchObject({ peopleAhead: 1, estimatedWaitMinutes: 12 });
    expect(next.estimatedWaitMinutes).toBeLessThan(minutes3);
    // a called ticket (A002, now at w1) has no place in the queue: the fields that do not apply are null
    const c = (await s.api('GET', `/tickets/${ids[1]}`, display.token)).json.ticket;
    expect(c).toMatchObject({ status: 'called', counterId: 'w1', peopleAhead: null, estimatedWaitMinutes: null });
    expect(c.calledAt).toMatch(ISO_SHANGHAI);
    expectError(await s.api('GET', '/tickets/tk_doesnotexist', display.token), 404, 'NOT_FOUND');
  });

  it('API statusPath is /t/{key}: a random key of at least 128 bits, not the id, number or time', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const keys = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const t = (await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: `key-${i}` })).json.ticket;
      const m = /^\/t\/([A-Za-z0-9_-]+)$/.exec(t.statusPath);
      expect(m, t.statusPath).not.toBeNull();
      const key = (m as RegExpExecArray)[1] as string;
      // base64url: 6 bits a character; 22 characters hold 132 bits
      expect(key.length).toBeGreaterThanOrEqual(22);
      expect(key).not.toContain(t.id);
      expect(t.id).not.toContain(key);
      expect(key).not.toContain(t.number);
      expect(key).not.toContain(String(Date.parse(t.issuedAt)));
      keys.add(key);
    }
    expect(keys.size).toBe(5);
    // the characters vary as random ones do: no long shared prefix between keys
    const list = [...keys];
    const prefix = (a: string, b: string) => {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      return i;
    };
    for (let i = 1; i < list.length; i++) expect(prefix(list[0] as string, list[i] as string)).toBeLessThan(8);
  });

  it('API the status page /t/{key} answers 200 HTML with the number, no token needed; an unknown key is 404', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const t = (await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-b', requestId: 'page' })).json.ticket;
    const page = await s.api('GET', t.statusPath, null);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain(t.number);
    expect(page.text).toContain('综合业务乙');
    expect(page.text).toContain('等候中');
    const mgr = s.t.manager;
    await s.api('POST', '/counters/w2/open', mgr);
    await s.api('POST', '/counters/w2/call-next', mgr, {});
    const called = await s.api('GET', t.statusPath, null);
    expect(called.text).toContain('2 号窗口');
    const unknown = await s.api('GET', '/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', null);
    expect(unknown.status).toBe(404);
    expect(unknown.text).not.toContain(t.number);
    expect((await s.api('GET', '/t/short', null)).status).toBe(404);
    expect((await s.api('GET', `/t/${t.id}`, null)).status).toBe(404);
  });

  it('N4 the status page of yesterday’s unfinished ticket says it expired; the ticket is never called', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const t = (await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'old' })).json.ticket;
    s.clock.set('2026-12-01T09:00:00+08:00');
    const page = await s.api('GET', t.statusPath, null);
    expect(page.status).toBe(200);
    expect(page.text).toContain('已失效');
    const mgr = await s.login('manager');
    await s.api('POST', '/counters/w1/open', mgr);
    expect((await s.api('POST', '/counters/w1/call-next', mgr, {})).status).toBe(204);
    expect((await s.api('GET', `/tickets/${t.id}`, mgr)).json.ticket).toMatchObject({ status: 'waiting', peopleAhead: null });
  });
});

describe('cancel and reactivate', () => {
  it('T8 cancel: waiting or called → cancelled (a called ticket leaves its counter); serving 409; closed 409', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const clerk = s.t.clerk1;
    const a = (await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'a' })).json.ticket;
    const b = (await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'b' })).json.ticket;
    const c = (await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'c' })).json.ticket;
    // waiting → cancelled, by a clerk whose counter serves it
    const r = await s.api('POST', `/tickets/${c.id}/cancel`, clerk);
    expect(r.status).toBe(200);
    expect(r.json.ticket).toMatchObject({ id: c.id, status: 'cancelled', peopleAhead: null });
    expectError(await s.api('POST', `/tickets/${c.id}/cancel`, clerk), 409, 'TICKET_CLOSED');
    // called → cancelled: the counter holds nothing after
    await s.api('POST', '/counters/w1/open', clerk);
    expect((await s.api('POST', '/counters/w1/call-next', clerk, {})).json.ticket.id).toBe(a.id);
    expect((await s.api('POST', `/tickets/${a.id}/cancel`, clerk)).json.ticket.status).toBe('cancelled');
    const w1 = (await s.api('GET', '/hall', clerk)).json.counters.find((x: { id: string }) => x.id === 'w1');
    expect(w1.currentTicketId).toBeNull();
    expectError(await s.api('POST', '/counters/w1/recall', clerk), 409, 'NO_CURRENT_TICKET');
    // serving: 409 TICKET_ALREADY_SERVING
    await s.api('POST', '/counters/w1/call-next', clerk, {});
    await s.api('POST', '/counters/w1/start', clerk);
    expectError(await s.api('POST', `/tickets/${b.id}/cancel`, clerk), 409, 'TICKET_ALREADY_SERVING');
    await s.api('POST', '/counters/w1/finish', clerk);
    expectError(await s.api('POST', `/tickets/${b.id}/cancel`, clerk), 409, 'TICKET_CLOSED');
    expectError(await s.api('POST', '/tickets/tk_nope/cancel', clerk), 404, 'NOT_FOUND');
    const q = (await s.api('GET', '/queues', clerk)).json.queues[0];
    expect(q).toMatchObject({ serviceId: 'gen-a', waiting: 0 });
  });

  it('T9 reactivate: a no-show waits again behind the next 3 of its service; not a no-show 409; yesterday’s 409 TICKET_EXPIRED', async () => {
    s = await hallServer();
    const kiosk = { token: s.t.kiosk };
    const clerk = s.t.clerk1;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push((await s.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: `n${i}` })).json.ticket.id);
      s.clock.advance(60_000);
    }
    await s.api('POST', '/counters/w1/open', clerk);
    await s.api('POST', '/counters/w1/call-next', clerk, {});
    const ns = await s.api('POST', '/counters/w1/no-show', clerk);
    expect(ns.json.ticket).toMatchObject({ id: ids[0], status: 'no_show' });
    expectError(await s.api('POST', `/tickets/${ids[1]}/reactivate`, clerk), 409, 'TICKET_NOT_NO_SHOW');
    const r = await s.api('POST', `/tickets/${ids[0]}/reactivate`, clerk);
    expect(r.status).toBe(200);
    expect(r.json.ticket).toMatchObject({ id: ids[0], number: 'A001', status: 'waiting', counterId: null, peopleAhead: 3 });
    const order: string[] = [];
    for (let i = 0; i < 6; i++) order.push((await s.api('POST', '/counters/w1/call-next', clerk, {})).json.ticket.number);
    expect(order).toEqual(['A002', 'A003', 'A004', 'A001', 'A005', 'A006']);
    expectError(await s.api('POST', '/tickets/tk_nope/reactivate', clerk), 404, 'NOT_FOUND');
    // a no-show of yesterday cannot come back
    const last = await s.api('POST', '/counters/w1/no-show', clerk);
    expect(last.json.ticket.status).toBe('no_show');
    s.clock.set('2026-12-01T09:00:00+08:00');
    const tomorrow = await s.login('clerk1');
    expectError(await s.api('POST', `/tickets/${last.json.ticket.id}/reactivate`, tomorrow), 409, 'TICKET_EXPIRED');
  });
});
