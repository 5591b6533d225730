/**
 * The reform's what-if and the staffing per hour, in-process:
 *
 *   node --conditions=source --import tsx apps/queue-server/src/sim/whatif-cli.ts --plan <file> [--seed N] [--policy X]
 *
 * --plan    a day plan (YAML or JSON, see plan.ts; e.g. apps/queue-server/halls/day-plans/demo-day.yaml)
 * --seed    the seed of the day's draws (default 1): the same seed gives the same citizens
 * --policy  the routing policy of every counter (default: the plan's, else effective-time)
 *
 * Prints: the same day with the hall as configured, dedicated windows and comprehensive windows (whatif.ts);
 * then per hour the windows Erlang C needs for 80 % within 15 minutes, checked by simulation (staffing.ts).
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PLAN_OPTIONS, planArgs, planOrExit } from './cli-args.js';
import { formatStaffing, staffing, TARGET_LEVEL, TARGET_MINUTES } from './staffing.js';
import { formatWhatIf, whatIf } from './whatif.js';

const USAGE =
  'usage: node --conditions=source --import tsx apps/queue-server/src/sim/whatif-cli.ts --plan <file> [--seed N] [--policy X]';

export function main(argv: string[]): number {
  const args = planArgs(() => parseArgs({ args: argv, options: PLAN_OPTIONS, strict: true }), USAGE);
  if (typeof args === 'number') return args;
  const { seed, policy } = args;
  const plan = planOrExit(args.file);
  if (typeof plan === 'number') return plan;
  const started = performance.now();
  const w = whatIf(plan, seed, policy);
  console.log(
    `${plan.file}, ${plan.date}, seed ${seed}, policy ${w.policy}: the same staff and citizens, three window layouts (waits in minutes)\n`,
  );
  console.log(formatWhatIf(w));
  console.log(
    `\nWindows per hour for ${Math.round(TARGET_LEVEL * 100)} % within ${TARGET_MINUTES} minutes (pooled comprehensive windows; hold = reaction + walk + service, or grace for a no-show)\n`,
  );
  console.log(formatStaffing(staffing(plan, seed, policy)));
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(2)} s)`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
