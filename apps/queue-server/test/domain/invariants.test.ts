/**
 * V1–V4 under seeded random command sequences. Each sequence runs on the tiny hall (demo mode, so the
 * clock may wander) with random settings and counter policies; every command goes through the domain
 * function, then `apply`, as in the server. After every step the invariants are checked against the state
 * and against a model the test keeps itself (issue order, base routing keys, numbers given per day).
 */
import type { Priority, TransferBody } from '@yimen/shared';
import { businessDayOf, PRIORITIES, startOfBusinessDay, TICKET_STATUSES } from '@yimen/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor, Outcome } from '../../src/domain/commands.js';
import { rollDay } from '../../src/domain/commands.js';
import type { TicketRecord } from '../../src/domain/model.js';
import { clerk, edits, keypad, MANAGER, MIN, World, withCounter, withSettings } from './harness.js';

const SERVICES = ['gen-a', 'gen-b', 're', 'fund', 'closed', 'consult', 'no-such-service'] as const;
const COUNTERS = ['w1', 'w2', 'w3', 'w4', 'w5'] as const;
const ACTORS: Actor[] = [MANAGER, MANAGER, clerk('c1'), clerk('c2'), keypad('w1')];
const PREFIX: Record<string, string> = { 'gen-a': 'A', 'gen-b': 'A', re: 'C', fund: 'G', closed: 'Z', consult: 'J' };
const SERVES: Record<string, readonly string[]> = {
  w1: ['gen-a', 'gen-b'],
  w2: ['gen-a', 'gen-b'],
  w3: ['gen-b', 'gen-a', 'consult'],
  w4: ['re', 'fund', 'closed'],
  w5: ['consult'],
};

type Op =
  | { k: 'issue'; s: number; p: number }
  | {
      k: 'open' | 'close' | 'pause' | 'resume' | 'call' | 'recall' | 'start' | 'finish' | 'noShow';
      c: number;
      a: number;
      held: boolean;
    }
  | { k: 'transfer'; c: number; a: number; held: boolean; to: number }
  | { k: 'cancel' | 'reactivate'; t: number; noShow: boolean }
  | { k: 'advance'; ms: number }
  | { k: 'day' };

const counterIx = fc.nat(COUNTERS.length - 1);
const actorIx = fc.nat(ACTORS.length - 1);
const counterOp = (...kinds: ('open' | 'close' | 'pause' | 'resume' | 'call' | 'recall' | 'start' | 'finish' | 'noShow')[]) =>
  fc.record({ k: fc.constantFrom(...kinds), c: counterIx, a: actorIx, held: fc.boolean() });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ k: fc.constant('issue' as const), s: fc.nat(SERVICES.length - 1), p: fc.nat(9) }) },
  { weight: 3, arbitrary: counterOp('open', 'open', 'close', 'pause', 'resume') },
  { weight: 6, arbitrary: counterOp('call') },
  { weight: 5, arbitrary: counterOp('recall', 'start', 'start', 'finish', 'noShow', 'noShow') },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant('transfer' as const),
      c: counterIx,
      a: actorIx,
      held: fc.boolean(),
      to: fc.nat(SERVICES.length + COUNTERS.length),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ k: fc.constantFrom('cancel' as const, 'reactivate' as const), t: fc.nat(200), noShow: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('advance' as const),
      // whole minutes and exact head starts make equal effective times likely (ties on the first key part)
      ms: fc.constantFrom(0, 0, 1000, MIN, 5 * MIN, 10 * MIN, 15 * MIN, 20 * MIN, 90 * MIN),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ k: 'day' as const }) },
);

const settingsArb = fc.record({
  headStart: fc.constantFrom(0, 5, 15),
  behind: fc.constantFrom(0, 1, 3),
  window: fc.constantFrom(1, 20),
  serviceOrder: fc.array(fc.boolean(), { minLength: COUNTERS.length, maxLength: COUNTERS.length }),
  /** Counters a manager opens before the sequence starts. */
  initiallyOpen: fc.subarray([...COUNTERS], { minLength: 1 }),
});

/** A cheap assertion for the hot loop (expect() per ticket per step would dominate the run time). */
function check(ok: boolean, what: string, detail?: unknown): void {
  if (!ok) throw new Error(`${what}: ${JSON.stringify(detail)}`);
}

type Settings = typeof settingsArb extends fc.Arbitrary<infer S> ? S : never;
type Key = readonly number[];
const cmp = (a: Key, b: Key): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

/** Runs one random sequence and checks V1–V4 (and T1, T7, T9 facts) after every step. */
function runSequence(settings: Settings, ops: Op[]) {
  const w = new World({
    enforceHours: false,
    edit: edits(
      withSettings({
        priorityHeadStartMinutes: settings.headStart,
        reactivateBehind: settings.behind,
        serviceTimeWindow: settings.window,
      }),
      ...COUNTERS.map((id, i) => withCounter(id, { policy: settings.serviceOrder[i] ? 'service-order' : 'effective-time' })),
    ),
  });
  const policyOf = (c: string) =>
    settings.serviceOrder[COUNTERS.indexOf(c as (typeof COUNTERS)[number])] ? 'service-order' : 'effective-time';
  const headStart = settings.headStart * MIN;

  // the test's own model
  const known = new Map<string, TicketRecord>(); // latest record of every ticket ever issued
  const numbersByDay = new Map<string, Set<string>>();
  const order = new Map<string, number>(); // issue order within its day
  const modelKey = new Map<string, Key>(); // routing key (effective time, tie) the model expects
  let issuedToday: TicketRecord[] = [];
  for (const c of settings.initiallyOpen) w.ok(w.open(c));

  const baseKey = (t: TicketRecord): Key => [t.issuedAt - (t.priority === 'none' ? 0 : headStart), order.get(t.id) as number];
  const track = (o: Outcome<unknown>) => {
    if (o.ok) for (const t of o.changes.tickets) known.set(t.id, t);
  };
  const tick = () => {
    const day = businessDayOf(w.now);
    if (day === w.state.businessDay) return;
    const held = new Set([...w.state.counters.values()].map((c) => c.currentTicketId).filter((id) => id !== null));
    rollDay(w.state, day);
    issuedToday = [];
    // N4: only the held tickets remain, nothing waits, sequences restart
    expect(new Set(w.state.tickets.keys())).toEqual(held);
    expect(w.state.waiting.size).toBe(0);
    expect(w.state.sequences.size).toBe(0);
  };

  /** R1 and R3/R2 keys, computed here from the model, not by the routing module. */
  const mayCall = (c: string, t: TicketRecord) =>
    t.targetCounterId !== null ? t.targetCounterId === c : (SERVES[c] as readonly string[]).includes(t.serviceId);
  const keyAt = (c: string, t: TicketRecord): Key => {
    const k = modelKey.get(t.id) as Key;
    return policyOf(c) === 'service-order'
      ? [t.targetCounterId === c ? -1 : (SERVES[c] as readonly string[]).indexOf(t.serviceId), ...k]
      : k;
  };
  const waitingToday = () =>
    [...w.state.tickets.values()].filter((t) => t.status === 'waiting' && t.businessDay === w.state.businessDay);

  const checkInvariants = () => {
    const s = w.state;
    // V1: no number twice in a business day (the issue step also checks against every number given today)
    const todays = [...s.tickets.values()].filter((t) => t.businessDay === s.businessDay).map((t) => t.number);
    check(new Set(todays).size === todays.length, 'V1 a number twice today', todays);
    // V2: one valid state each; in the waiting index iff waiting; waiting only today; nothing lost
    for (const [id, t] of s.tickets) {
      check(TICKET_STATUSES.includes(t.status), 'V2 unknown status', t);
      check(s.waiting.has(id) === (t.status === 'waiting'), 'V2 waiting index ≠ status', t);
      check(t.status !== 'waiting' || t.businessDay === s.businessDay, 'V2 an earlier day’s ticket waits', t);
      check(t === known.get(id), 'V2 the state differs from the changes returned', t);
    }
    for (const id of s.waiting) check(s.tickets.has(id), 'V2 a waiting id without ticket', id);
    // V2: the lines index the same tickets, each once, in its own line, in R2's order (effective time, issue order)
    let lined = 0;
    for (const [key, line] of s.lines) {
      lined += line.length;
      check(line.length > 0, 'V2 an empty line is kept', key);
      line.forEach((t, i) => {
        check(s.tickets.get(t.id) === t, 'V2 a line holds a stale record', t);
        check((t.targetCounterId === null ? t.serviceId : `@${t.targetCounterId}`) === key, 'V2 a ticket in another line', t);
        const prev = line[i - 1];
        check(
          !prev || prev.rankAt < t.rankAt || (prev.rankAt === t.rankAt && prev.rankTie < t.rankTie),
          'V2 a line out of order',
          [prev, t],
        );
      });
    }
    check(lined === s.waiting.size, 'V2 lines and the waiting index differ', [lined, s.waiting.size]);
    // I5 I6: the issue counts and the per-person index agree with today's tickets
    const todaysTickets = [...s.tickets.values()].filter((t) => t.businessDay === s.businessDay);
    for (const sid of new Set(todaysTickets.map((t) => t.issuedServiceId)))
      check(s.issued.get(sid) === todaysTickets.filter((t) => t.issuedServiceId === sid).length, 'I5 issue count', sid);
    for (const t of todaysTickets)
      if (t.personKey !== null) check(s.byPerson.get(t.personKey)?.includes(t.id) === true, 'I6 person index', t);
    for (const t of issuedToday) check(s.tickets.get(t.id) === known.get(t.id), 'V2 a ticket of today is lost', t);
    // V3: a counter holds at most one ticket, called or serving, held by exactly it; no other ticket is called or serving
    const holders = new Map<string, string>();
    for (const c of s.counters.values()) {
      if (c.currentTicketId === null) continue;
      check(!holders.has(c.currentTicketId), 'V3 two counters hold one ticket', c);
      holders.set(c.currentTicketId, c.id);
      const t = s.tickets.get(c.currentTicketId);
      check(t?.status === 'called' || t?.status === 'serving', 'V3 a held ticket is not called or serving', t);
      check(t?.counterId === c.id, 'V3 a held ticket names another counter', t);
      check(c.state !== 'closed', 'V3 a closed counter holds a ticket', c);
    }
    for (const t of s.tickets.values())
      if (t.status === 'called' || t.status === 'serving')
        check(holders.get(t.id) === t.counterId, 'V3 a called or serving ticket no counter holds', t);
    // R2, R4: the state's keys are the model's keys, and unique among the waiting tickets
    const keys = new Set<string>();
    for (const t of waitingToday()) {
      const k = modelKey.get(t.id) as Key;
      check(t.rankAt === k[0] && t.rankTie === k[1], 'R2 the key differs from the model', { t, k });
      const text = `${t.rankAt}/${t.rankTie}`;
      check(!keys.has(text), 'R4 two waiting tickets share a key', t);
      keys.add(text);
    }
  };

  for (const op of ops) {
    // half of the counter commands go to a counter holding a ticket (when one does), so that they act
    const holding = COUNTERS.filter((c) => w.counter(c).currentTicketId !== null);
    const pool = 'held' in op && op.held && holding.length > 0 ? holding : COUNTERS;
    const counterId = 'c' in op ? (pool[op.c % pool.length] as string) : 'w1';
    const actor = 'a' in op ? (ACTORS[op.a] as Actor) : MANAGER;
    switch (op.k) {
      case 'advance':
        w.now += op.ms;
        tick();
        break;
      case 'day':
        w.now = startOfBusinessDay(businessDayOf(w.now)) + 33 * 60 * MIN; // 09:00 tomorrow
        tick();
        break;
      case 'issue': {
        const serviceId = SERVICES[op.s] as string;
        const priority = (PRIORITIES[op.p] ?? 'none') as Priority; // half of the tickets are ordinary
        const o = w.issue(serviceId, priority);
        track(o);
        const capped = serviceId === 're' && issuedToday.filter((t) => t.issuedServiceId === 're').length >= 3;
        const expected =
          serviceId === 'no-such-service'
            ? 'NOT_FOUND'
            : serviceId === 'closed'
              ? 'SERVICE_CLOSED'
              : capped
                ? 'DAILY_CAP_REACHED'
                : 'ok';
        expect(o.ok ? 'ok' : o.code).toBe(expected);
        if (!o.ok) break;
        const t = o.value;
        // V1, N1, N2: the next number of its prefix today, never given before today
        const prefix = PREFIX[serviceId] as string;
        const seq = issuedToday.filter((u) => u.prefix === prefix).length + 1;
        expect(t.number).toBe(`${prefix}${seq < 10 ? '00' : seq < 100 ? '0' : ''}${seq}`);
        const day = w.state.businessDay;
        const numbers = numbersByDay.get(day) ?? new Set<string>();
        expect(numbers.has(t.number)).toBe(false);
        numbers.add(t.number);
        numbersByDay.set(day, numbers);
        issuedToday.push(t);
        order.set(t.id, issuedToday.length);
        modelKey.set(t.id, baseKey(t));
        break;
      }
      case 'call': {
        const record = w.counter(counterId);
        const before = record.currentTicketId;
        // V4: the candidate with the smallest key, computed here from the state before the call
        const candidates = waitingToday()
          .filter((t) => mayCall(counterId, t))
          .sort((a, b) => cmp(keyAt(counterId, a), keyAt(counterId, b)));
        const o = w.callNext(counterId, actor);
        track(o);
        const inUse = actor.clerkId !== null && record.clerkId !== null && actor.clerkId !== record.clerkId;
        expect(o.ok ? 'ok' : o.code).toBe(inUse ? 'COUNTER_IN_USE' : record.state !== 'open' ? 'COUNTER_NOT_OPEN' : 'ok');
        if (!o.ok) break;
        expect(o.value?.id ?? null).toBe(candidates[0]?.id ?? null);
        if (candidates.length > 1)
          expect(
            cmp(keyAt(counterId, candidates[0] as TicketRecord), keyAt(counterId, candidates[1] as TicketRecord)),
          ).toBeLessThan(0);
        // T1: what the counter held is done now
        if (before !== null) expect(w.ticket(before).status).toBe('done');
        break;
      }
      case 'open':
      case 'close':
      case 'pause':
      case 'resume':
        track(w[op.k](counterId, actor));
        break;
      case 'recall':
      case 'start':
      case 'finish':
      case 'noShow':
        track(w[op.k](counterId, actor));
        break;
      case 'transfer': {
        const target: TransferBody =
          op.to < SERVICES.length
            ? { serviceId: SERVICES[op.to] as string }
            : { counterId: COUNTERS[op.to - SERVICES.length] ?? 'w99' };
        const o = w.transfer(counterId, target, actor);
        track(o);
        if (!o.ok) break;
        // T7: waits again with its original key
        expect(o.value.status).toBe('waiting');
        expect([o.value.rankAt, o.value.rankTie]).toEqual(baseKey(o.value));
        modelKey.set(o.value.id, baseKey(o.value));
        break;
      }
      case 'cancel':
      case 'reactivate': {
        // half of the picks among the no-shows, so that reactivations happen
        const all = [...known.values()].filter((u) => !op.noShow || u.status === 'no_show');
        if (all.length === 0) break;
        const picked = all[op.t % all.length] as TicketRecord;
        const t = w.state.tickets.get(picked.id) ?? picked;
        const queue = waitingToday().filter((u) => u.serviceId === t.serviceId && u.targetCounterId === null);
        const o = op.k === 'cancel' ? w.cancel(t) : w.reactivate(t);
        track(o);
        if (!o.ok || op.k === 'cancel') break;
        // T9: behind the next `behind` waiting tickets of its service (all when fewer) and any sharing the
        // effective time of the last of them, before the others; at its own place with 0; same issue order
        const r = o.value;
        const key: Key = [r.rankAt, r.rankTie];
        expect(r.rankTie).toBe(order.get(r.id));
        if (settings.behind === 0 || queue.length === 0) {
          expect(key).toEqual(baseKey(r));
        } else {
          const sorted = queue.map((u) => modelKey.get(u.id) as Key).sort(cmp);
          const last = sorted[Math.min(settings.behind, sorted.length) - 1] as Key;
          const mustBeAhead = sorted.filter((k) => (k[0] as number) <= (last[0] as number)).length;
          expect(sorted.filter((k) => cmp(k, key) < 0).length).toBe(mustBeAhead);
          expect(mustBeAhead).toBeGreaterThanOrEqual(Math.min(settings.behind, sorted.length));
        }
        modelKey.set(r.id, key);
        break;
      }
    }
    checkInvariants();
  }
}

// Seeded (42, 200 runs); SEED=… RUNS=… in the environment explore further without editing the test.
describe('V invariants under seeded random command sequences', () => {
  it('V1 V2 V3 V4 hold after every step of 200 random sequences', () => {
    fc.assert(
      fc.property(settingsArb, fc.array(opArb, { minLength: 1, maxLength: 100, size: 'large' }), (settings, ops) => {
        runSequence(settings, ops);
      }),
      { seed: Number(process.env.SEED ?? 42), numRuns: Number(process.env.RUNS ?? 200) },
    );
  });
});
