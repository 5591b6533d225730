/**
 * Routing: which waiting ticket a counter calls next. A policy is one pure function with a name that
 * maps (counter, ticket) to a sort key; the counter calls the candidate with the smallest key. The same
 * keys count the people ahead of a ticket, so the estimate and the call order can never disagree.
 * SPEC.md R1–R6.
 */
import type { CounterConfig, RoutingPolicyName } from '@yimen/shared';
import type { HallState, TicketRecord } from './model.js';

export type SortKey = readonly number[];

export interface RoutingPolicy {
  name: RoutingPolicyName;
  /** Smaller keys are called first. Only called for tickets the counter may call. */
  key(counter: CounterConfig, ticket: TicketRecord): SortKey;
}

/** R2: the earliest effective time (issue time, less the head start for priority), then issue order. */
export const effectiveTime: RoutingPolicy = {
  name: 'effective-time',
  key: (_counter, t) => [t.rankAt, t.rankTie],
};

/**
 * R3: service order (Qmatic's work profiles): tickets transferred to this very counter first, then the
 * counter's first service with anyone waiting, each service by effective time.
 */
export const serviceOrder: RoutingPolicy = {
  name: 'service-order',
  key: (counter, t) => [t.targetCounterId === counter.id ? -1 : counter.serviceIds.indexOf(t.serviceId), t.rankAt, t.rankTie],
};

export const POLICIES: Record<RoutingPolicyName, RoutingPolicy> = {
  'effective-time': effectiveTime,
  'service-order': serviceOrder,
};

export function compareKeys(a: SortKey, b: SortKey): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** R1: a counter may call a waiting ticket of a service it serves, or one transferred to it. */
export function mayCall(counter: CounterConfig, t: TicketRecord): boolean {
  if (t.targetCounterId !== null) return t.targetCounterId === counter.id;
  return counter.serviceIds.includes(t.serviceId);
}

/** R4: the ticket a counter calls next, or undefined when none it may call is waiting. */
export function pickNext(state: HallState, counter: CounterConfig): TicketRecord | undefined {
  const policy = POLICIES[counter.policy];
  let best: TicketRecord | undefined;
  let bestKey: SortKey | undefined;
  for (const id of state.waiting) {
    const t = state.tickets.get(id);
    if (!t || !mayCall(counter, t)) continue;
    const k = policy.key(counter, t);
    if (bestKey === undefined || compareKeys(k, bestKey) < 0) {
      best = t;
      bestKey = k;
    }
  }
  return best;
}

/** The routing key of a ticket as issued or transferred: R2's effective time. */
export function baseRank(issuedAt: number, priority: TicketRecord['priority'], headStartMinutes: number): number {
  return priority === 'none' ? issuedAt : issuedAt - headStartMinutes * 60_000;
}
