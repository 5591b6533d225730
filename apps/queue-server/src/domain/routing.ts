/**
 * Routing: which waiting ticket a counter calls next. A policy is one pure function with a name: a
 * comparison of two tickets at a counter; the counter calls the ticket that compares first. The same
 * comparison counts the people ahead of a ticket, so the estimate and the call order can never disagree.
 * SPEC.md R1–R8.
 */
import type { CounterConfig, RoutingPolicyName } from '@yimen/shared';
import type { HallState, TicketRecord } from './model.js';
import { byEffectiveTime } from './model.js';

export { byEffectiveTime };

export interface RoutingPolicy {
  name: RoutingPolicyName;
  /**
   * Negative when `a` is called before `b` at `counter`. Only asked of tickets the counter may call. It must
   * not depend on the time (two waiting tickets keep their order until one is called), so the people ahead
   * (W2) are the tickets the counter will call first when nobody else arrives.
   */
  compare(counter: CounterConfig, a: TicketRecord, b: TicketRecord): number;
  /** true when the comparison does not depend on the counter (the wait estimate then pools such counters). */
  counterIndependent: boolean;
  /**
   * Absent (true): the comparison keeps R2's order within one line (one service's tickets, or those
   * transferred to one counter), so the call looks at each line's head and W2 bisects each line. false when
   * it may reorder a line (R7, R8: they ignore the head start that R2's line order holds): the call then
   * compares every ticket of the counter's lines, and W2 asks about every one of them.
   */
  lineOrdered?: false;
  /**
   * true when the comparison reads the ticket's service (R3): a new ticket's place then depends on its
   * service, and W5 estimates each service on its own. Absent: false.
   */
  readsTicketService?: true;
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
  readsTicketService: true,
};

const isPriority = (t: TicketRecord): number => (t.priority === 'none' ? 0 : 1);

/**
 * R7: strict priority (Novo SGA's order): any priority ticket before every ordinary one, each class by R2's
 * key. A priority ticket may wait behind another priority ticket only; ordinary tickets may starve.
 */
export const strictPriority: RoutingPolicy = {
  name: 'strict-priority',
  compare: (_counter, a, b) => isPriority(b) - isPriority(a) || byEffectiveTime(a, b),
  counterIndependent: true,
  lineOrdered: false,
};

/**
 * R8: plain FIFO: the issue time, the priority head start ignored (an ordinary ticket's R2 time, which
 * is its issue time but after a reactivation, T9), then the issue order.
 */
export const fifo: RoutingPolicy = {
  name: 'fifo',
  compare: (_counter, a, b) => fifoTime(a) - fifoTime(b) || a.rankTie - b.rankTie,
  counterIndependent: true,
  lineOrdered: false,
};
function fifoTime(t: TicketRecord): number {
  return t.priority === 'none' ? t.rankAt : t.issuedAt;
}

export const POLICIES: Record<RoutingPolicyName, RoutingPolicy> = {
  'effective-time': effectiveTime,
  'service-order': serviceOrder,
  'strict-priority': strictPriority,
  fifo,
};

/** R1: a counter may call a waiting ticket of a service it serves, or one transferred to it. */
export function mayCall(counter: CounterConfig, t: TicketRecord): boolean {
  if (t.targetCounterId !== null) return t.targetCounterId === counter.id;
  return counter.serviceIds.includes(t.serviceId);
}

/** The lines a counter may call from (R1): its services' lines and its own. */
export function linesOf(counter: CounterConfig): readonly string[] {
  let lines = LINES.get(counter);
  if (!lines) {
    lines = [...counter.serviceIds, `@${counter.id}`];
    LINES.set(counter, lines);
  }
  return lines;
}
/** A counter's lines, found once per counter (the estimates ask for them on every command). */
const LINES = new WeakMap<CounterConfig, readonly string[]>();

/** R4: the ticket a counter calls next, or undefined when none it may call is waiting: the best line head. */
export function pickNext(state: HallState, counter: CounterConfig): TicketRecord | undefined {
  const policy = POLICIES[counter.policy];
  let best: TicketRecord | undefined;
  for (const key of linesOf(counter)) {
    const line = state.lines.get(key);
    if (!line) continue;
    // A line-ordered policy's best ticket of a line is its head; another one looks at every ticket (R7, R8).
    const n = policy.lineOrdered === false ? line.length : Math.min(1, line.length);
    for (let i = 0; i < n; i++) {
      const t = line[i] as TicketRecord;
      if (best === undefined || policy.compare(counter, t, best) < 0) best = t;
    }
  }
  return best;
}

/** The effective time of a ticket as issued or transferred (R2). */
export function baseRank(issuedAt: number, priority: TicketRecord['priority'], headStartMinutes: number): number {
  return priority === 'none' ? issuedAt : issuedAt - headStartMinutes * 60_000;
}
