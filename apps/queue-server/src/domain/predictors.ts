/**
 * Wait predictors compared by the simulator (issue 6, "Estimated waits"). Each is a pure function of what
 * the server knows when it issues a ticket: the hall, the state, the ticket, the clock, and a small
 * history of recent calls kept OUTSIDE the domain state (`PredictorHistory`, a few ring buffers per
 * service, fed by whoever drives the core: the simulator now, the server if one of these is adopted).
 * All return minutes, unrounded, or null when no counter may call the ticket.
 *
 * - current: the server's formula W4 (`estimateWait`, imported, not copied).
 * - les:     last-to-enter-service: the wait of the last ticket of the same service to be called.
 * - hol:     head-of-line: how long the first ticket waiting in the same line has waited so far.
 * - avg-k:   the mean wait of the last k tickets of the same service to be called.
 * - ql:      queue length: the textbook M/M/c one, (ahead + 1 − idle) ÷ (open counters × service rate), with
 *            `ahead` the own line's tickets before it (R2 order), idle the open counters holding nothing,
 *            and the rate 1 ÷ W3's mean service minutes.
 * - qlp:     ours: queue length, policy-aware and paced by what a counter really spends per ticket. The people
 *            ahead are W2's (every line, by each deciding counter's own policy, so comprehensive windows
 *            count the other services they will call first); each costs its service's mean counter minutes
 *            per ticket (call → the counter free again: walk, service, no-show grace, so more than W3's
 *            start → finish), then as `ql`.
 * - qls:     ours, second: qlp seen from each deciding counter (its own lines and policy), the soonest; the
 *            counters sharing that work weighted by the share of their recent calls it is (see below).
 * - blend:   ours, third: 0.7 × qls + 0.3 × les.
 *
 * History-based predictors (les, avg-k) fall back to `current` until the service has a call today.
 */
import type { CounterConfig } from '@yimen/shared';
import { aheadByLine, decidingCounters, estimateWait, meanServiceMinutes } from './estimate.js';
import type { Hall, HallState, TicketRecord } from './model.js';
import { byEffectiveTime, lineOf, prefixLength } from './model.js';
import { POLICIES } from './routing.js';

/** A fixed-size ring: the last `size` pushed, oldest first. */
export class Ring<T = number> {
  private readonly items: T[] = [];
  private next = 0;
  constructor(readonly size: number) {
    if (!(size >= 1)) throw new Error('Ring size must be ≥ 1');
  }
  push(x: T): void {
    if (this.items.length < this.size) this.items.push(x);
    else {
      this.items[this.next] = x;
      this.next = (this.next + 1) % this.size;
    }
  }
  get length(): number {
    return this.items.length;
  }
  /** The last `k` pushed (all when fewer), newest last. */
  last(k = this.size): T[] {
    const ordered = [...this.items.slice(this.next), ...this.items.slice(0, this.next)];
    return ordered.slice(Math.max(0, ordered.length - k));
  }
}

/** What the predictors remember of the day: per service, the last waits at call and counter minutes per ticket. */
export class PredictorHistory {
  private readonly waits = new Map<string, Ring>();
  private readonly occupancy = new Map<string, Ring>();
  private readonly calls = new Map<string, Ring<string>>();
  constructor(readonly size = 20) {}
  private ring<T>(m: Map<string, Ring<T>>, key: string): Ring<T> {
    let r = m.get(key);
    if (!r) {
      r = new Ring<T>(this.size);
      m.set(key, r);
    }
    return r;
  }
  /** A counter called a ticket of `serviceId` (every call, transferred tickets too). */
  counterCalled(counterId: string, serviceId: string): void {
    this.ring(this.calls, counterId).push(serviceId);
  }
  /**
   * The share of a counter's time given to `services`: of its last calls, the share that were for one of
   * them; before its first call, the share of its services that are among them.
   */
  share(counter: CounterConfig, services: ReadonlySet<string>): number {
    const recent = this.calls.get(counter.id)?.last() ?? [];
    const xs = recent.length > 0 ? recent : counter.serviceIds;
    return xs.length === 0 ? 0 : xs.filter((x) => services.has(x)).length / xs.length;
  }
  /** A ticket of `serviceId` was called after waiting `minutes` since issue (first calls only). */
  called(serviceId: string, minutes: number): void {
    this.ring(this.waits, serviceId).push(minutes);
  }
  /** A counter spent `minutes` on a ticket of `serviceId`, from its call until it could call again. */
  released(serviceId: string, minutes: number): void {
    this.ring(this.occupancy, serviceId).push(minutes);
  }
  /** The last k waits of a service, newest last. */
  lastWaits(serviceId: string, k: number): number[] {
    return this.waits.get(serviceId)?.last(k) ?? [];
  }
  /** Mean counter minutes per ticket of a service, or null before its first release. */
  meanOccupancy(serviceId: string): number | null {
    const xs = this.occupancy.get(serviceId)?.last() ?? [];
    return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
  }
}

export type Predictor = (hall: Hall, state: HallState, t: TicketRecord, now: number, history: PredictorHistory) => number | null;

/** The server's formula, W4. */
export const current: Predictor = (hall, state, t) => estimateWait(hall, state, t).minutes;

/** Last to enter service. */
export const les: Predictor = (hall, state, t, now, history) => {
  const [last] = history.lastWaits(t.serviceId, 1);
  return last ?? current(hall, state, t, now, history);
};

/** Head of line: the current wait of the first other ticket of the ticket's line (0 when it is first). */
export const hol: Predictor = (hall, state, t, now) => {
  if (decidingCounters(hall, state, t).length === 0) return null;
  const head = (state.lines.get(lineOf(t)) ?? []).find((u) => u.id !== t.id);
  return head === undefined || byEffectiveTime(head, t) > 0 ? 0 : Math.max(0, now - head.issuedAt) / 60_000;
};

/** The rolling mean of the last k waits of the service. */
export const rollingAverage =
  (k: number): Predictor =>
  (hall, state, t, now, history) => {
    const xs = history.lastWaits(t.serviceId, k);
    return xs.length === 0 ? current(hall, state, t, now, history) : xs.reduce((a, b) => a + b, 0) / xs.length;
  };

/** Open deciding counters (else all of them, as W4) and the open ones holding no ticket. */
function capacity(state: HallState, counters: readonly CounterConfig[]): { c: number; idle: number } {
  let open = 0;
  let idle = 0;
  for (const k of counters) {
    const r = state.counters.get(k.id);
    if (r?.state !== 'open') continue;
    open++;
    if (r.currentTicketId === null) idle++;
  }
  return { c: open > 0 ? open : counters.length, idle };
}

/** (n + 1 − idle) services of `perTicket` minutes shared by c counters, n the people ahead; 0 when an idle counter takes it. */
function queueing(ahead: number, idle: number, c: number, perTicket: number): number {
  const n = ahead + 1 - idle;
  return n <= 0 ? 0 : (n * perTicket) / c;
}

/** Queue length: own line ahead, open counters serving it, the service's mean service time (W3). */
export const ql: Predictor = (hall, state, t) => {
  const counters = decidingCounters(hall, state, t);
  if (counters.length === 0) return null;
  const line = state.lines.get(lineOf(t)) ?? [];
  const ahead = prefixLength(line, (u) => u.id !== t.id && byEffectiveTime(u, t) < 0);
  const { c, idle } = capacity(state, counters);
  return queueing(ahead, idle, c, meanServiceMinutes(hall, state, t.serviceId));
};

/** Ours: W2's policy-aware people ahead, each costing its service's counter minutes per ticket. */
export const qlp: Predictor = (hall, state, t, _now, history) => {
  const counters = decidingCounters(hall, state, t);
  if (counters.length === 0) return null;
  const perTicket = (serviceId: string) => history.meanOccupancy(serviceId) ?? meanServiceMinutes(hall, state, serviceId);
  let ahead = 0;
  let work = 0;
  for (const [key, { line, ahead: n }] of aheadByLine(state, t, counters)) {
    ahead += n;
    if (!key.startsWith('@')) work += n * perTicket(key);
    else for (let i = 0; i < n; i++) work += perTicket((line[i] as TicketRecord).serviceId);
  }
  const { c, idle } = capacity(state, counters);
  const mean = ahead > 0 ? work / ahead : perTicket(t.serviceId);
  return queueing(ahead, idle, c, mean);
};

/**
 * Ours, second: qlp seen from each deciding counter in turn, and the soonest. A counter d calls `t` after the
 * tickets IT would call first (its own lines, its own policy); the counters eating into that work are every
 * open counter: in full when it calls those tickets in the same order (the same counter-independent policy,
 * and it serves every service of that work and of `t`), else weighted by the share of its recent calls that
 * were for those services. The estimate is the least over the deciding counters. So a consultation that a
 * comprehensive window would call after every 综合 ticket, but the consultation window calls next, gets the
 * latter's wait.
 */
export const qls: Predictor = (hall, state, t, now, history) => {
  const counters = decidingCounters(hall, state, t);
  if (counters.length === 0) return null;
  const perTicket = (serviceId: string) => history.meanOccupancy(serviceId) ?? meanServiceMinutes(hall, state, serviceId);
  let best = Number.POSITIVE_INFINITY;
  for (const d of counters) {
    const rd = state.counters.get(d.id);
    if (rd?.state !== 'open') continue;
    const services = new Set([t.serviceId]);
    let ahead = 0;
    let work = 0;
    for (const [key, { line, ahead: n }] of aheadByLine(state, t, [d])) {
      ahead += n;
      if (n > 0 && !key.startsWith('@')) services.add(key);
      if (!key.startsWith('@')) work += n * perTicket(key);
      else
        for (let i = 0; i < n; i++) {
          const sid = (line[i] as TicketRecord).serviceId;
          services.add(sid);
          work += perTicket(sid);
        }
    }
    let cap = 1;
    const pooled = POLICIES[d.policy].counterIndependent;
    for (const e of hall.config.counters) {
      if (e.id === d.id || state.counters.get(e.id)?.state !== 'open') continue;
      const same = pooled && e.policy === d.policy && [...services].every((sid) => e.serviceIds.includes(sid));
      cap += same ? 1 : history.share(e, services);
    }
    const mean = ahead > 0 ? work / ahead : perTicket(t.serviceId);
    best = Math.min(best, queueing(ahead, rd.currentTicketId === null ? 1 : 0, cap, mean));
  }
  return Number.isFinite(best) ? best : qlp(hall, state, t, now, history);
};

/**
 * Ours, third: 0.7 × qls + 0.3 × les. The queue's state and the last measured wait err differently (qls
 * misses the pauses and priority arrivals to come, les lags the queue). The weight was picked by hand from a
 * few tries (0.7–0.9) on the demo day, not fitted.
 */
export const blend: Predictor = (hall, state, t, now, history) => {
  const a = qls(hall, state, t, now, history);
  const b = les(hall, state, t, now, history);
  return a === null || b === null ? null : 0.7 * a + 0.3 * b;
};

/** Every predictor compared, by name, in the order of the table. */
export const PREDICTORS: Readonly<Record<string, Predictor>> = {
  current,
  les,
  hol,
  'avg-5': rollingAverage(5),
  'avg-10': rollingAverage(10),
  'avg-20': rollingAverage(20),
  ql,
  qlp,
  qls,
  blend,
};
