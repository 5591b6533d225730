/**
 * Worker thread: the Yimen queue server as the composition root builds it (createApp from the build in
 * apps/queue-server/dist), on port 0, a SQLite file of its own and a clock that starts on a working Monday.
 * It also times HallService.issue / callNext, HallStore.commit (a command's statements) and, where the
 * server has one, GroupCommit.flush (the COMMIT and its fsync, once per event-loop turn), and the thread's
 * event-loop utilisation and GC, so the report can say where the time goes. Requests: 'reset', 'stats', 'close'.
 */
import { type EventLoopUtilization, PerformanceObserver, performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { createApp, validateHallConfig } from '@yimen/queue-server';
import { ADMIN_PASSWORD, BENCH_START, benchHallInput } from '../lib/hall.js';
import { serveRequests } from '../lib/thread.js';

export interface YimenThreadData {
  dbFile: string;
}

export interface YimenThreadStats {
  /** Milliseconds per call since the last reset. */
  issue: number[];
  callNext: number[];
  commit: number[];
  flush: number[];
  /** Group commit: COMMITs (fsyncs) and the commands they carried since the last reset; null without one. */
  groupCommit: { commits: number; writes: number } | null;
  /** Share of wall time the server thread's event loop was busy since the last reset (0…1). */
  eventLoopUtilization: number;
  /** Garbage-collection pauses of the server thread since the last reset. */
  gc: { count: number; totalMs: number; maxMs: number };
}

const port = parentPort;
if (!port) throw new Error('yimen-thread.ts runs in a worker thread');
const { dbFile } = workerData as YimenThreadData;
const boot = Date.now();

const app = await createApp({
  dbFile,
  hallConfig: validateHallConfig(benchHallInput()),
  clock: () => BENCH_START + (Date.now() - boot),
  adminPassword: ADMIN_PASSWORD,
  enforceHours: false,
  logger: false,
});

const timings = { issue: [] as number[], callNext: [] as number[], commit: [] as number[], flush: [] as number[] };
let eluStart: EventLoopUtilization = performance.eventLoopUtilization();
const gc = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.count++;
    gc.totalMs += e.duration;
    gc.maxMs = Math.max(gc.maxMs, e.duration);
  }
}).observe({ entryTypes: ['gc'] });

function timed<F extends (...args: never[]) => unknown>(fn: F, into: number[]): F {
  return ((...args: Parameters<F>) => {
    const t0 = performance.now();
    try {
      return fn(...args);
    } finally {
      into.push(performance.now() - t0);
    }
  }) as F;
}

const service = app.service;
service.issue = timed(service.issue.bind(service), timings.issue);
service.callNext = timed(service.callNext.bind(service), timings.callNext);
// The store is private to the service; its commit is an instance property (one SQLite transaction).
// Should the server's shape change, the commit is simply not timed.
const store = Reflect.get(service, 'store') as { commit?: unknown } | undefined;
if (store && typeof store.commit === 'function')
  Object.defineProperty(store, 'commit', { value: timed(store.commit as (...args: never[]) => unknown, timings.commit) });
const commits = Reflect.get(app, 'commits') as { flush?: unknown; stats?: { commits: number; writes: number } } | undefined;
if (commits && typeof commits.flush === 'function')
  Object.defineProperty(commits, 'flush', {
    value: timed((commits.flush as () => void).bind(commits), timings.flush),
  });
const commitStats = () => (commits?.stats ? { commits: commits.stats.commits, writes: commits.stats.writes } : null);
let commitsAtReset = commitStats();

const url = await app.listen(0, '127.0.0.1');

serveRequests(port, async (req) => {
  switch (req.type) {
    case 'reset':
      timings.issue.length = 0;
      timings.callNext.length = 0;
      timings.commit.length = 0;
      timings.flush.length = 0;
      commitsAtReset = commitStats();
      eluStart = performance.eventLoopUtilization();
      Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0 });
      return null;
    case 'stats': {
      const now = commitStats();
      return {
        ...timings,
        groupCommit:
          now && commitsAtReset
            ? { commits: now.commits - commitsAtReset.commits, writes: now.writes - commitsAtReset.writes }
            : null,
        eventLoopUtilization: performance.eventLoopUtilization(eluStart).utilization,
        gc: { ...gc },
      } satisfies YimenThreadStats;
    }
    case 'close':
      await app.close();
      return null;
    default:
      throw new Error(`unknown request ${req.type}`);
  }
});
port.postMessage({ type: 'ready', url });
