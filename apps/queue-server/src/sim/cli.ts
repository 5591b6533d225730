/**
 * The hall simulator, in-process:
 *
 *   node --import tsx apps/queue-server/src/sim/cli.ts --plan <file> [--seed N] [--policy X | --compare | --predictors] [--events out.csv]
 *
 * --plan     a day plan (YAML or JSON, see plan.ts; e.g. apps/queue-server/halls/day-plans/demo-day.yaml)
 * --seed     the seed of the day's draws (default 1): the same seed gives the same day
 * --policy   every counter uses this routing policy (default: the plan's, else each counter's own)
 * --compare  the same day under every routing policy, one table
 * --predictors  every wait predictor (domain/predictors.ts) on seeds 1..N (N = --seed, default 5; a trace plan: once)
 *             scored against the waits, one table; --late M: "late" is more than M minutes beyond the estimate (default 5)
 * --events   writes the event log CSV (time,event,number,service,counter,priority,wait) to this file
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { RoutingPolicyName } from '@yimen/shared';
import { POLICIES } from '../domain/routing.js';
import { comparePolicies, formatComparison, runPlan } from './compare.js';
import { eventsCsv } from './engine.js';
import { loadPlan, PlanError } from './plan.js';
import { comparePredictors, formatPredictors } from './predictors.js';
import { formatSummary } from './summary.js';

const USAGE =
  'usage: node --import tsx apps/queue-server/src/sim/cli.ts --plan <file> [--seed N] [--policy X | --compare | --predictors] [--events out.csv]';

export function main(argv: string[]): number {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values } = args;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.plan) {
    console.error(`--plan is required\n${USAGE}`);
    return 2;
  }
  const seed = Number(values.seed ?? '1');
  if (!Number.isInteger(seed) || seed < 0) {
    console.error(`--seed must be a whole number ≥ 0, not ${values.seed}`);
    return 2;
  }
  const policy = values.policy as RoutingPolicyName | undefined;
  if (policy !== undefined && !Object.hasOwn(POLICIES, policy)) {
    console.error(`--policy must be one of ${Object.keys(POLICIES).join(', ')}, not ${policy}`);
    return 2;
  }
  if ((policy !== undefined ? 1 : 0) + (values.compare ? 1 : 0) + (values.predictors ? 1 : 0) > 1) {
    console.error(`--policy, --compare and --predictors exclude each other\n${USAGE}`);
    return 2;
  }
  let plan: ReturnType<typeof loadPlan>;
  try {
    plan = loadPlan(values.plan);
  } catch (e) {
    if (e instanceof PlanError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
  const started = performance.now();
  if (values.predictors) {
    const last = values.seed === undefined ? 5 : seed;
    const seeds = Array.from({ length: Math.max(1, last) }, (_, i) => i + 1);
    console.log(`${plan.file}, ${plan.date}, ${plan.trace ? 'the trace' : `seeds ${seeds.join(', ')}`}\n`);
    const late = Number(values.late ?? '5');
    if (!(late > 0)) {
      console.error(`--late must be a number of minutes > 0, not ${values.late}`);
      return 2;
    }
    console.log(formatPredictors(comparePredictors(plan, seeds, undefined, late)));
  } else if (values.compare) {
    const rows = comparePolicies(plan, seed);
    console.log(`${plan.file}, ${plan.date}, seed ${seed}: every counter on each routing policy (waits in minutes)\n`);
    console.log(formatComparison(rows));
  } else {
    const { result, summary } = runPlan(plan, seed, policy);
    console.log(
      `${plan.file}, ${plan.date}, seed ${seed}, policy ${policy ?? plan.policy ?? 'per counter'}: ${result.tickets.length} tickets\n`,
    );
    console.log(formatSummary(summary));
    if (values.events) {
      writeFileSync(values.events, eventsCsv(result.events));
      console.log(`\nEvent log: ${values.events} (${result.events.length} rows)`);
    }
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(2)} s)`);
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      plan: { type: 'string' },
      seed: { type: 'string' },
      policy: { type: 'string' },
      compare: { type: 'boolean' },
      predictors: { type: 'boolean' },
      late: { type: 'string' },
      events: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
