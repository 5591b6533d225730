/**
 * The hall simulator, in-process:
 *
 *   node --import tsx apps/queue-server/src/sim/cli.ts --plan <file> [--seed N] [--policy X | --compare [--days N] [--candidates] | --predictors [--late M]] [--stretch k] [--events out.csv]
 *
 * --plan     a day plan (YAML or JSON, see plan.ts; e.g. apps/queue-server/halls/day-plans/demo-day.yaml)
 * --seed     the seed of the day's draws (default 1): the same seed gives the same day
 * --policy   every counter uses this routing policy (default: the plan's, else each counter's own)
 * --compare  the same day under every routing policy, one table; with --days N, seeds 1..N pooled (each seed
 *             the same day for every policy), the worst service's p90 pooled and per day; --candidates adds
 *             the study's candidate policies (compare.ts studyCandidates, docs/policies.md), not offered to halls
 * --predictors  every wait predictor (domain/predictors.ts) on seeds 1..N (N = --seed, default 5; a trace plan: once)
 *             scored against the waits, one table; --late M: "late" is more than M minutes beyond the estimate (default 5)
 * --stretch  a trace plan only: the day in slow motion, every gap and duration × k around the day's start
 *             (plan.ts stretchPlan): the same load and queueing decisions, every wait × k (e.g. the bank trace's
 *             3-minute calls at hall scale: --stretch 3; then read --late in the stretched minutes too)
 * --events   writes the event log CSV (time,event,number,service,counter,priority,wait) to this file
 *
 * With --server http://… the same day is driven against a running server over API v1 instead, as a load
 * test at real or scaled speed with a progress bar: load-cli.ts (`npm run simulate:load`) takes over, with
 * its options (--admin-password, --speed, --progress).
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { POLICIES } from '../domain/routing.js';
import { PLAN_OPTIONS, planArgs, planOrExit } from './cli-args.js';
import {
  comparePolicies,
  comparePoliciesOverSeeds,
  formatComparison,
  formatPooledComparison,
  runPlan,
  studyCandidates,
  withCandidates,
} from './compare.js';
import { eventsCsv } from './engine.js';
import { main as loadMain } from './load-cli.js';
import { stretchPlan } from './plan.js';
import { comparePredictors, formatPredictors } from './predictors.js';
import { formatSummary } from './summary.js';

const USAGE =
  'usage: node --import tsx apps/queue-server/src/sim/cli.ts --plan <file> [--seed N] [--policy X | --compare [--days N] [--candidates] | --predictors [--late M]] [--stretch k] [--events out.csv]';

export function main(argv: string[]): number | Promise<number> {
  if (argv.some((a) => a === '--server' || a.startsWith('--server='))) return loadMain(argv);
  const args = planArgs(
    () =>
      parseArgs({
        args: argv,
        options: {
          ...PLAN_OPTIONS,
          compare: { type: 'boolean' },
          predictors: { type: 'boolean' },
          late: { type: 'string' },
          days: { type: 'string' },
          candidates: { type: 'boolean' },
          stretch: { type: 'string' },
          events: { type: 'string' },
        },
        strict: true,
      }),
    USAGE,
  );
  if (typeof args === 'number') return args;
  const { values, seed, policy } = args;
  if ((policy !== undefined ? 1 : 0) + (values.compare ? 1 : 0) + (values.predictors ? 1 : 0) > 1) {
    console.error(`--policy, --compare and --predictors exclude each other\n${USAGE}`);
    return 2;
  }
  const late = Number(values.late ?? '5');
  if (values.predictors && !(late > 0)) {
    console.error(`--late must be a number of minutes > 0, not ${values.late}`);
    return 2;
  }
  const days = values.days === undefined ? null : Number(values.days);
  if (days !== null && !(Number.isInteger(days) && days >= 1)) {
    console.error(`--days must be a whole number ≥ 1, not ${values.days}`);
    return 2;
  }
  if ((days !== null || values.candidates) && !values.compare) {
    console.error(`--days and --candidates go with --compare\n${USAGE}`);
    return 2;
  }
  const stretch = Number(values.stretch ?? '1');
  if (!(stretch > 0) || !Number.isFinite(stretch)) {
    console.error(`--stretch must be a finite number > 0, not ${values.stretch}`);
    return 2;
  }
  const plan = planOrExit(args.file, (p) => (values.stretch === undefined ? p : stretchPlan(p, stretch)));
  if (typeof plan === 'number') return plan;
  const day = `${plan.file}, ${plan.date}${values.stretch === undefined ? '' : ` stretched ×${stretch}`}`;
  const started = performance.now();
  if (values.predictors) {
    const last = values.seed === undefined ? 5 : seed;
    const seeds = Array.from({ length: Math.max(1, last) }, (_, i) => i + 1);
    console.log(`${day}, ${plan.trace ? 'the trace' : `seeds ${seeds.join(', ')}`}\n`);
    console.log(formatPredictors(comparePredictors(plan, seeds, undefined, late)));
  } else if (values.compare && (days !== null || values.candidates)) {
    const seeds = Array.from({ length: days ?? 5 }, (_, i) => i + 1);
    const candidates = values.candidates ? studyCandidates(plan.hall) : [];
    const names = [...Object.keys(POLICIES), ...candidates.map((c) => c.name)];
    const rows = withCandidates(candidates, () => comparePoliciesOverSeeds(plan, seeds, names));
    console.log(`${day}, seeds ${seeds.join(', ')} pooled: every counter on each routing policy (waits in minutes)\n`);
    console.log(formatPooledComparison(rows));
  } else if (values.compare) {
    const rows = comparePolicies(plan, seed);
    console.log(`${day}, seed ${seed}: every counter on each routing policy (waits in minutes)\n`);
    console.log(formatComparison(rows));
  } else {
    const { result, summary } = runPlan(plan, seed, policy);
    console.log(`${day}, seed ${seed}, policy ${policy ?? plan.policy ?? 'per counter'}: ${result.tickets.length} tickets\n`);
    console.log(formatSummary(summary));
    if (values.events) {
      writeFileSync(values.events, eventsCsv(result.events));
      console.log(`\nEvent log: ${values.events} (${result.events.length} rows)`);
    }
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(2)} s)`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  void Promise.resolve(main(process.argv.slice(2))).then((code) => {
    process.exitCode = code;
  });
