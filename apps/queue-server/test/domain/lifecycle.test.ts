import { describe, expect, it } from 'vitest';
import { codeOf, MIN, World } from './harness.js';

/** A hall with w1 open and gen-a tickets A001…A00n waiting. */
function hall(n = 2) {
  const w = new World();
  w.open('w1');
  const tickets = Array.from({ length: n }, () => w.take('gen-a'));
  return { w, tickets };
}

describe('T1 call-next', () => {
  it('T1 calls the next ticket at an open counter: called, at this counter, at this time', () => {
    const { w, tickets } = hall();
    w.advance(3);
    const t = w.call('w1');
    expect(t.id).toBe(tickets[0]?.id);
    expect(w.ticket(t.id)).toMatchObject({ status: 'called', counterId: 'w1', calledAt: w.now, recallCount: 0 });
    expect(w.counter('w1').currentTicketId).toBe(t.id);
    expect(w.state.waiting.has(t.id)).toBe(false);
  });

  it('T1 a closed or paused counter is COUNTER_NOT_OPEN and nothing changes', () => {
    const w = new World();
    const t = w.take('gen-a');
    expect(codeOf(w.callNext('w2'))).toBe('COUNTER_NOT_OPEN');
    w.open('w2');
    w.pause('w2');
    expect(codeOf(w.callNext('w2'))).toBe('COUNTER_NOT_OPEN');
    expect(w.ticket(t.id).status).toBe('waiting');
  });

  it('T1 an unknown counter is NOT_FOUND', () => {
    const w = new World();
    expect(codeOf(w.callNext('w99'))).toBe('NOT_FOUND');
  });

  it('T1 nobody waiting: the answer is null (204) and the counter holds nothing', () => {
    const w = new World();
    w.open('w1');
    const o = w.callNext('w1');
    expect(o.ok && o.value).toBeNull();
    expect(w.counter('w1').currentTicketId).toBeNull();
  });

  it('T1 a counter still holding a called ticket finishes it first, then calls the next', () => {
    const { w, tickets } = hall();
    const [a, b] = tickets;
    w.call('w1');
    w.advance(4);
    expect(w.call('w1').id).toBe(b?.id);
    expect(w.ticket(a?.id as string)).toMatchObject({ status: 'done', finishedAt: w.now, counterId: 'w1' });
  });

  it('T1 a counter still holding a serving ticket finishes it first, even when nobody else waits', () => {
    const { w, tickets } = hall(1);
    w.call('w1');
    w.ok(w.start('w1'));
    const o = w.callNext('w1');
    expect(o.ok && o.value).toBeNull();
    expect(w.ticket(tickets[0]?.id as string).status).toBe('done');
    expect(w.counter('w1').currentTicketId).toBeNull();
  });
});

describe('T2–T5 the current ticket', () => {
  it('T2 recall announces a called ticket again: recallCount + 1 each time', () => {
    const { w } = hall();
    const t = w.call('w1');
    expect(w.ok(w.recall('w1')).recallCount).toBe(1);
    expect(w.ok(w.recall('w1')).recallCount).toBe(2);
    expect(w.ticket(t.id)).toMatchObject({ status: 'called', recallCount: 2, counterId: 'w1' });
  });

  it('T2 recall of a serving ticket is TICKET_ALREADY_SERVING', () => {
    const { w } = hall();
    w.call('w1');
    w.ok(w.start('w1'));
    expect(codeOf(w.recall('w1'))).toBe('TICKET_ALREADY_SERVING');
  });

  it('T3 start: called → serving at this time; again: TICKET_ALREADY_SERVING', () => {
    const { w } = hall();
    const t = w.call('w1');
    w.advance(2);
    expect(w.ok(w.start('w1'))).toMatchObject({ id: t.id, status: 'serving', startedAt: w.now });
    expect(codeOf(w.start('w1'))).toBe('TICKET_ALREADY_SERVING');
  });

  it('T4 finish: called → done and serving → done; the counter is free; the clerk on duty is named', () => {
    const w = new World();
    w.open('w1', { kind: 'user', id: 'clerk1', clerkId: 'clerk1' });
    w.take('gen-a');
    w.take('gen-a');
    const a = w.call('w1');
    expect(w.ok(w.finish('w1'))).toMatchObject({ id: a.id, status: 'done', finishedAt: w.now, clerkId: 'clerk1' });
    expect(w.counter('w1').currentTicketId).toBeNull();
    const b = w.call('w1');
    w.ok(w.start('w1'));
    w.advance(7);
    expect(w.ok(w.finish('w1'))).toMatchObject({ id: b.id, status: 'done', finishedAt: w.now });
    expect(codeOf(w.finish('w1'))).toBe('NO_CURRENT_TICKET');
  });

  it('T4 the finished service time feeds the mean of its service (W3)', () => {
    const { w } = hall();
    w.call('w1');
    w.advance(2);
    w.ok(w.start('w1'));
    w.advance(11);
    w.ok(w.finish('w1'));
    expect(w.state.durations.get('gen-a')).toEqual([11 * MIN]);
  });

  it('T5 no-show: called → no_show; the counter is free', () => {
    const { w } = hall();
    const t = w.call('w1');
    expect(w.ok(w.noShow('w1'))).toMatchObject({ id: t.id, status: 'no_show' });
    expect(w.counter('w1').currentTicketId).toBeNull();
    expect(w.state.waiting.has(t.id)).toBe(false);
  });

  it('T5 no-show of a serving ticket is TICKET_ALREADY_SERVING', () => {
    const { w } = hall();
    w.call('w1');
    w.ok(w.start('w1'));
    expect(codeOf(w.noShow('w1'))).toBe('TICKET_ALREADY_SERVING');
    expect(w.counter('w1').currentTicketId).not.toBeNull();
  });
});

describe('T6 counter actions need a current ticket and a counter that is not closed', () => {
  const actions = ['recall', 'start', 'finish', 'noShow', 'transfer'] as const;
  const act = (w: World, a: (typeof actions)[number], counterId: string) =>
    a === 'transfer' ? w.transfer(counterId, { serviceId: 'consult' }) : w[a](counterId);

  it.each(actions)('T6 %s at an open counter without a current ticket is NO_CURRENT_TICKET', (a) => {
    const w = new World();
    w.take('gen-a');
    w.open('w1');
    expect(codeOf(act(w, a, 'w1'))).toBe('NO_CURRENT_TICKET');
  });

  it.each(actions)('T6 %s at a paused counter without a current ticket is NO_CURRENT_TICKET', (a) => {
    const w = new World();
    w.open('w1');
    w.pause('w1');
    expect(codeOf(act(w, a, 'w1'))).toBe('NO_CURRENT_TICKET');
  });

  it.each(actions)('T6 %s at a closed counter is COUNTER_NOT_OPEN', (a) => {
    const w = new World();
    w.take('gen-a');
    expect(codeOf(act(w, a, 'w1'))).toBe('COUNTER_NOT_OPEN');
  });

  it.each(actions)('T6 %s at an unknown counter is NOT_FOUND', (a) => {
    const w = new World();
    expect(codeOf(act(w, a, 'w99'))).toBe('NOT_FOUND');
  });
});

describe('T7 transfer', () => {
  it('T7 a called or serving ticket waits again for another service, keeping its number; the counter is free', () => {
    const { w, tickets } = hall(1);
    w.call('w1');
    w.ok(w.start('w1'));
    const moved = w.ok(w.transfer('w1', { serviceId: 'consult' }));
    expect(moved).toMatchObject({
      id: tickets[0]?.id,
      number: 'A001',
      status: 'waiting',
      serviceId: 'consult',
      issuedServiceId: 'gen-a',
      targetCounterId: null,
      counterId: null,
      calledAt: null,
      startedAt: null,
      transferCount: 1,
    });
    expect(w.counter('w1').currentTicketId).toBeNull();
    expect(w.state.waiting.has(moved.id)).toBe(true);
  });

  it('T7 to one counter: waits for that counter only, for the same service', () => {
    const { w } = hall(1);
    w.call('w1');
    const moved = w.ok(w.transfer('w1', { counterId: 'w4' }));
    expect(moved).toMatchObject({ status: 'waiting', serviceId: 'gen-a', targetCounterId: 'w4', transferCount: 1 });
  });

  it('T7 to its own service or its own counter: TRANSFER_TO_SELF', () => {
    const { w } = hall(1);
    w.call('w1');
    expect(codeOf(w.transfer('w1', { serviceId: 'gen-a' }))).toBe('TRANSFER_TO_SELF');
    expect(codeOf(w.transfer('w1', { counterId: 'w1' }))).toBe('TRANSFER_TO_SELF');
    expect(w.counter('w1').currentTicketId).not.toBeNull();
  });

  it('T7 to an unknown service or counter: NOT_FOUND', () => {
    const { w } = hall(1);
    w.call('w1');
    expect(codeOf(w.transfer('w1', { serviceId: 'nope' }))).toBe('NOT_FOUND');
    expect(codeOf(w.transfer('w1', { counterId: 'w99' }))).toBe('NOT_FOUND');
  });

  it('T7 a ticket transferred twice counts both; its place stays by its original issue time', () => {
    const w = new World();
    w.open('w1');
    w.open('w5');
    const a = w.take('gen-a');
    w.advance(5);
    const j = w.take('consult');
    w.call('w1');
    w.ok(w.transfer('w1', { serviceId: 'consult' }));
    expect(w.call('w5').id).toBe(a.id);
    const back = w.ok(w.transfer('w5', { serviceId: 'gen-a' }));
    expect(back).toMatchObject({ transferCount: 2, serviceId: 'gen-a', rankAt: a.issuedAt });
    expect(w.call('w5').id).toBe(j.id);
  });

  it('T7 a ticket a counter held across midnight cannot be transferred into a day it was not issued for: TICKET_EXPIRED', () => {
    const w = new World({ enforceHours: false });
    w.open('w1');
    const t = w.take('gen-a');
    w.call('w1');
    w.rollTo('2026-12-01T09:00:00+08:00');
    expect(codeOf(w.transfer('w1', { serviceId: 'consult' }))).toBe('TICKET_EXPIRED');
    expect(w.ticket(t.id).status).toBe('called');
    // the counter can still finish it (N4)
    expect(w.ok(w.finish('w1')).status).toBe('done');
  });
});

describe('T8 cancel', () => {
  it('T8 a waiting ticket is cancelled and leaves the queue', () => {
    const { w, tickets } = hall(1);
    const id = tickets[0]?.id as string;
    expect(w.ok(w.cancel(id))).toMatchObject({ status: 'cancelled', finishedAt: w.now });
    expect(w.state.waiting.has(id)).toBe(false);
    expect(w.ok(w.callNext('w1'))).toBeNull();
  });

  it('T8 a called ticket is cancelled and leaves its counter', () => {
    const { w } = hall(1);
    const t = w.call('w1');
    expect(w.ok(w.cancel(t.id)).status).toBe('cancelled');
    expect(w.counter('w1').currentTicketId).toBeNull();
    expect(codeOf(w.recall('w1'))).toBe('NO_CURRENT_TICKET');
  });

  it('T8 a serving ticket: TICKET_ALREADY_SERVING; a finished one: TICKET_CLOSED', () => {
    const { w } = hall(3);
    w.call('w1');
    w.ok(w.start('w1'));
    const serving = w.counter('w1').currentTicketId as string;
    expect(codeOf(w.cancel(serving))).toBe('TICKET_ALREADY_SERVING');
    w.ok(w.finish('w1'));
    expect(codeOf(w.cancel(serving))).toBe('TICKET_CLOSED');
    const ns = w.call('w1');
    w.ok(w.noShow('w1'));
    expect(codeOf(w.cancel(ns.id))).toBe('TICKET_CLOSED');
    const c = w.call('w1');
    w.ok(w.cancel(c.id));
    expect(codeOf(w.cancel(c.id))).toBe('TICKET_CLOSED');
  });
});

describe('T9 reactivate', () => {
  it('T9 a no-show of today waits again; anything else is TICKET_NOT_NO_SHOW', () => {
    const { w, tickets } = hall(2);
    const t = w.call('w1');
    expect(codeOf(w.reactivate(t.id))).toBe('TICKET_NOT_NO_SHOW');
    expect(codeOf(w.reactivate(tickets[1]?.id as string))).toBe('TICKET_NOT_NO_SHOW');
    w.ok(w.noShow('w1'));
    expect(w.ok(w.reactivate(t.id)).status).toBe('waiting');
    expect(w.state.waiting.has(t.id)).toBe(true);
  });

  it('T9 a no-show of an earlier day is TICKET_EXPIRED', () => {
    const w = new World({ enforceHours: false });
    w.open('w1');
    const t = w.take('gen-a');
    w.call('w1');
    const noShow = w.ok(w.noShow('w1'));
    w.rollTo('2026-12-01T09:00:00+08:00');
    expect(w.state.tickets.has(t.id)).toBe(false);
    expect(codeOf(w.reactivate(noShow))).toBe('TICKET_EXPIRED');
    expect(w.state.waiting.size).toBe(0);
  });

  it('T9 a no-show held across midnight by its counter, then marked, is TICKET_EXPIRED too', () => {
    const w = new World({ enforceHours: false });
    w.open('w1');
    const t = w.take('gen-a');
    w.call('w1');
    w.rollTo('2026-12-01T09:00:00+08:00');
    w.ok(w.noShow('w1'));
    expect(codeOf(w.reactivate(t.id))).toBe('TICKET_EXPIRED');
  });
});

describe('T11 closed tickets', () => {
  it('T11 a done, cancelled or no-show ticket is never called again, and its counter holds nothing', () => {
    const { w, tickets } = hall(3);
    w.call('w1');
    w.ok(w.finish('w1'));
    w.call('w1');
    w.ok(w.noShow('w1'));
    w.ok(w.cancel(tickets[2]?.id as string));
    w.open('w2');
    expect(w.ok(w.callNext('w1'))).toBeNull();
    expect(w.ok(w.callNext('w2'))).toBeNull();
    expect(tickets.map((t) => w.ticket(t.id).status)).toEqual(['done', 'no_show', 'cancelled']);
  });
});
