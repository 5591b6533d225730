/**
 * Routing policies compared: the same day (same plan, same seed, so the same citizens) run once per
 * policy, every counter set to it. The policies are the server's own (domain/routing.ts POLICIES).
 */
import type { RoutingPolicyName } from '@yimen/shared';
import { POLICIES } from '../domain/routing.js';
import type { SimResult } from './engine.js';
import { simulate } from './engine.js';
import type { ResolvedPlan } from './plan.js';
import { drawArrivals } from './plan.js';
import type { Summary } from './summary.js';
import { MIN_TICKETS_FOR_WORST, summarize, table } from './summary.js';

/** One day of a plan under a policy (absent: the plan's, else each counter's own). */
export function runPlan(plan: ResolvedPlan, seed: number, policy?: RoutingPolicyName): { result: SimResult; summary: Summary } {
  const result = simulate({
    hall: plan.hall,
    date: plan.date,
    arrivals: drawArrivals(plan, seed),
    schedule: plan.schedule,
    reactionSeconds: plan.reactionSeconds,
    walkSeconds: plan.walkSeconds,
    noShowGraceSeconds: plan.noShowGraceSeconds,
    drain: plan.drain,
    enforceHours: plan.enforceHours,
    policy: policy ?? plan.policy,
  });
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

const f1 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(1));
const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(0)}%`);

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
