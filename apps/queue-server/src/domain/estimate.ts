/**
 * People ahead and estimated waits (SPEC.md W1–W5). Pure: the state and the clock come in.
 */
import type { CounterConfig, QueueSummary } from '@yimen/shared';
import type { Hall, HallState, TicketRecord } from './model.js';
import { prefixLength, waitingTicket } from './model.js';
import { linesOf, POLICIES } from './routing.js';

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

/**
 * W2: how many waiting tickets of each line some deciding counter would call before `t`. A counter calls
 * each line in R2's order, so the tickets it calls first form a prefix of the line, found by bisection; the
 * union over the deciding counters is the longest such prefix. Counters whose policy ignores the counter
 * share one bisection.
 */
export function aheadByLine(
  state: HallState,
  t: TicketRecord,
  counters: CounterConfig[],
): Map<string, { line: readonly TicketRecord[]; ahead: number }> {
  const out = new Map<string, { line: readonly TicketRecord[]; ahead: number }>();
  const asked = new Set<string>();
  for (const c of counters) {
    const policy = POLICIES[c.policy];
    for (const key of linesOf(c)) {
      const line = state.lines.get(key);
      if (!line) continue;
      const probe = policy.counterIndependent ? `${policy.name}|${key}` : `${c.id}|${key}`;
      if (asked.has(probe)) continue;
      asked.add(probe);
      const ahead = prefixLength(line, (u) => u.id !== t.id && policy.compare(c, u, t) < 0);
      const prior = out.get(key);
      if (!prior || prior.ahead < ahead) out.set(key, { line, ahead });
    }
  }
  return out;
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
  const open = counters.filter((c) => state.counters.get(c.id)?.state === 'open').length;
  const capacity = open > 0 ? open : counters.length;
  let people = 0;
  let work = 0;
  for (const [key, { line, ahead }] of aheadByLine(state, t, counters)) {
    people += ahead;
    if (!key.startsWith('@')) work += ahead * meanServiceMinutes(hall, state, key);
    else for (let i = 0; i < ahead; i++) work += meanServiceMinutes(hall, state, (line[i] as TicketRecord).serviceId);
  }
  return { peopleAhead: people, minutes: Math.round(work / capacity) };
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
  const consider = (line: readonly TicketRecord[], mine: (u: TicketRecord) => boolean) => {
    // issuedAt ≥ rankAt, and a line is in rankAt order: past a rankAt above the oldest so far, none is older.
    for (const u of line) {
      if (oldest !== null && u.rankAt > oldest) break;
      if (mine(u) && (oldest === null || u.issuedAt < oldest)) oldest = u.issuedAt;
    }
  };
  const own = state.lines.get(serviceId);
  if (own) {
    waiting += own.length;
    consider(own, () => true);
  }
  for (const [key, line] of state.lines) {
    if (!key.startsWith('@')) continue;
    const mine = (u: TicketRecord) => u.serviceId === serviceId;
    waiting += line.filter(mine).length;
    consider(line, mine);
  }
  const est = estimateWait(hall, state, phantomTicket(state, serviceId, now));
  return {
    serviceId,
    waiting,
    oldestWaitSeconds: oldest === null ? null : Math.max(0, Math.floor((now - oldest) / 1000)),
    estimatedWaitMinutes: est.minutes,
  };
}
