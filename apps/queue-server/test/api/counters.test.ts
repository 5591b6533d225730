/**
 * Counter actions over HTTP (T1–T7, C1–C7) and evaluations (E1–E4): each answers 200 with the ticket or
 * the counter concerned, or its precise refusal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectError, type HallServer, hallServer, ISO_SHANGHAI } from './helpers.js';

let s: HallServer;
afterEach(async () => s?.close());

const issue = async (serviceId: string, requestId: string, token = s.t.kiosk) => {
  const r = await s.api('POST', '/tickets', token, { serviceId, requestId });
  expect(r.status, r.text).toBe(201);
  return r.json.ticket as { id: string; number: string };
};
const counter = async (id: string) =>
  (await s.api('GET', '/hall', s.t.hallDisplay)).json.counters.find((c: { id: string }) => c.id === id);

describe('open, close, pause, resume', () => {
  it('C1 open: closed → open, the clerk takes it; answers {counter}; open again 409 COUNTER_NOT_CLOSED', async () => {
    s = await hallServer();
    const r = await s.api('POST', '/counters/w1/open', s.t.clerk1);
    expect(r.status).toBe(200);
    expect(r.json).toStrictEqual({
      counter: expect.objectContaining({
        id: 'w1',
        number: 1,
        name: '1号综合窗口',
        serviceIds: ['gen-a', 'gen-b'],
        state: 'open',
        currentTicketId: null,
        clerk: expect.objectContaining({ name: '张晓明' }),
      }),
    });
    expect(r.json.counter.stateSince).toMatch(ISO_SHANGHAI);
    expectError(await s.api('POST', '/counters/w1/open', s.t.clerk1), 409, 'COUNTER_NOT_CLOSED');
    expectError(await s.api('POST', '/counters/w9/open', s.t.manager), 404, 'NOT_FOUND');
    expect((await counter('w1')).state).toBe('open');
  });

  it('C2 a clerk takes an open counter no clerk holds (a keypad or a manager opened it)', async () => {
    s = await hallServer();
    const byKeypad = await s.api('POST', '/counters/w1/open', s.t.keypad1);
    expect(byKeypad.json.counter).toMatchObject({ state: 'open', clerk: null });
    const taken = await s.api('POST', '/counters/w1/open', s.t.clerk1);
    expect(taken.status).toBe(200);
    expect(taken.json.counter.clerk.name).toBe('张晓明');
    await s.api('POST', '/counters/w2/open', s.t.manager);
    expect((await s.api('POST', '/counters/w2/open', s.t.clerk2)).json.counter.clerk.name).toBe('李红');
  });

  it('C3 another clerk at a taken counter gets 409 COUNTER_IN_USE; its manager and its keypad act at any time', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    await issue('gen-a', 'a');
    await issue('gen-a', 'b');
    // clerk2 is assigned to w1 too (AB岗) but clerk1 holds it
    expectError(await s.api('POST', '/counters/w1/call-next', s.t.clerk2, {}), 409, 'COUNTER_IN_USE');
    expectError(await s.api('POST', '/counters/w1/pause', s.t.clerk2), 409, 'COUNTER_IN_USE');
    expectError(await s.api('POST', '/counters/w1/close', s.t.clerk2), 409, 'COUNTER_IN_USE');
    expect((await s.api('POST', '/counters/w1/call-next', s.t.keypad1, {})).json.ticket.number).toBe('A001');
    expect((await s.api('POST', '/counters/w1/call-next', s.t.manager, {})).json.ticket.number).toBe('A002');
    expectError(await s.api('POST', '/counters/w1/finish', s.t.clerk2), 409, 'COUNTER_IN_USE');
    expect((await s.api('POST', '/counters/w1/finish', s.t.clerk1)).json.ticket.status).toBe('done');
  });

  it('C4 a clerk works at one counter at a time: 409 CLERK_AT_OTHER_COUNTER; after closing the first, the second opens', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w2/open', s.t.clerk2);
    expectError(await s.api('POST', '/counters/w1/open', s.t.clerk2), 409, 'CLERK_AT_OTHER_COUNTER');
    await s.api('POST', '/counters/w2/pause', s.t.clerk2);
    expectError(await s.api('POST', '/counters/w1/open', s.t.clerk2), 409, 'CLERK_AT_OTHER_COUNTER');
    await s.api('POST', '/counters/w2/resume', s.t.clerk2);
    expect((await s.api('POST', '/counters/w2/close', s.t.clerk2)).json.counter).toMatchObject({ state: 'closed', clerk: null });
    expect((await s.api('POST', '/counters/w1/open', s.t.clerk2)).json.counter).toMatchObject({ state: 'open' });
  });

  it('C5 close: → closed only with no current ticket (409 COUNTER_BUSY); a closed counter refuses actions (T6)', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    await issue('gen-a', 'a');
    await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    expectError(await s.api('POST', '/counters/w1/close', s.t.clerk1), 409, 'COUNTER_BUSY');
    await s.api('POST', '/counters/w1/finish', s.t.clerk1);
    const closed = await s.api('POST', '/counters/w1/close', s.t.clerk1);
    expect(closed.status).toBe(200);
    expect(closed.json.counter).toMatchObject({ id: 'w1', state: 'closed', clerk: null, currentTicketId: null });
    expectError(await s.api('POST', '/counters/w1/close', s.t.clerk1), 409, 'COUNTER_NOT_OPEN');
    for (const action of ['recall', 'start', 'finish', 'no-show'])
      expectError(await s.api('POST', `/counters/w1/${action}`, s.t.clerk1), 409, 'COUNTER_NOT_OPEN');
    expectError(await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {}), 409, 'COUNTER_NOT_OPEN');
    expectError(await s.api('POST', '/counters/w1/transfer', s.t.clerk1, { serviceId: 'gen-b' }), 409, 'COUNTER_NOT_OPEN');
    expectError(await s.api('POST', '/counters/w1/pause', s.t.clerk1), 409, 'COUNTER_NOT_OPEN');
  });

  it('C6 pause: open → paused (else 409 COUNTER_NOT_OPEN); resume: paused → open (else 409 COUNTER_NOT_PAUSED)', async () => {
    s = await hallServer();
    expectError(await s.api('POST', '/counters/w1/resume', s.t.clerk1), 409, 'COUNTER_NOT_PAUSED');
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    expectError(await s.api('POST', '/counters/w1/resume', s.t.clerk1), 409, 'COUNTER_NOT_PAUSED');
    const paused = await s.api('POST', '/counters/w1/pause', s.t.clerk1);
    expect(paused.status).toBe(200);
    expect(paused.json.counter.state).toBe('paused');
    expectError(await s.api('POST', '/counters/w1/pause', s.t.clerk1), 409, 'COUNTER_NOT_OPEN');
    expect((await counter('w1')).state).toBe('paused');
    const resumed = await s.api('POST', '/counters/w1/resume', s.t.clerk1);
    expect(resumed.json.counter.state).toBe('open');
  });

  it('C7 a paused counter calls no one (409 COUNTER_NOT_OPEN) but finishes what it holds', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    await issue('gen-a', 'a');
    await issue('gen-a', 'b');
    await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    await s.api('POST', '/counters/w1/pause', s.t.clerk1);
    expectError(await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {}), 409, 'COUNTER_NOT_OPEN');
    expect((await s.api('POST', '/counters/w1/recall', s.t.clerk1)).status).toBe(200);
    expect((await s.api('POST', '/counters/w1/start', s.t.clerk1)).json.ticket.status).toBe('serving');
    expect((await s.api('POST', '/counters/w1/finish', s.t.clerk1)).json.ticket.status).toBe('done');
  });
});

describe('the ticket at a counter', () => {
  it('T1 call-next answers 200 {ticket} now called; 204 with no body when nobody waits; finishes the held ticket first', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    const empty = await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    expect(empty.status).toBe(204);
    expect(empty.text).toBe('');
    const a = await issue('gen-a', 'a');
    const b = await issue('gen-b', 'b');
    await issue('consult', 'c'); // w1 does not serve it
    const first = await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    expect(first.status).toBe(200);
    expect(first.json.ticket).toMatchObject({ id: a.id, number: 'A001', status: 'called', counterId: 'w1' });
    expect(first.json.ticket.calledAt).toMatch(ISO_SHANGHAI);
    expect((await counter('w1')).currentTicketId).toBe(a.id);
    // no body at all is fine too
    const second = await s.api('POST', '/counters/w1/call-next', s.t.clerk1);
    expect(second.json.ticket).toMatchObject({ id: b.id, number: 'A002', status: 'called' });
    expect((await s.api('GET', `/tickets/${a.id}`, s.t.clerk1)).json.ticket.status).toBe('done');
    const none = await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    expect(none.status).toBe(204);
    expect((await s.api('GET', `/tickets/${b.id}`, s.t.clerk1)).json.ticket.status).toBe('done');
    expect((await counter('w1')).currentTicketId).toBeNull();
  });

  it('I7 call-next with a requestId: a retry answers the same ticket and calls no other; the key with another counter 409', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.keypad1);
    const a = await issue('gen-a', 'a');
    const b = await issue('gen-a', 'b');
    const first = await s.api('POST', '/counters/w1/call-next', s.t.keypad1, { requestId: 'press-1' });
    expect(first.json.ticket.id).toBe(a.id);
    const retry = await s.api('POST', '/counters/w1/call-next', s.t.keypad1, { requestId: 'press-1' });
    expect(retry.status).toBe(200);
    expect(retry.json.ticket.id).toBe(a.id);
    expect(retry.json.ticket.status).toBe('called');
    expect((await s.api('GET', `/tickets/${b.id}`, s.t.keypad1)).json.ticket.status).toBe('waiting');
    // a new key calls the next one
    const next = await s.api('POST', '/counters/w1/call-next', s.t.keypad1, { requestId: 'press-2' });
    expect(next.json.ticket.id).toBe(b.id);
    // a 204 is remembered too
    expect((await s.api('POST', '/counters/w1/call-next', s.t.keypad1, { requestId: 'press-3' })).status).toBe(204);
    await issue('gen-a', 'c');
    expect((await s.api('POST', '/counters/w1/call-next', s.t.keypad1, { requestId: 'press-3' })).status).toBe(204);
    // the same key for another counter, by the same caller
    await s.api('POST', '/counters/w2/open', s.t.manager);
    await s.api('POST', '/counters/w1/call-next', s.t.manager, { requestId: 'm-1' });
    expectError(await s.api('POST', '/counters/w2/call-next', s.t.manager, { requestId: 'm-1' }), 409, 'REQUEST_ID_REUSED');
  });

  it('V3 two counters calling at once for one waiting ticket: one gets it, the other 204', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    await s.api('POST', '/counters/w2/open', s.t.manager);
    const a = await issue('gen-a', 'only');
    const [r1, r2] = await Promise.all([
      s.api('POST', '/counters/w1/call-next', s.t.clerk1, {}),
      s.api('POST', '/counters/w2/call-next', s.t.manager, {}),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([200, 204]);
    const winner = r1.status === 200 ? r1 : r2;
    expect(winner.json.ticket.id).toBe(a.id);
    const counters = (await s.api('GET', '/hall', s.t.hallDisplay)).json.counters as { currentTicketId: string | null }[];
    expect(counters.filter((c) => c.currentTicketId === a.id)).toHaveLength(1);
  });

  it('T2 recall: the called ticket is announced again (recallCount + 1); serving 409; none 409 NO_CURRENT_TICKET', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    expectError(await s.api('POST', '/counters/w1/recall', s.t.clerk1), 409, 'NO_CURRENT_TICKET');
    const a = await issue('gen-a', 'a');
    await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    const r1 = await s.api('POST', '/counters/w1/recall', s.t.clerk1);
    expect(r1.status).toBe(200);
    expect(r1.json.ticket).toMatchObject({ id: a.id, status: 'called', recallCount: 1 });
    expect((await s.api('POST', '/counters/w1/recall', s.t.keypad1)).json.ticket.recallCount).toBe(2);
    await s.api('POST', '/counters/w1/start', s.t.clerk1);
    expectError(await s.api('POST', '/counters/w1/recall', s.t.clerk1), 409, 'TICKET_ALREADY_SERVING');
  });

  it('T3 T4 start: called → serving (again 409); finish: serving → done, and called → done', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    expectError(await s.api('POST', '/counters/w1/start', s.t.clerk1), 409, 'NO_CURRENT_TICKET');
    expectError(await s.api('POST', '/counters/w1/finish', s.t.clerk1), 409, 'NO_CURRENT_TICKET');
    const a = await issue('gen-a', 'a');
    const b = await issue('gen-a', 'b');
    await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    s.clock.advance(60_000);
    const started = await s.api('POST', '/counters/w1/start', s.t.clerk1);
    expect(started.status).toBe(200);
    expect(started.json.ticket).toMatchObject({ id: a.id, status: 'serving', startedAt: '2026-11-30T09:01:00.000+08:00' });
    expectError(await s.api('POST', '/counters/w1/start', s.t.clerk1), 409, 'TICKET_ALREADY_SERVING');
    s.clock.advance(5 * 60_000);
    const done = await s.api('POST', '/counters/w1/finish', s.t.clerk1);
    expect(done.json.ticket).toMatchObject({ id: a.id, status: 'done', finishedAt: '2026-11-30T09:06:00.000+08:00' });
    expect((await counter('w1')).currentTicketId).toBeNull();
    await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    expect((await s.api('POST', '/counters/w1/finish', s.t.clerk1)).json.ticket).toMatchObject({ id: b.id, status: 'done' });
    expectError(await s.api('POST', '/counters/w1/finish', s.t.clerk1), 409, 'NO_CURRENT_TICKET');
  });

  it('T5 no-show: called → no_show and the counter is free; serving 409 TICKET_ALREADY_SERVING', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    const a = await issue('gen-a', 'a');
    await issue('gen-a', 'b');
    await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    const ns = await s.api('POST', '/counters/w1/no-show', s.t.clerk1);
    expect(ns.status).toBe(200);
    expect(ns.json.ticket).toMatchObject({ id: a.id, status: 'no_show' });
    expect((await counter('w1')).currentTicketId).toBeNull();
    expectError(await s.api('POST', '/counters/w1/no-show', s.t.clerk1), 409, 'NO_CURRENT_TICKET');
    await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    await s.api('POST', '/counters/w1/start', s.t.clerk1);
    expectError(await s.api('POST', '/counters/w1/no-show', s.t.clerk1), 409, 'TICKET_ALREADY_SERVING');
  });

  it('T7 transfer {serviceId}: the ticket waits again for that service, keeping its number and its place by issue time', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    await s.api('POST', '/counters/w3/open', s.t.clerk3);
    const a = await issue('gen-a', 'a');
    s.clock.advance(60_000);
    await issue('consult', 'c1');
    await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    await s.api('POST', '/counters/w1/start', s.t.clerk1);
    const moved = await s.api('POST', '/counters/w1/transfer', s.t.clerk1, { serviceId: 'consult' });
    expect(moved.status).toBe(200);
    expect(moved.json.ticket).toMatchObject({
      id: a.id,
      number: 'A001',
      serviceId: 'consult',
      status: 'waiting',
      counterId: null,
      targetCounterId: null,
      transferCount: 1,
      peopleAhead: 0,
    });
    expect((await counter('w1')).currentTicketId).toBeNull();
    // w5 serves consult: it calls A001 before J001, which was issued later
    await s.api('POST', '/counters/w5/open', s.t.clerk5);
    expect((await s.api('POST', '/counters/w5/call-next', s.t.clerk5, {})).json.ticket.number).toBe('A001');
    expect((await s.api('POST', '/counters/w5/call-next', s.t.clerk5, {})).json.ticket.number).toBe('J001');
  });

  it('T7 transfer {counterId}: only that counter may call it; both or neither 400; to itself 422; unknown target 404', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    await s.api('POST', '/counters/w3/open', s.t.clerk3);
    const a = await issue('gen-a', 'a');
    await s.api('POST', '/counters/w1/call-next', s.t.clerk1, {});
    for (const body of [{ serviceId: 'gen-b', counterId: 'w2' }, {}, { serviceId: 5 }, { counterId: 'w2', extra: true }])
      expectError(await s.api('POST', '/counters/w1/transfer', s.t.clerk1, body), 400, 'INVALID_REQUEST');
    expectError(await s.api('POST', '/counters/w1/transfer', s.t.clerk1, { serviceId: 'gen-a' }), 422, 'TRANSFER_TO_SELF');
    expectError(await s.api('POST', '/counters/w1/transfer', s.t.clerk1, { counterId: 'w1' }), 422, 'TRANSFER_TO_SELF');
    expectError(await s.api('POST', '/counters/w1/transfer', s.t.clerk1, { serviceId: 'nope' }), 404, 'NOT_FOUND');
    expectError(await s.api('POST', '/counters/w1/transfer', s.t.clerk1, { counterId: 'w9' }), 404, 'NOT_FOUND');
    // still held after the refusals
    expect((await counter('w1')).currentTicketId).toBe(a.id);
    const moved = await s.api('POST', '/counters/w1/transfer', s.t.clerk1, { counterId: 'w2' });
    expect(moved.status).toBe(200);
    expect(moved.json.ticket).toMatchObject({
      id: a.id,
      number: 'A001',
      status: 'waiting',
      targetCounterId: 'w2',
      serviceId: 'gen-a',
    });
    // w3 serves gen-a but may not call a ticket sent to w2
    expect((await s.api('POST', '/counters/w3/call-next', s.t.clerk3, {})).status).toBe(204);
    await s.api('POST', '/counters/w2/open', s.t.clerk2);
    expect((await s.api('POST', '/counters/w2/call-next', s.t.clerk2, {})).json.ticket).toMatchObject({
      id: a.id,
      counterId: 'w2',
    });
    expectError(await s.api('POST', '/counters/w1/transfer', s.t.clerk1, { counterId: 'w2' }), 409, 'NO_CURRENT_TICKET');
  });
});

describe('evaluations', () => {
  const served = async (requestId: string, counterId = 'w1', token = s.t.keypad1) => {
    const t = await issue('gen-a', requestId);
    const called = await s.api('POST', `/counters/${counterId}/call-next`, token, {});
    expect(called.json.ticket.id).toBe(t.id);
    expect((await s.api('POST', `/counters/${counterId}/finish`, token)).json.ticket.status).toBe('done');
    return t;
  };

  it('E1 E2 the pad of the counter rates a done ticket: 201 {evaluation}; a second rating 409 ALREADY_EVALUATED', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.clerk1);
    const t = await served('a', 'w1', s.t.clerk1);
    const r = await s.api('POST', '/evaluations', s.t.pad1, { ticketId: t.id, level: 'very_satisfied', comment: '办事很快' });
    expect(r.status, r.text).toBe(201);
    expect(r.json.evaluation).toMatchObject({
      id: expect.any(String),
      ticketId: t.id,
      counterId: 'w1',
      level: 'very_satisfied',
      reasons: [],
      comment: '办事很快',
    });
    expect(r.json.evaluation.clerkId).toEqual(expect.any(String));
    expect(r.json.evaluation.createdAt).toMatch(ISO_SHANGHAI);
    expectError(await s.api('POST', '/evaluations', s.t.pad1, { ticketId: t.id, level: 'satisfied' }), 409, 'ALREADY_EVALUATED');
    expectError(
      await s.api('POST', '/evaluations', s.t.clerk1, { ticketId: t.id, level: 'satisfied' }),
      409,
      'ALREADY_EVALUATED',
    );
  });

  it('E1 a ticket not done cannot be rated: 409 TICKET_NOT_DONE (waiting, called, serving, no-show, cancelled)', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.keypad1);
    const waiting = await issue('gen-a', 'w');
    expectError(
      await s.api('POST', '/evaluations', s.t.pad1, { ticketId: waiting.id, level: 'satisfied' }),
      409,
      'TICKET_NOT_DONE',
    );
    await s.api('POST', '/counters/w1/call-next', s.t.keypad1, {});
    expectError(
      await s.api('POST', '/evaluations', s.t.pad1, { ticketId: waiting.id, level: 'satisfied' }),
      409,
      'TICKET_NOT_DONE',
    );
    await s.api('POST', '/counters/w1/start', s.t.keypad1);
    expectError(
      await s.api('POST', '/evaluations', s.t.pad1, { ticketId: waiting.id, level: 'satisfied' }),
      409,
      'TICKET_NOT_DONE',
    );
    await s.api('POST', '/counters/w1/finish', s.t.keypad1);
    const gone = await issue('gen-a', 'n');
    await s.api('POST', '/counters/w1/call-next', s.t.keypad1, {});
    await s.api('POST', '/counters/w1/no-show', s.t.keypad1);
    expectError(await s.api('POST', '/evaluations', s.t.pad1, { ticketId: gone.id, level: 'satisfied' }), 409, 'TICKET_NOT_DONE');
    expectError(await s.api('POST', '/evaluations', s.t.pad1, { ticketId: 'tk_nope', level: 'satisfied' }), 404, 'NOT_FOUND');
  });

  it('E3 dissatisfied and very_dissatisfied need a reason: 422 REASON_REQUIRED; with one, 201', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.keypad1);
    const t = await served('a');
    for (const level of ['dissatisfied', 'very_dissatisfied']) {
      expectError(await s.api('POST', '/evaluations', s.t.pad1, { ticketId: t.id, level }), 422, 'REASON_REQUIRED');
      expectError(await s.api('POST', '/evaluations', s.t.pad1, { ticketId: t.id, level, reasons: [] }), 422, 'REASON_REQUIRED');
    }
    expectError(
      await s.api('POST', '/evaluations', s.t.pad1, { ticketId: t.id, level: 'dissatisfied', reasons: [''] }),
      400,
      'INVALID_REQUEST',
    );
    expectError(await s.api('POST', '/evaluations', s.t.pad1, { ticketId: t.id, level: 'meh' }), 400, 'INVALID_REQUEST');
    const ok = await s.api('POST', '/evaluations', s.t.pad1, { ticketId: t.id, level: 'very_dissatisfied', reasons: ['效率低'] });
    expect(ok.status).toBe(201);
    expect(ok.json.evaluation).toMatchObject({ level: 'very_dissatisfied', reasons: ['效率低'], comment: null });
  });

  it('E4 another counter’s pad gets 403; the clerk of the counter may rate; a manager, a kiosk or a keypad may not', async () => {
    s = await hallServer();
    await s.api('POST', '/counters/w1/open', s.t.keypad1);
    const t = await served('a');
    for (const token of [
      s.t.pad2,
      s.t.clerk3,
      s.t.manager,
      s.t.admin,
      s.t.kiosk,
      s.t.keypad1,
      s.t.hallDisplay,
      s.t.counterDisplay1,
    ])
      expectError(await s.api('POST', '/evaluations', token, { ticketId: t.id, level: 'satisfied' }), 403, 'FORBIDDEN');
    // clerk2 is assigned to w1 (AB岗) as well as w2
    const r = await s.api('POST', '/evaluations', s.t.clerk2, { ticketId: t.id, level: 'basic' });
    expect(r.status).toBe(201);
    // a ticket served at w2 is not for w1's pad
    await s.api('POST', '/counters/w2/open', s.t.manager);
    const t2 = await served('b', 'w2', s.t.manager);
    expectError(await s.api('POST', '/evaluations', s.t.pad1, { ticketId: t2.id, level: 'satisfied' }), 403, 'FORBIDDEN');
    expect((await s.api('POST', '/evaluations', s.t.pad2, { ticketId: t2.id, level: 'satisfied' })).status).toBe(201);
  });
});
