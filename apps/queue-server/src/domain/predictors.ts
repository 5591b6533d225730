/**
 * Wait predictors compared by the simulator (issue 6, "Estimated waits"). Each is a pure function of what
 * the server knows when it issues a ticket: the hall, the state, the ticket, the clock, and a small
 * history of recent calls kept OUTSIDE the domain state (`PredictorHistory`, history.ts, a few ring buffers
 * per service and counter, fed by whoever drives the core: the server and the simulator, by the same `learn`).
 * All return minutes, unrounded, or null when no counter may call the ticket (but `current` and `w4`, which
 * round as the server does).
 *
 * - current: what the server says: W4 (`estimateWait`, imported, not copied), since issue 6 the `qls` rule
 *            rounded to whole minutes.
 * - w4:      the server's formula before issue 6, kept for the comparison: Σ over W2's people ahead of their
 *            service's mean service minutes ÷ the open deciding counters (all of them when none is open),
 *            rounded.
 * - les:     last-to-enter-service: the wait of the last ticket of the same service to be called.
 * - hol:     head-of-line: how long the first ticket waiting in the same line has waited so far.
 * - avg-k:   the mean wait of the last k tickets of the same service to be called.
 * - ql:      queue length: the textbook M/M/c one, (ahead + 1 − idle) ÷ (open counters × service rate), with
 *            `ahead` the own line's tickets before it (R2 order), idle the open counters holding nothing,
 *            and the rate 1 ÷ W3's mean service minutes.
 * - qlp:     ours (`pooledWait` of estimate.ts): queue length, policy-aware and paced by what a counter really spends per ticket. The people
 *            ahead are W2's (every line, by each deciding counter's own policy, so comprehensive windows
 *            count the other services they will call first); each costs its service's mean counter minutes
 *            per ticket (call → the counter free again: walk, service, no-show grace, so more than W3's
 *            start → finish), then as `ql`.
 * - qls:     ours, second, the server's W4 since issue 6 (`soonestWait` of estimate.ts): qlp seen from each deciding counter (its own lines and policy), the soonest; the
 *            counters sharing that work weighted by the share of their recent calls it is (see below).
 * - blend:   ours, third: 0.7 × qls + 0.3 × les.
 *
 * History-based predictors (les, avg-k) fall back to `w4` until the service has a call today (so their
 * figures did not move when the server's rule changed).
 */
import {
  aheadByLine,
  capacity,
  decidingCounters,
  estimateWait,
  meanServiceMinutes,
  pooledWait,
  queueing,
  soonestWait,
} from './estimate.js';
import type { PredictorHistory } from './history.js';
import type { Hall, HallState, TicketRecord } from './model.js';
import { byEffectiveTime, lineOf, prefixLength } from './model.js';

export { learn, PredictorHistory, Ring, rebuildHistory } from './history.js';

export type Predictor = (hall: Hall, state: HallState, t: TicketRecord, now: number, history: PredictorHistory) => number | null;

/** What the server says: W4 (since issue 6, `qls` rounded to whole minutes). */
export const current: Predictor = (hall, state, t, _now, history) => estimateWait(hall, state, t, history).minutes;

/** The server's formula before issue 6: W2's people ahead at their mean service minutes, over the open deciding counters. */
export const w4: Predictor = (hall, state, t) => {
  const counters = decidingCounters(hall, state, t);
  if (counters.length === 0) return null;
  const open = counters.filter((c) => state.counters.get(c.id)?.state === 'open').length;
  let work = 0;
  for (const [key, { line, ahead }] of aheadByLine(state, t, counters)) {
    if (!key.startsWith('@')) work += ahead * meanServiceMinutes(hall, state, key);
    else for (let i = 0; i < ahead; i++) work += meanServiceMinutes(hall, state, (line[i] as TicketRecord).serviceId);
  }
  return Math.round(work / (open > 0 ? open : counters.length));
};

/** Last to enter service. */
export const les: Predictor = (hall, state, t, now, history) => {
  const [last] = history.lastWaits(t.serviceId, 1);
  return last ?? w4(hall, state, t, now, history);
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
    return xs.length === 0 ? w4(hall, state, t, now, history) : xs.reduce((a, b) => a + b, 0) / xs.length;
  };

/** Queue length: own line ahead, open counters serving it, the service's mean service time (W3). */
export const ql: Predictor = (hall, state, t) => {
  const counters = decidingCounters(hall, state, t);
  if (counters.length === 0) return null;
  const line = state.lines.get(lineOf(t)) ?? [];
  const ahead = prefixLength(line, (u) => u.id !== t.id && byEffectiveTime(u, t) < 0);
  const { c, idle } = capacity(state, counters);
  return queueing(ahead, idle, c, meanServiceMinutes(hall, state, t.serviceId));
};

/** Ours: W2's policy-aware people ahead, each costing its service's counter minutes per ticket (W3). */
export const qlp: Predictor = (hall, state, t, _now, history) => pooledWait(hall, state, t, history);

/**
 * Ours, second, the server's W4 since issue 6: qlp seen from each deciding counter in turn, and the soonest.
 * A counter d calls `t` after the tickets IT would call first (its own lines, its own policy); the counters
 * eating into that work are every open counter: in full when it calls those tickets in the same order (the
 * same counter-independent policy, and it serves every service of that work and of `t`), else weighted by
 * the share of its recent calls that were for those services. The estimate is the least over the deciding
 * counters. So a consultation that a comprehensive window would call after every 综合 ticket, but the
 * consultation window calls next, gets the latter's wait.
 */
export const qls: Predictor = (hall, state, t, _now, history) => soonestWait(hall, state, t, history);

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
  w4,
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
