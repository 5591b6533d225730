/**
 * Wait predictors compared (issue 6): the same simulated days (plan and seeds) run once, every predictor of
 * domain/predictors.ts recorded at each ticket's issue, and scored against the wait the ticket then had
 * (issue → first call, as summary.ts): MAE, RMSE, RASE = MSE ÷ (mean wait)², and the share that waited more
 * than 5 minutes beyond the estimate. The targets: MSE ≤ 0.7 × the best rolling average's and
 * ≤ 0.8 × LES's.
 */
import type { Predictor } from '../domain/predictors.js';
import { PREDICTORS } from '../domain/predictors.js';
import type { SimTicket } from './engine.js';
import { planInput, simulate } from './engine.js';
import type { ResolvedPlan } from './plan.js';
import type { EstimateStats } from './summary.js';
import { estimateStats, table } from './summary.js';

/** One day of a plan with the predictors recorded: its tickets (each with `estimates`). */
export function predictorDay(
  plan: ResolvedPlan,
  seed: number,
  predictors: Readonly<Record<string, Predictor>> = PREDICTORS,
): SimTicket[] {
  return simulate(planInput(plan, seed, { predictors })).tickets;
}

export interface PredictorScores {
  /** What the scores are of: a seed, or "pooled". */
  label: string;
  /** Per predictor name. */
  stats: Record<string, EstimateStats>;
}

/** Each predictor's errors on these tickets. */
export function scorePredictors(
  label: string,
  tickets: readonly SimTicket[],
  names: readonly string[],
  lateMinutes = 5,
): PredictorScores {
  const stats: Record<string, EstimateStats> = {};
  for (const name of names) stats[name] = estimateStats(tickets, (t) => t.estimates?.[name], lateMinutes);
  return { label, stats };
}

export interface PredictorComparison {
  names: string[];
  /** "Late": waited more than this beyond the estimate (5 minutes; less on a trace of short services). */
  lateMinutes: number;
  /** One per seed, then the pooled tickets of every seed. */
  days: PredictorScores[];
}

/** The plan on each seed (a trace plan: once), every predictor scored per day and pooled. */
export function comparePredictors(
  plan: ResolvedPlan,
  seeds: readonly number[],
  predictors: Readonly<Record<string, Predictor>> = PREDICTORS,
  lateMinutes = 5,
): PredictorComparison {
  const names = Object.keys(predictors);
  const all: SimTicket[] = [];
  const days: PredictorScores[] = [];
  for (const seed of plan.trace ? [0] : seeds) {
    const tickets = predictorDay(plan, seed, predictors);
    all.push(...tickets);
    days.push(scorePredictors(plan.trace ? 'trace' : `seed ${seed}`, tickets, names, lateMinutes));
  }
  if (days.length > 1) days.push(scorePredictors('pooled', all, names, lateMinutes));
  return { names, lateMinutes, days };
}

const mse = (s: EstimateStats | undefined) => (s ? s.rmse ** 2 : Number.NaN);

/** MSE ratios to the baselines: the best rolling average (names `avg-…`) and LES. */
export function targetRatios(scores: PredictorScores): Record<string, { toBestAverage: number; toLes: number }> {
  const averages = Object.keys(scores.stats).filter((n) => n.startsWith('avg-'));
  const bestAverage = Math.min(...averages.map((n) => mse(scores.stats[n])));
  const lesMse = mse(scores.stats.les);
  const out: Record<string, { toBestAverage: number; toLes: number }> = {};
  for (const [name, s] of Object.entries(scores.stats))
    out[name] = { toBestAverage: mse(s) / bestAverage, toLes: mse(s) / lesMse };
  return out;
}

/** Meets both targets: MSE ≤ 0.7 × the best rolling average's and ≤ 0.8 × LES's. */
export function meetsTargets(r: { toBestAverage: number; toLes: number }): boolean {
  return r.toBestAverage <= 0.7 && r.toLes <= 0.8;
}

const f2 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(2));
const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)}%`);

/** One table: each predictor's errors on the last day (the pooled one), its target ratios, and RMSE per day. */
export function formatPredictors(cmp: PredictorComparison): string {
  const main = cmp.days[cmp.days.length - 1] as PredictorScores;
  const perDay = cmp.days.length > 1 ? cmp.days.slice(0, -1) : [];
  const ratios = targetRatios(main);
  const n = main.stats[cmp.names[0] as string]?.n ?? 0;
  return [
    `Estimated waits at issue vs the wait (${main.label}, ${n} called tickets; minutes)`,
    table([
      [
        'predictor',
        'MAE',
        'RMSE',
        'RASE',
        `late >${Number(cmp.lateMinutes.toFixed(2))}`,
        'MSE/best avg',
        'MSE/LES',
        'targets',
        ...perDay.map((d) => `RMSE ${d.label}`),
      ],
      ...cmp.names.map((name) => {
        const s = main.stats[name] as EstimateStats;
        const r = ratios[name] as { toBestAverage: number; toLes: number };
        return [
          name,
          f2(s.mae),
          f2(s.rmse),
          f2(s.rase),
          pct(s.late5),
          f2(r.toBestAverage),
          f2(r.toLes),
          meetsTargets(r) ? 'met' : '–',
          ...perDay.map((d) => f2((d.stats[name] as EstimateStats).rmse)),
        ];
      }),
    ]),
  ].join('\n');
}
