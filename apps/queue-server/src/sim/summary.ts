/**
 * The summary of a simulated day: waits per service and for priority tickets, the share called within
 * 15 minutes, counter utilisation, and the error of the server's own estimate (W4) against the wait each
 * ticket then had.
 *
 * Definitions (the hand computations in the tests follow them):
 * - a ticket's wait: its first call less its issue, minutes (a transferred ticket's second wait is not
 *   counted); only called tickets have one (no-shows included: they were called);
 * - percentiles: nearest rank, the ⌈p·n⌉-th smallest;
 * - within 15: the share of called tickets whose wait is at most 15 minutes;
 * - utilisation: seconds holding a ticket ÷ seconds open (a pause or close waits for the current ticket);
 * - estimate error e = wait − estimate: MAE = mean |e|, RMSE = √(mean e²), RASE = mean e² ÷ (mean wait)²,
 *   late = share of e > 5 minutes.
 */
import type { HallConfig } from '@yimen/shared';
import type { SimResult, SimTicket } from './engine.js';

export interface WaitStats {
  tickets: number;
  called: number;
  served: number;
  noShows: number;
  /** Never called (the day ended first). */
  unserved: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  within15: number;
}

export interface EstimateStats {
  n: number;
  mae: number;
  rmse: number;
  rase: number;
  late5: number;
}

export interface Summary {
  all: WaitStats;
  priority: WaitStats;
  services: ({ serviceId: string; name: string } & WaitStats)[];
  counters: { id: string; utilisation: number; tickets: number; openHours: number }[];
  /** Total busy ÷ total open over the staffed counters. */
  utilisation: number;
  estimate: EstimateStats;
  refused: Record<string, number>;
  /** The worst p90 among services with at least `minTicketsForWorst` called tickets. */
  worstP90: { serviceId: string; p90: number } | null;
}

export const MIN_TICKETS_FOR_WORST = 10;

/** Nearest-rank percentile of an ascending list: the ⌈p·n⌉-th smallest; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}

const waitOf = (t: SimTicket) => (t.calledAt === null ? null : (t.calledAt - t.issuedAt) / 60);

export function waitStats(tickets: readonly SimTicket[]): WaitStats {
  const waits = tickets
    .map(waitOf)
    .filter((w): w is number => w !== null)
    .sort((a, b) => a - b);
  const n = waits.length;
  return {
    tickets: tickets.length,
    called: n,
    served: tickets.filter((t) => t.outcome === 'done').length,
    noShows: tickets.filter((t) => t.outcome === 'no-show').length,
    unserved: tickets.filter((t) => t.calledAt === null).length,
    mean: n === 0 ? Number.NaN : waits.reduce((a, b) => a + b, 0) / n,
    p50: percentile(waits, 0.5),
    p90: percentile(waits, 0.9),
    p95: percentile(waits, 0.95),
    within15: n === 0 ? Number.NaN : waits.filter((w) => w <= 15).length / n,
  };
}

/** The errors of an estimate at issue (default: the server's, W4) against the waits; late: more than `lateMinutes` beyond it. */
export function estimateStats(
  tickets: readonly SimTicket[],
  estimateOf: (t: SimTicket) => number | null | undefined = (t) => t.estimateMinutes,
  lateMinutes = 5,
): EstimateStats {
  const pairs = tickets
    .map((t) => ({ w: waitOf(t), e: estimateOf(t) ?? null }))
    .filter((x): x is { w: number; e: number } => x.w !== null && x.e !== null);
  const n = pairs.length;
  if (n === 0) return { n, mae: Number.NaN, rmse: Number.NaN, rase: Number.NaN, late5: Number.NaN };
  const errs = pairs.map((x) => x.w - x.e);
  const mse = errs.reduce((a, e) => a + e * e, 0) / n;
  const meanWait = pairs.reduce((a, x) => a + x.w, 0) / n;
  return {
    n,
    mae: errs.reduce((a, e) => a + Math.abs(e), 0) / n,
    rmse: Math.sqrt(mse),
    rase: meanWait > 0 ? mse / meanWait ** 2 : Number.NaN,
    late5: errs.filter((e) => e > lateMinutes).length / n,
  };
}

export function summarize(hall: HallConfig, result: SimResult): Summary {
  const byService = new Map<string, SimTicket[]>();
  for (const t of result.tickets) {
    let list = byService.get(t.serviceId);
    if (!list) {
      list = [];
      byService.set(t.serviceId, list);
    }
    list.push(t);
  }
  const services = hall.services
    .filter((s) => byService.has(s.id))
    .map((s) => ({ serviceId: s.id, name: s.name, ...waitStats(byService.get(s.id) ?? []) }));
  let worstP90: Summary['worstP90'] = null;
  for (const s of services)
    if (s.called >= MIN_TICKETS_FOR_WORST && (worstP90 === null || s.p90 > worstP90.p90))
      worstP90 = { serviceId: s.serviceId, p90: s.p90 };
  const open = result.counters.reduce((a, c) => a + c.openSeconds, 0);
  const busy = result.counters.reduce((a, c) => a + c.busySeconds, 0);
  return {
    all: waitStats(result.tickets),
    priority: waitStats(result.tickets.filter((t) => t.priority !== 'none')),
    services,
    counters: result.counters.map((c) => ({
      id: c.id,
      utilisation: c.openSeconds > 0 ? c.busySeconds / c.openSeconds : Number.NaN,
      tickets: c.tickets,
      openHours: c.openSeconds / 3600,
    })),
    utilisation: open > 0 ? busy / open : Number.NaN,
    estimate: estimateStats(result.tickets),
    refused: result.refused,
    worstP90,
  };
}

// ---------------------------------------------------------------- printing

const f1 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(1));
const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(0)}%`);

/** A plain-text table: the first row is the header; numbers right-aligned. */
export function table(rows: string[][]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...cell].length));
        return i === 0 ? cell + pad : pad + cell;
      })
      .join('  ');
  return [line(rows[0] ?? []), ...rows.slice(1).map(line)].join('\n');
}

const statsRow = (label: string, s: WaitStats) => [
  label,
  String(s.tickets),
  String(s.served),
  String(s.noShows),
  String(s.unserved),
  f1(s.mean),
  f1(s.p50),
  f1(s.p90),
  f1(s.p95),
  pct(s.within15),
];

/** The summary as text: waits per service, all and priority; utilisation; estimate errors. */
export function formatSummary(s: Summary): string {
  const head = ['service', 'tickets', 'served', 'no-show', 'unserved', 'mean', 'p50', 'p90', 'p95', '≤15 min'];
  const rows = [
    head,
    ...s.services.map((x) => statsRow(x.serviceId, x)),
    statsRow('ALL', s.all),
    statsRow('PRIORITY', s.priority),
  ];
  const e = s.estimate;
  const refused = Object.entries(s.refused);
  return [
    'Waits (minutes, issue → first call)',
    table(rows),
    '',
    `Counter utilisation: ${pct(s.utilisation)} overall; ${s.counters.map((c) => `${c.id} ${pct(c.utilisation)}`).join(', ')}`,
    `Worst service p90 (≥ ${MIN_TICKETS_FOR_WORST} called): ${s.worstP90 ? `${s.worstP90.serviceId} ${f1(s.worstP90.p90)} min` : '–'}`,
    `Server estimate at issue (W4) vs wait, ${e.n} tickets: MAE ${f1(e.mae)} min, RMSE ${f1(e.rmse)} min, RASE ${e.rase.toFixed(2)}, late > 5 min ${pct(e.late5)}`,
    refused.length > 0 ? `Refused at issue: ${refused.map(([k, v]) => `${k} ${v}`).join(', ')}` : 'Refused at issue: none',
  ].join('\n');
}
