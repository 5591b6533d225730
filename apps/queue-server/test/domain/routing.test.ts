import type { Priority } from '@yimen/shared';
import { ROUTING_POLICIES } from '@yimen/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { estimateWait } from '../../src/domain/estimate.js';
import type { TicketRecord } from '../../src/domain/model.js';
import { effectiveTime, POLICIES, serviceOrder } from '../../src/domain/routing.js';
import { codeOf, MIN, World, withCounter, withSettings } from './harness.js';

/** Calls at a counter until nobody is left; the numbers in call order. */
function drain(w: World, counterId: string): string[] {
  const out: string[] = [];
  for (;;) {
    const t = w.ok(w.callNext(counterId));
    if (t === null) return out;
    out.push(t.number);
  }
}

/** Issues a ticket at a given minute after 09:00 (the clock only moves forward in these tests). */
function issueAt(w: World, minute: number, serviceId: string, priority: Priority = 'none'): TicketRecord {
  w.at(`2026-11-30T09:00:00+08:00`).advance(minute);
  return w.take(serviceId, priority);
}

describe('R1 who may call what', () => {
  it('R1 a counter calls only tickets of the services it serves', () => {
    const w = new World();
    w.take('gen-a');
    w.take('consult');
    w.open('w4');
    expect(w.ok(w.callNext('w4'))).toBeNull();
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['A001']);
    w.open('w5');
    expect(drain(w, 'w5')).toEqual(['J001']);
  });

  it('R1 a ticket transferred to one counter is called by that counter only, even by a counter that does not serve it', () => {
    const w = new World();
    for (const c of ['w1', 'w2', 'w3', 'w5']) w.open(c);
    const t = w.take('gen-a');
    w.call('w1');
    w.ok(w.transfer('w1', { counterId: 'w5' }));
    expect(w.ticket(t.id)).toMatchObject({ status: 'waiting', targetCounterId: 'w5', serviceId: 'gen-a' });
    expect(w.ok(w.callNext('w1'))).toBeNull();
    expect(w.ok(w.callNext('w2'))).toBeNull();
    expect(w.ok(w.callNext('w3'))).toBeNull();
    expect(w.call('w5').id).toBe(t.id);
  });
});

describe('R2 effective time: priority head start, nobody starves', () => {
  it.each<Priority>(['elderly', 'disabled', 'military', 'appointment'])(
    'R2 a %s ticket issued 10 min after an ordinary one is called first (head start 15)',
    (priority) => {
      const w = new World();
      issueAt(w, 0, 'gen-a');
      issueAt(w, 10, 'gen-a', priority);
      w.open('w1');
      expect(drain(w, 'w1')).toEqual(['A002', 'A001']);
    },
  );

  it('R2 a priority ticket issued 20 min after an ordinary one is not called first: nobody starves', () => {
    const w = new World();
    issueAt(w, 0, 'gen-a');
    issueAt(w, 20, 'gen-a', 'elderly');
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['A001', 'A002']);
  });

  it('R2 a priority ticket issued exactly the head start later ties on effective time; issue order decides', () => {
    const w = new World();
    issueAt(w, 0, 'gen-a');
    issueAt(w, 15, 'gen-a', 'disabled');
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['A001', 'A002']);
  });

  it('R2 a stream of priority tickets passes an ordinary one only within the head start', () => {
    // effective times: P1 08:50, P2 08:55, O1 09:00, P3 09:01, O2 09:02, P4 09:05, O3 09:06
    const w = new World();
    issueAt(w, 0, 'gen-a'); // A001 O1
    issueAt(w, 2, 'gen-b'); // A002 O2
    issueAt(w, 5, 'gen-a', 'elderly'); // A003 P1
    issueAt(w, 6, 'gen-a'); // A004 O3
    issueAt(w, 10, 'gen-b', 'military'); // A005 P2
    issueAt(w, 16, 'gen-a', 'appointment'); // A006 P3
    issueAt(w, 20, 'gen-b', 'elderly'); // A007 P4
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['A003', 'A005', 'A001', 'A006', 'A002', 'A007', 'A004']);
  });

  it('R2 the head start is a hall setting: 0 is first come, first served; 30 lets a ticket 20 min later pass', () => {
    const fifo = new World({ edit: withSettings({ priorityHeadStartMinutes: 0 }) });
    issueAt(fifo, 0, 'gen-a');
    issueAt(fifo, 1, 'gen-a', 'elderly');
    fifo.open('w1');
    expect(drain(fifo, 'w1')).toEqual(['A001', 'A002']);
    const generous = new World({ edit: withSettings({ priorityHeadStartMinutes: 30 }) });
    issueAt(generous, 0, 'gen-a');
    issueAt(generous, 20, 'gen-a', 'elderly');
    generous.open('w1');
    expect(drain(generous, 'w1')).toEqual(['A002', 'A001']);
  });

  it('R2 property: the call order is by (issue time − head start if priority, issue order); no ordinary ticket is passed by a priority one issued more than 15 min after it', () => {
    const arrival = fc.record({
      gapSeconds: fc.integer({ min: 0, max: 20 * 60 }),
      priority: fc.constantFrom<Priority>('none', 'none', 'elderly', 'disabled', 'military', 'appointment'),
      service: fc.constantFrom('gen-a', 'gen-b'),
    });
    fc.assert(
      fc.property(fc.array(arrival, { minLength: 1, maxLength: 30 }), (arrivals) => {
        const w = new World({ enforceHours: false });
        const issued: TicketRecord[] = [];
        for (const a of arrivals) {
          w.now += a.gapSeconds * 1000;
          issued.push(w.take(a.service, a.priority));
        }
        w.open('w1');
        const order: string[] = [];
        for (let t = w.ok(w.callNext('w1')); t !== null; t = w.ok(w.callNext('w1'))) order.push(t.id);
        const effective = (t: TicketRecord) => t.issuedAt - (t.priority === 'none' ? 0 : 15 * MIN);
        const expected = issued
          .map((t, i) => ({ t, i }))
          .sort((x, y) => effective(x.t) - effective(y.t) || x.i - y.i)
          .map((x) => x.t.id);
        expect(order).toEqual(expected);
        const pos = new Map(order.map((id, i) => [id, i]));
        for (const a of issued)
          for (const b of issued)
            if (a.priority === 'none' && b.priority !== 'none' && b.issuedAt - a.issuedAt > 15 * MIN)
              expect(pos.get(a.id)).toBeLessThan(pos.get(b.id) as number);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('R3 service order', () => {
  it('R3 w3 (gen-b, gen-a, consult) serves its first service with anyone waiting, whatever the times; w1 goes by time', () => {
    const make = () => {
      const w = new World();
      issueAt(w, 0, 'consult'); // J001
      issueAt(w, 1, 'gen-a'); // A001
      issueAt(w, 2, 'gen-b'); // A002
      issueAt(w, 3, 'gen-a'); // A003
      issueAt(w, 4, 'gen-b'); // A004
      return w;
    };
    const w3 = make();
    w3.open('w3');
    expect(drain(w3, 'w3')).toEqual(['A002', 'A004', 'A001', 'A003', 'J001']);
    const w1 = make();
    w1.open('w1');
    expect(drain(w1, 'w1')).toEqual(['A001', 'A002', 'A003', 'A004']);
  });

  it('R3 within one service the R2 key decides (head start included)', () => {
    const w = new World();
    issueAt(w, 0, 'gen-b'); // A001
    issueAt(w, 5, 'gen-b', 'elderly'); // A002, effective 08:50
    issueAt(w, 6, 'gen-a', 'elderly'); // A003
    w.open('w3');
    expect(drain(w, 'w3')).toEqual(['A002', 'A001', 'A003']);
  });

  it('R3 tickets transferred to this very counter come first', () => {
    const w = new World();
    w.open('w5');
    w.open('w3');
    issueAt(w, 0, 'gen-b'); // A001
    issueAt(w, 1, 'gen-b'); // A002
    const j = issueAt(w, 2, 'consult'); // J001
    expect(w.call('w5').id).toBe(j.id);
    w.ok(w.transfer('w5', { counterId: 'w3' }));
    expect(drain(w, 'w3')).toEqual(['J001', 'A001', 'A002']);
  });

  it('R3 an effective-time counter does not put tickets transferred to it first', () => {
    const w = new World();
    w.open('w1');
    w.open('w2');
    issueAt(w, 0, 'gen-a'); // A001
    issueAt(w, 1, 'gen-a'); // A002
    issueAt(w, 2, 'gen-a'); // A003
    expect(w.call('w1').number).toBe('A001');
    w.ok(w.transfer('w1', { counterId: 'w2' }));
    expect(w.call('w1').number).toBe('A002');
    // at w2: A001 (09:00, transferred to it) before A003 (09:02) because it is older, not because it was transferred
    expect(drain(w, 'w2')).toEqual(['A001', 'A003']);
  });
});

describe('R4 deterministic choice', () => {
  it('R4 tickets issued in the same millisecond are called in issue order', () => {
    const w = new World();
    const numbers = Array.from({ length: 6 }, (_, i) => w.take(i % 2 === 0 ? 'gen-a' : 'gen-b').number);
    w.open('w2');
    expect(drain(w, 'w2')).toEqual(numbers);
  });

  it('R4 two counters calling in turn never get the same ticket', () => {
    const w = new World();
    for (let i = 0; i < 5; i++) w.take('gen-a');
    w.open('w1');
    w.open('w2');
    const got = ['w1', 'w2', 'w1', 'w2', 'w1'].map((c) => w.call(c).number);
    expect(got).toEqual(['A001', 'A002', 'A003', 'A004', 'A005']);
    expect(w.ok(w.callNext('w2'))).toBeNull();
  });
});

describe('R5 candidates', () => {
  it('R5 only waiting tickets are called: not cancelled, no-show, done or held ones', () => {
    const w = new World();
    const [a, b, c, d, e] = Array.from({ length: 5 }, () => w.take('gen-a'));
    w.open('w1');
    w.open('w2');
    expect(w.call('w1').id).toBe(a?.id);
    w.ok(w.noShow('w1'));
    expect(w.call('w1').id).toBe(b?.id);
    w.ok(w.finish('w1'));
    w.ok(w.cancel(c?.id as string));
    expect(w.call('w2').id).toBe(d?.id); // w2 holds d now
    expect(w.call('w1').id).toBe(e?.id);
    expect(w.ok(w.callNext('w1'))).toBeNull();
  });
});

describe('R6 named policies, shared with the estimates', () => {
  it('R6 the policies are named pure functions', () => {
    expect(POLICIES['effective-time']).toBe(effectiveTime);
    expect(POLICIES['service-order']).toBe(serviceOrder);
    expect(effectiveTime.name).toBe('effective-time');
    expect(serviceOrder.name).toBe('service-order');
  });

  it.each([
    ['w5', 'effective-time', ['consult']],
    ['w3', 'service-order', ['gen-b', 'gen-a', 'consult']],
  ])('R6 at %s (%s) people ahead of every ticket equals its place in the call order', (counterId, _policy, services) => {
    const w = new World({ enforceHours: false });
    const priorities: Priority[] = ['none', 'elderly', 'none', 'none', 'military', 'none', 'appointment', 'none'];
    for (let i = 0; i < 12; i++) {
      w.advance(3 + (i % 4) * 4);
      w.take(services[i % services.length] as string, priorities[i % priorities.length]);
    }
    w.open(counterId);
    const ahead = new Map(
      [...w.state.waiting].map((id) => [id, estimateWait(w.hall, w.state, w.ticket(id), w.history).peopleAhead]),
    );
    const order: string[] = [];
    for (let t = w.ok(w.callNext(counterId)); t !== null; t = w.ok(w.callNext(counterId))) order.push(t.id);
    expect(order).toHaveLength(12);
    expect(order.map((id) => ahead.get(id))).toEqual(order.map((_, i) => i));
  });
});

describe('W2 people ahead under every policy (R6)', () => {
  type Op =
    | { k: 'issue'; gap: number; s: number; p: Priority }
    | { k: 'noshow' }
    | { k: 'transfer'; to: 'w3' | 'gen-a' | 'gen-b' };
  const op: fc.Arbitrary<Op> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        k: fc.constant('issue' as const),
        gap: fc.constantFrom(0, 1, 3, 10, 20),
        s: fc.nat(2),
        p: fc.constantFrom<Priority>('none', 'none', 'none', 'elderly', 'appointment'),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ k: 'noshow' as const }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('transfer' as const), to: fc.constantFrom('w3', 'gen-a', 'gen-b') }) },
  );

  it('W2 R6 property: at a single counter, under every policy, people ahead equals the number it calls first when nobody else arrives', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ROUTING_POLICIES),
        fc.constantFrom(0, 15),
        fc.array(op, { minLength: 1, maxLength: 30 }),
        (policy, headStart, ops) => {
          // w3 (gen-b, gen-a, consult) is the only open counter, so the only deciding one (W1); w5 opens for a
          // moment to transfer a consultation to w3 or to a gen service (T7), then closes again.
          const w = new World({
            enforceHours: false,
            edit: (h) => {
              withCounter('w3', { policy })(h);
              withSettings({ priorityHeadStartMinutes: headStart })(h);
            },
          });
          w.open('w3');
          for (const o of ops) {
            if (o.k === 'issue') {
              w.advance(o.gap);
              w.take((['gen-a', 'gen-b', 'consult'] as const)[o.s] as string, o.p);
            } else if (o.k === 'noshow') {
              const t = w.ok(w.callNext('w3')); // T9: it comes back behind the next tickets of its service
              if (t !== null) {
                w.ok(w.noShow('w3'));
                w.ok(w.reactivate(t.id));
              }
            } else {
              w.open('w5');
              if (w.ok(w.callNext('w5')) !== null)
                w.ok(w.transfer('w5', o.to === 'w3' ? { counterId: 'w3' } : { serviceId: o.to }));
              w.close('w5');
            }
            w.advance(1);
          }
          const ahead = new Map(
            [...w.state.waiting].map((id) => [id, estimateWait(w.hall, w.state, w.ticket(id), w.history).peopleAhead]),
          );
          const order: string[] = [];
          for (let t = w.ok(w.callNext('w3')); t !== null; t = w.ok(w.callNext('w3'))) order.push(t.id);
          expect(order).toHaveLength(ahead.size);
          expect(order.map((id) => ahead.get(id))).toEqual(order.map((_, i) => i));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('T7 transfers keep their place by original issue time', () => {
  it('T7 a ticket transferred to another service goes before the later tickets of that service, after the earlier ones', () => {
    const w = new World();
    w.open('w1');
    w.open('w5');
    issueAt(w, 0, 'consult'); // J001
    issueAt(w, 1, 'gen-a'); // A001
    issueAt(w, 5, 'consult'); // J002
    issueAt(w, 10, 'consult'); // J003
    w.advance(10);
    expect(w.call('w1').number).toBe('A001');
    w.ok(w.start('w1'));
    const moved = w.ok(w.transfer('w1', { serviceId: 'consult' }));
    expect(moved).toMatchObject({ number: 'A001', serviceId: 'consult', issuedServiceId: 'gen-a', status: 'waiting' });
    expect(drain(w, 'w5')).toEqual(['J001', 'A001', 'J002', 'J003']);
  });

  it('T7 a ticket transferred to a counter goes before the later tickets that counter serves', () => {
    const w = new World();
    w.open('w1');
    w.open('w2');
    issueAt(w, 0, 'gen-a'); // A001
    issueAt(w, 5, 'gen-b'); // A002
    issueAt(w, 10, 'gen-a'); // A003
    expect(w.call('w2').number).toBe('A001');
    w.ok(w.transfer('w2', { counterId: 'w1' }));
    expect(drain(w, 'w1')).toEqual(['A001', 'A002', 'A003']);
  });

  it('T7 a priority ticket keeps its head start when transferred', () => {
    const w = new World();
    w.open('w1');
    w.open('w5');
    issueAt(w, 0, 'consult'); // J001 09:00
    issueAt(w, 10, 'gen-a', 'elderly'); // A001, effective 08:55
    expect(w.call('w1').number).toBe('A001');
    w.ok(w.transfer('w1', { serviceId: 'consult' }));
    expect(drain(w, 'w5')).toEqual(['A001', 'J001']);
  });
});

describe('T9 reactivated no-shows', () => {
  /** Six consult tickets a minute apart; w5 calls the first and marks it a no-show. */
  function withNoShow(behind: number | undefined, waiting = 5) {
    const w = new World(behind === undefined ? {} : { edit: withSettings({ reactivateBehind: behind }) });
    for (let i = 0; i <= waiting; i++) issueAt(w, i, 'consult');
    w.open('w5');
    const first = w.call('w5');
    w.ok(w.noShow('w5'));
    return { w, first };
  }

  it('T9 a reactivated no-show waits behind the next 3 waiting tickets of its service (the default)', () => {
    const { w, first } = withNoShow(undefined);
    expect(w.hall.settings.reactivateBehind).toBe(3);
    expect(w.ok(w.reactivate(first.id)).status).toBe('waiting');
    expect(drain(w, 'w5')).toEqual(['J002', 'J003', 'J004', 'J001', 'J005', 'J006']);
  });

  it('T9 behind all of them when fewer wait', () => {
    const { w, first } = withNoShow(undefined, 2);
    w.ok(w.reactivate(first.id));
    expect(drain(w, 'w5')).toEqual(['J002', 'J003', 'J001']);
  });

  it('T9 next when nobody else waits', () => {
    const { w, first } = withNoShow(undefined, 0);
    w.ok(w.reactivate(first.id));
    expect(drain(w, 'w5')).toEqual(['J001']);
  });

  it('T9 at its original place when reactivateBehind is 0; behind one when it is 1', () => {
    const zero = withNoShow(0);
    zero.w.ok(zero.w.reactivate(zero.first.id));
    expect(drain(zero.w, 'w5')).toEqual(['J001', 'J002', 'J003', 'J004', 'J005', 'J006']);
    const one = withNoShow(1);
    one.w.ok(one.w.reactivate(one.first.id));
    expect(drain(one.w, 'w5')).toEqual(['J002', 'J001', 'J003', 'J004', 'J005', 'J006']);
  });

  it('T9 behind the last it waits behind and any sharing its effective time, before the later ones', () => {
    const w = new World({ edit: withSettings({ reactivateBehind: 1 }) });
    issueAt(w, 0, 'consult'); // J001
    issueAt(w, 1, 'consult'); // J002 09:01
    w.take('consult'); // J003, also 09:01
    issueAt(w, 2, 'consult'); // J004 09:02
    w.open('w5');
    const first = w.call('w5');
    w.ok(w.noShow('w5'));
    const again = w.ok(w.reactivate(first.id));
    expect(again.rankTie).toBe(first.rankTie);
    expect(drain(w, 'w5')).toEqual(['J002', 'J003', 'J001', 'J004']);
  });

  it('T9 only waiting tickets of its own service count; other services keep their order around it', () => {
    const w = new World();
    issueAt(w, 0, 'gen-a'); // A001
    issueAt(w, 1, 'gen-b'); // A002
    issueAt(w, 2, 'gen-b'); // A003
    issueAt(w, 3, 'gen-a'); // A004
    issueAt(w, 4, 'gen-b'); // A005
    issueAt(w, 5, 'gen-a'); // A006
    issueAt(w, 6, 'gen-b'); // A007
    w.open('w1');
    const first = w.call('w1');
    w.ok(w.noShow('w1'));
    w.ok(w.reactivate(first.id));
    // gen-a waits: A004, A006 — fewer than 3, so A001 goes behind A006
    expect(drain(w, 'w1')).toEqual(['A002', 'A003', 'A004', 'A005', 'A006', 'A001', 'A007']);
  });

  it('T9 two no-shows reactivated in turn both wait behind the next 3', () => {
    const w = new World();
    for (let i = 0; i < 6; i++) issueAt(w, i, 'consult');
    w.open('w5');
    const a = w.call('w5');
    w.ok(w.noShow('w5'));
    const b = w.call('w5');
    w.ok(w.noShow('w5'));
    w.ok(w.reactivate(a.id)); // waiting: J003 J004 J005 | J001 J006
    w.ok(w.reactivate(b.id)); // waiting: J003 J004 J005 | J002 J001 J006
    expect(drain(w, 'w5')).toEqual(['J003', 'J004', 'J005', 'J002', 'J001', 'J006']);
  });

  it('T9 a reactivated ticket keeps its number and is no-show no more', () => {
    const { w, first } = withNoShow(undefined);
    const again = w.ok(w.reactivate(first.id));
    expect(again).toMatchObject({ number: 'J001', status: 'waiting', counterId: null, calledAt: null, finishedAt: null });
    expect(codeOf(w.reactivate(first.id))).toBe('TICKET_NOT_NO_SHOW');
  });

  it('T9 reactivating the no-show of a service-order counter: it waits behind the next 3 of its service there too', () => {
    const w = new World({ edit: withCounter('w5', { policy: 'service-order' }) });
    for (let i = 0; i < 5; i++) issueAt(w, i, 'consult');
    w.open('w5');
    const first = w.call('w5');
    w.ok(w.noShow('w5'));
    w.ok(w.reactivate(first.id));
    expect(drain(w, 'w5')).toEqual(['J002', 'J003', 'J004', 'J001', 'J005']);
  });
});

describe('R4 T7 T9 keys stay unique and by issue order through reactivations and transfers', () => {
  it('T7 a reactivated no-show, later transferred, goes back to its own issue order (not that of the ticket it waited behind)', () => {
    // All issued in the same millisecond, so only the issue order tells them apart.
    const w = new World({ edit: withSettings({ reactivateBehind: 2 }) });
    const a1 = w.take('gen-a'); // order 1
    w.take('consult'); // J001, order 2
    w.take('gen-a'); // A002, order 3
    w.take('gen-a'); // A003, order 4
    w.open('w1');
    w.open('w5');
    expect(w.call('w1').id).toBe(a1.id);
    w.ok(w.noShow('w1'));
    w.ok(w.reactivate(a1.id)); // behind A002 and A003
    expect(w.call('w1').number).toBe('A002');
    expect(w.call('w1').number).toBe('A003');
    expect(w.call('w1').id).toBe(a1.id);
    w.ok(w.transfer('w1', { serviceId: 'consult' }));
    // A001 was issued before J001, at the same instant: it goes first
    expect(drain(w, 'w5')).toEqual(['A001', 'J001']);
  });

  it('R4 T9 two reactivations behind the same tickets never share a key with another service’s ticket', () => {
    // w3 on effective time serves consult and gen-b alike, so their keys compete directly.
    const w = new World({ edit: withCounter('w3', { policy: 'effective-time' }) });
    const k1 = w.take('consult'); // 09:00, order 1
    const k2 = w.take('consult'); // 09:00, order 2
    w.take('consult'); // J003 09:00, order 3
    w.open('w5');
    expect(w.call('w5').id).toBe(k1.id);
    w.ok(w.noShow('w5'));
    expect(w.call('w5').id).toBe(k2.id);
    w.ok(w.noShow('w5'));
    w.close('w5');
    w.advance(15);
    w.take('gen-b', 'elderly'); // A001 09:15, effective 09:00, order 4
    w.ok(w.reactivate(k1.id)); // behind J003
    w.ok(w.reactivate(k2.id)); // behind J003 and J001
    const keys = [...w.state.waiting].map((id) => `${w.ticket(id).rankAt}/${w.ticket(id).rankTie}`);
    expect(new Set(keys).size).toBe(4);
    w.open('w3');
    const order = drain(w, 'w3');
    expect(order).toHaveLength(4);
    // T9 at the consult queue: J003 first, then the reactivated J001, then J002
    expect(order.filter((n) => n.startsWith('J'))).toEqual(['J003', 'J001', 'J002']);
  });
});
