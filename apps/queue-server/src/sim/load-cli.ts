/**
 * The hall simulator against a running server, as a load test (see load.ts):
 *
 *   node --conditions=source --import tsx apps/queue-server/src/sim/load-cli.ts --plan <file> \
 *     --server http://127.0.0.1:8080 --admin-password … [--admin-user admin] [--speed 60] [--seed N] [--progress]
 *
 * --plan            a day plan (YAML or JSON, see plan.ts); the server's hall must have its services and counters
 * --server          the server's address (default http://127.0.0.1:8080)
 * --admin-password  the admin's password (default: the environment variable YIMEN_ADMIN_PASSWORD)
 * --speed           plan seconds per wall second (default 1: real time; 60: an hour per minute)
 * --seed            the seed of the day's draws (default 1), as for the in-process run
 * --progress        draws the progress bar on stderr even when it is not a terminal
 * Ctrl-C stops the day early and still prints the figures so far.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { formatLoad, runLoad } from './load.js';
import { loadPlan, PlanError } from './plan.js';
import { formatSummary } from './summary.js';

const USAGE =
  'usage: node --conditions=source --import tsx apps/queue-server/src/sim/load-cli.ts --plan <file> --server http://127.0.0.1:8080 --admin-password … [--speed 60] [--seed N] [--progress]';

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.plan) {
    console.error(`--plan is required\n${USAGE}`);
    return 2;
  }
  const password = values['admin-password'] ?? env.YIMEN_ADMIN_PASSWORD;
  if (!password) {
    console.error(`--admin-password (or YIMEN_ADMIN_PASSWORD) is required\n${USAGE}`);
    return 2;
  }
  const seed = Number(values.seed ?? '1');
  if (!Number.isInteger(seed) || seed < 0) {
    console.error(`--seed must be a whole number ≥ 0, not ${values.seed}`);
    return 2;
  }
  const speed = Number(values.speed ?? '1');
  if (!(speed > 0) || !Number.isFinite(speed)) {
    console.error(`--speed must be a number > 0, not ${values.speed}`);
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
  const server = values.server ?? 'http://127.0.0.1:8080';
  const stop = new AbortController();
  const onSigint = () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping (Ctrl-C again to quit at once)…\n');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const run = await runLoad({
      plan,
      seed,
      server,
      adminPassword: password,
      adminUsername: values['admin-user'] ?? 'admin',
      speed,
      progress: process.stderr.isTTY || values.progress ? process.stderr : undefined,
      signal: stop.signal,
    });
    console.log(
      `${plan.file}, plan date ${plan.date}, seed ${seed}, against ${server} (server business day ${run.businessDay}), speed ×${speed}: ${run.result.tickets.length} tickets${stop.signal.aborted ? ' (stopped early)' : ''}\n`,
    );
    console.log(formatSummary(run.summary));
    console.log(
      `(Waits: the API's issuedAt → calledAt × ${speed}, in plan minutes. The server runs on its own clock: its hours, business day and estimates relate to it${speed === 1 ? '' : ', so its estimates are not compared at this speed'}; the routing policy is the server's.)\n`,
    );
    console.log(formatLoad(run.load));
    return Object.keys(run.load.errors).length > 0 ? 1 : 0;
  } catch (e) {
    console.error(`simulate:load: ${(e as Error).message}`);
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      plan: { type: 'string' },
      server: { type: 'string' },
      'admin-password': { type: 'string' },
      'admin-user': { type: 'string' },
      speed: { type: 'string' },
      seed: { type: 'string' },
      progress: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
