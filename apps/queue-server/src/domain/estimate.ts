/**
 * People ahead and estimated waits (SPEC.md W1–W5). Pure: the state and the clock come in.
 */
import type { CounterConfig, QueueSummary } from '@yimen/shared';
import type { Hall, HallState, TicketRecord } from './model.js';
import { waitingTicket } from './model.js';
import { mayCall, POLICIES, type RoutingPolicy } from './routing.js';

/** W1: the counters whose calls decide a ticket's place: those that may call it and are not closed, else all of them. */
export function decidingCounters(
  hall: Hall,
  state: HallState,
  t: Pick<TicketRecord, 'serviceId' | 'targetCounterId'>,
): CounterConfig[] {
  const ids = t.targetCounterId !== null ? [t.targetCounterId] : (hall.countersByService.get(t.serviceId) ?? []);
  const all = ids.map((id) => hall.counters.get(id)).filter((c): c is CounterConfig => c !== undefined);
  const working = all.filter((c) => state.counters.get(c.id)?.state !== 'closed');
  return working.length > 0 ? working : all;
}

/** W2: the waiting tickets that some deciding counter would call before `t`. */
export function ticketsAhead(
  hall: Hall,
  state: HallState,
  t: TicketRecord,
  counters = decidingCounters(hall, state, t),
): TicketRecord[] {
  // Counters whose policy ignores the counter are pooled: one comparison per ticket for all of them.
  const pools = new Map<RoutingPolicy, { ids: Set<string>; services: Set<string>; any: CounterConfig }>();
  const single: CounterConfig[] = [];
  for (const c of counters) {
    const policy = POLICIES[c.policy];
    if (!policy.counterIndependent) {
      single.push(c);
      continue;
    }
    let pool = pools.get(policy);
    if (!pool) pools.set(policy, (pool = { ids: new Set(), services: new Set(), any: c }));
    pool.ids.add(c.id);
    for (const s of c.serviceIds) pool.services.add(s);
  }
  const ahead: TicketRecord[] = [];
  for (const id of state.waiting) {
    if (id === t.id) continue;
    const u = state.tickets.get(id);
    if (!u) continue;
    let before = false;
    for (const [policy, pool] of pools) {
      const callable = u.targetCounterId !== null ? pool.ids.has(u.targetCounterId) : pool.services.has(u.serviceId);
      if (callable && policy.compare(pool.any, u, t) < 0) {
        before = true;
        break;
      }
    }
    if (!before) before = single.some((c) => mayCall(c, u) && POLICIES[c.policy].compare(c, u, t) < 0);
    if (before) ahead.push(u);
  }
  return ahead;
}

/** W3: mean service minutes of a service: the mean of its recent services today, else its configured default. */
export function meanServiceMinutes(hall: Hall, state: HallState, serviceId: string): number {
  const recent = state.durations.get(serviceId);
  if (recent && recent.length > 0) return recent.reduce((a, b) => a + b, 0) / recent.length / 60_000;
  return hall.services.get(serviceId)?.defaultServiceMinutes ?? 8;
}

/**
 * W4: estimated wait, minutes: the service time of everyone ahead shared among the open deciding counters
 * (all deciding counters when none is open yet), rounded to whole minutes.
 */
export function estimateWait(hall: Hall, state: HallState, t: TicketRecord): { peopleAhead: number; minutes: number | null } {
  const counters = decidingCounters(hall, state, t);
  if (counters.length === 0) return { peopleAhead: 0, minutes: null };
  const ahead = ticketsAhead(hall, state, t, counters);
  const open = counters.filter((c) => state.counters.get(c.id)?.state === 'open').length;
  const capacity = open > 0 ? open : counters.length;
  const memo = new Map<string, number>();
  let work = 0;
  for (const u of ahead) {
    let m = memo.get(u.serviceId);
    if (m === undefined) {
      m = meanServiceMinutes(hall, state, u.serviceId);
      memo.set(u.serviceId, m);
    }
    work += m;
  }
  return { peopleAhead: ahead.length, minutes: Math.round(work / capacity) };
}

/** A ticket that does not exist yet: what a citizen taking a number now would get (W5). */
export function phantomTicket(state: HallState, serviceId: string, now: number): TicketRecord {
  return waitingTicket({
    id: '\u0000phantom',
    statusKey: '',
    number: '',
    prefix: '',
    sequence: 0,
    serviceId,
    priority: 'none',
    businessDay: state.businessDay,
    issuedAt: now,
    rankAt: now,
    rankTie: state.issueOrder + 1,
    personKey: null,
  });
}

/** W5: a service's queue: waiting count, oldest wait, and the estimate a new ticket would get. */
export function queueSummary(hall: Hall, state: HallState, serviceId: string, now: number): QueueSummary {
  let waiting = 0;
  let oldest: number | null = null;
  for (const id of state.waiting) {
    const t = state.tickets.get(id);
    if (!t || t.serviceId !== serviceId) continue;
    waiting++;
    if (oldest === null || t.issuedAt < oldest) oldest = t.issuedAt;
  }
  const est = estimateWait(hall, state, phantomTicket(state, serviceId, now));
  return {
    serviceId,
    waiting,
    oldestWaitSeconds: oldest === null ? null : Math.max(0, Math.floor((now - oldest) / 1000)),
    estimatedWaitMinutes: est.minutes,
  };
}
