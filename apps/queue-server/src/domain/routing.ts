/**
 * Routing: which waiting ticket a counter calls next. A policy is one pure function with a name: a
 * comparison of two tickets at a counter; the counter calls the ticket that compares first. The same
 * comparison counts the people ahead of a ticket, so the estimate and the call order can never disagree.
 * SPEC.md R1–R6.
 */
import type { CounterConfig, RoutingPolicyName } from '@yimen/shared';
import type { HallState, TicketRecord } from './model.js';
import { byEffectiveTime } from './model.js';

export { byEffectiveTime };

export interface RoutingPolicy {
  name: RoutingPolicyName;
  /**
   * Negative when `a` is called before `b` at `counter`. Only asked of tickets the counter may call. It must
   * keep R2's order within one line (one service's tickets, or those transferred to one counter): the
   * call and the estimate look at the head and bisect each line.
   */
  compare(counter: CounterConfig, a: TicketRecord, b: TicketRecord): number;
  /** true when the comparison does not depend on the counter (the wait estimate then pools such counters). */
  counterIndependent: boolean;
}

/** R2: the default policy. */
export const effectiveTime: RoutingPolicy = {
  name: 'effective-time',
  compare: (_counter, a, b) => byEffectiveTime(a, b),
  counterIndependent: true,
};

/**
 * R3: service order (Qmatic's work profiles): tickets transferred to this very counter first, then the
 * counter's first service with anyone waiting, each service by R2's order.
 */
export const serviceOrder: RoutingPolicy = {
  name: 'service-order',
  compare: (counter, a, b) => {
    const rank = (t: TicketRecord) => (t.targetCounterId === counter.id ? -1 : counter.serviceIds.indexOf(t.serviceId));
    return rank(a) - rank(b) || byEffectiveTime(a, b);
  },
  counterIndependent: false,
};

export const POLICIES: Record<RoutingPolicyName, RoutingPolicy> = {
  'effective-time': effectiveTime,
  'service-order': serviceOrder,
};

/** R1: a counter may call a waiting ticket of a service it serves, or one transferred to it. */
export function mayCall(counter: CounterConfig, t: TicketRecord): boolean {
  if (t.targetCounterId !== null) return t.targetCounterId === counter.id;
  return counter.serviceIds.includes(t.serviceId);
}

/** The lines a counter may call from (R1): its services' lines and its own. */
export function linesOf(counter: CounterConfig): string[] {
  return [...counter.serviceIds, `@${counter.id}`];
}

/** R4: the ticket a counter calls next, or undefined when none it may call is waiting: the best line head. */
export function pickNext(state: HallState, counter: CounterConfig): TicketRecord | undefined {
  const policy = POLICIES[counter.policy];
  let best: TicketRecord | undefined;
  for (const key of linesOf(counter)) {
    const head = state.lines.get(key)?.[0];
    if (head && (best === undefined || policy.compare(counter, head, best) < 0)) best = head;
  }
  return best;
}

/** The effective time of a ticket as issued or transferred (R2). */
export function baseRank(issuedAt: number, priority: TicketRecord['priority'], headStartMinutes: number): number {
  return priority === 'none' ? issuedAt : issuedAt - headStartMinutes * 60_000;
}
