/**
 * Routing policies compared: the same day (same plan, same seed, so the same citizens) run once per
 * policy, every counter set to it. The policies are the server's own (domain/routing.ts POLICIES), and
 * for the study of docs/policies.md a few candidates the server does not offer (`studyCandidates`).
 */
import type { HallConfig, RoutingPolicyName } from '@yimen/shared';
import type { TicketRecord } from '../domain/model.js';
import type { RoutingPolicy } from '../domain/routing.js';
import { POLICIES } from '../domain/routing.js';
import type { SimResult } from './engine.js';
import { planInput, simulate } from './engine.js';
import type { ResolvedPlan } from './plan.js';
import type { Summary } from './summary.js';
import { MIN_TICKETS_FOR_WORST, summarize, table } from './summary.js';

/** One day of a plan under a policy (absent: the plan's, else each counter's own). */
export function runPlan(plan: ResolvedPlan, seed: number, policy?: RoutingPolicyName): { result: SimResult; summary: Summary } {
  const result = simulate(planInput(plan, seed, { policy: policy ?? plan.policy }));
  return { result, summary: summarize(plan.hall, result) };
}

export interface PolicyRow {
  policy: RoutingPolicyName;
  summary: Summary;
}

/** Every policy the server knows, on the same day and seed. */
export function comparePolicies(
  plan: ResolvedPlan,
  seed: number,
  policies: readonly RoutingPolicyName[] = Object.keys(POLICIES) as RoutingPolicyName[],
): PolicyRow[] {
  return policies.map((policy) => {
    if (!POLICIES[policy]) throw new Error(`unknown policy ${policy}`);
    return { policy, summary: runPlan(plan, seed, policy).summary };
  });
}

/** A policy over several days: the days pooled into one summary, and each day's own. */
export interface PooledRow {
  policy: string;
  /** Every day's tickets in one summary: per-service percentiles over all the days' tickets. */
  pooled: Summary;
  days: Summary[];
}

/** The days of several seeds as one: their tickets and counter days together, refusals added up. */
export function poolResults(results: readonly SimResult[]): SimResult {
  const refused: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.refused)) refused[k] = (refused[k] ?? 0) + v;
  return {
    events: [],
    tickets: results.flatMap((r) => r.tickets),
    refused,
    counters: results.flatMap((r) => r.counters),
    end: Math.max(0, ...results.map((r) => r.end)),
  };
}

/** Every policy (default: the server's) on the same seeds, each seed the same day for all of them. */
export function comparePoliciesOverSeeds(
  plan: ResolvedPlan,
  seeds: readonly number[],
  policies: readonly string[] = Object.keys(POLICIES),
): PooledRow[] {
  return policies.map((policy) => {
    if (!Object.hasOwn(POLICIES, policy)) throw new Error(`unknown policy ${policy}`);
    const runs = seeds.map((seed) => runPlan(plan, seed, policy as RoutingPolicyName));
    return {
      policy,
      pooled: summarize(plan.hall, poolResults(runs.map((r) => r.result))),
      days: runs.map((r) => r.summary),
    };
  });
}

/** A policy of the study: like the server's, under a name no hall can give a counter. */
export type Candidate = Omit<RoutingPolicy, 'name'> & { name: string };

/**
 * Candidate policies of the study (docs/policies.md), not offered to halls. Both are time-invariant (the
 * order of two waiting tickets never changes, as R6 and W2 need):
 * - `head-start-H`: R2 with a head start of H minutes instead of the hall's: the only time-invariant form
 *   of accumulating priority (a priority ticket's claim growing faster than an ordinary one's changes the
 *   order of two tickets over time, unless the difference is a constant);
 * - `due-k`: earliest due time first, the due time being R2's time plus k × the service's
 *   `defaultServiceMinutes` (a target wait in proportion to the service's length): the time-invariant form
 *   of "the largest wait ÷ target wait first".
 */
export function studyCandidates(hall: HallConfig): Candidate[] {
  const minutes = new Map(hall.services.map((s) => [s.id, s.defaultServiceMinutes]));
  const byKey =
    (key: (t: TicketRecord) => number): RoutingPolicy['compare'] =>
    (_c, a, b) =>
      key(a) - key(b) || a.rankTie - b.rankTie;
  const headStart = (h: number): Candidate => ({
    name: `head-start-${h}`,
    compare: byKey((t) => (t.priority === 'none' ? t.rankAt : t.issuedAt - h * 60_000)),
    counterIndependent: true,
    lineOrdered: false,
  });
  const due = (k: number): Candidate => ({
    name: `due-${k}`,
    compare: byKey((t) => t.rankAt + k * (minutes.get(t.serviceId) ?? 8) * 60_000),
    counterIndependent: true,
    lineOrdered: false,
    readsTicketService: true,
  });
  return [headStart(5), headStart(30), due(1), due(2)];
}

/**
 * Runs `fn` with the candidates known to the routing core by name (the simulator sets every counter's
 * policy by name), and removes them again. For the study only: a hall cannot name them.
 */
export function withCandidates<T>(candidates: readonly Candidate[], fn: () => T): T {
  const registry = POLICIES as Record<string, Candidate>;
  for (const c of candidates) if (Object.hasOwn(registry, c.name)) throw new Error(`policy ${c.name} exists`);
  for (const c of candidates) registry[c.name] = c;
  try {
    return fn();
  } finally {
    for (const c of candidates) delete registry[c.name];
  }
}

const f1 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(1));
const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(0)}%`);

/** The pooled comparison: waits over all the days, the worst service's p90 pooled and per day. */
export function formatPooledComparison(rows: readonly PooledRow[]): string {
  const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return table([
    [
      'policy',
      'mean',
      'p50',
      'p90',
      'p95',
      `worst service p90 (≥${MIN_TICKETS_FOR_WORST})`,
      'worst p90 by day',
      'their mean',
      'priority mean',
      'priority p90',
      '≤15 min',
    ],
    ...rows.map(({ policy, pooled: s, days }) => {
      const worst = days.map((d) => d.worstP90?.p90 ?? Number.NaN);
      return [
        policy,
        f1(s.all.mean),
        f1(s.all.p50),
        f1(s.all.p90),
        f1(s.all.p95),
        s.worstP90 ? `${f1(s.worstP90.p90)} ${s.worstP90.serviceId}` : '–',
        worst.map((x) => x.toFixed(0)).join(' '),
        f1(meanOf(worst)),
        f1(s.priority.mean),
        f1(s.priority.p90),
        pct(s.all.within15),
      ];
    }),
  ]);
}

export function formatComparison(rows: readonly PolicyRow[]): string {
  return table([
    [
      'policy',
      'mean',
      'p90',
      `worst service p90 (≥${MIN_TICKETS_FOR_WORST})`,
      'priority mean',
      'priority p90',
      '≤15 min',
      'unserved',
      'estimate MAE',
      'late >5',
    ],
    ...rows.map(({ policy, summary: s }) => [
      policy,
      f1(s.all.mean),
      f1(s.all.p90),
      s.worstP90 ? `${f1(s.worstP90.p90)} ${s.worstP90.serviceId}` : '–',
      f1(s.priority.mean),
      f1(s.priority.p90),
      pct(s.all.within15),
      String(s.all.unserved),
      f1(s.estimate.mae),
      pct(s.estimate.late5),
    ]),
  ]);
}
