/**
 * Benchmark 7 — simulated tickets per second in-process: the demo day (apps/queue-server/halls/day-plans/
 * demo-day.yaml, ~1,140 tickets on 25 counters) simulated by the real domain core (sim/engine.ts) for
 * several seeds, the draws made before the clock starts. Baseline in the same run: the raw domain commands
 * issue → call-next → start → finish of the same number of tickets at one counter, one ticket at a time, in a
 * tight loop (a fresh hall state per day, as the simulator's), without the simulator's event queue, routing
 * over a waiting line, estimates at issue or event log: the ratio is the simulator's overhead. The two run
 * in alternating blocks. No target: a figure to follow.
 */
import { fileURLToPath } from 'node:url';
import { startOfBusinessDay } from '@yimen/shared';
import type { Actor, Env, Outcome } from '../apps/queue-server/src/domain/commands.js';
import * as cmd from '../apps/queue-server/src/domain/commands.js';
import { buildHall, emptyState } from '../apps/queue-server/src/domain/model.js';
import { simulate } from '../apps/queue-server/src/sim/engine.js';
import type { Arrival, ResolvedPlan } from '../apps/queue-server/src/sim/plan.js';
import { drawArrivals, loadPlan } from '../apps/queue-server/src/sim/plan.js';
import type { BenchOutput, Row } from './lib/report.js';
import { perSecond, rate, ratio, round } from './lib/stats.js';

export interface SimulateOptions {
  seeds: number[];
  /** Alternating blocks of (every seed simulated, the same tickets as raw commands). */
  blocks: number;
}

export interface SimulateData {
  options: SimulateOptions;
  plan: string;
  ticketsPerDay: number[];
  /** Per block: simulated tickets per second, raw-command tickets per second. */
  simulated: number[];
  raw: number[];
}

const BENCH = '7 simulator';
const PLAN = fileURLToPath(new URL('../apps/queue-server/halls/day-plans/demo-day.yaml', import.meta.url));
const ACTOR: Actor = { kind: 'user', id: 'bench', clerkId: null };

function simulateDay(plan: ResolvedPlan, arrivals: Arrival[]): number {
  const r = simulate({
    hall: plan.hall,
    date: plan.date,
    arrivals,
    schedule: plan.schedule,
    reactionSeconds: plan.reactionSeconds,
    walkSeconds: plan.walkSeconds,
    noShowGraceSeconds: plan.noShowGraceSeconds,
    drain: plan.drain,
  });
  return r.tickets.length;
}

/** `n` tickets issued, called, started and finished at the first counter, one at a time. */
function rawDay(plan: ResolvedPlan, arrivals: Arrival[]): number {
  const hall = buildHall(plan.hall, { enforceHours: false });
  const midnight = startOfBusinessDay(plan.date);
  const state = emptyState(hall, plan.date, midnight);
  const counter = plan.hall.counters[0] as (typeof plan.hall.counters)[number];
  const service = counter.serviceIds[0] as string;
  let ids = 0;
  let now = midnight + 8.5 * 3600_000;
  const env = (): Env => ({ now, newId: () => `t${++ids}`, newKey: () => `k${ids}`, personKey: (x) => x });
  const run = <T>(o: Outcome<T>): T => {
    if (!o.ok) throw new Error(`raw commands refused: ${o.code}`);
    cmd.apply(hall, state, o.changes);
    return o.value;
  };
  run(cmd.openCounter(hall, state, counter.id, ACTOR, env()));
  for (let i = 0; i < arrivals.length; i++) {
    now += 1000;
    run(cmd.issueTicket(hall, state, { serviceId: service, priority: 'none' }, env()));
    run(cmd.callNext(hall, state, counter.id, ACTOR, env()));
    run(cmd.start(hall, state, counter.id, ACTOR, env()));
    now += 1000;
    run(cmd.finish(hall, state, counter.id, ACTOR, env()));
  }
  return arrivals.length;
}

export async function benchSimulate(opts: SimulateOptions): Promise<BenchOutput<SimulateData>> {
  const plan = loadPlan(PLAN);
  const days = opts.seeds.map((s) => drawArrivals(plan, s));
  const timed = (f: (p: ResolvedPlan, a: Arrival[]) => number) => {
    const t0 = performance.now();
    let n = 0;
    for (const a of days) n += f(plan, a);
    return perSecond(n, performance.now() - t0);
  };
  // Warm-up: one of each.
  timed(simulateDay);
  timed(rawDay);
  const simulated: number[] = [];
  const raw: number[] = [];
  for (let b = 0; b < opts.blocks; b++) {
    simulated.push(timed(simulateDay));
    raw.push(timed(rawDay));
    await new Promise((r) => setImmediate(r));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const sim = median(simulated);
  const base = median(raw);
  const rows: Row[] = [
    {
      bench: BENCH,
      metric: `demo day, ${opts.seeds.length} seeds (median of ${opts.blocks} blocks)`,
      value: rate(sim, 'tickets/s'),
      baseline: rate(base, 'tickets/s'),
      vs: ratio(sim / base),
      target: '–',
    },
  ];
  const ticketsPerDay = days.map((d) => d.length);
  return {
    rows,
    data: {
      options: opts,
      plan: 'apps/queue-server/halls/day-plans/demo-day.yaml',
      ticketsPerDay,
      simulated: simulated.map((x) => round(x, 0)),
      raw: raw.map((x) => round(x, 0)),
    },
    notes: [
      `7: a demo day (${ticketsPerDay.join(', ')} tickets) simulated in ${(ticketsPerDay.reduce((a, b) => a + b, 0) / opts.seeds.length / sim).toFixed(2)} s each; baseline: issue → call-next → start → finish of the same tickets at one counter, one ticket at a time, without the event queue, the waiting line, the estimates and the event log.`,
    ],
  };
}
