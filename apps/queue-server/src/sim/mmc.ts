/**
 * A stationary M/M/c day for checking the engine against Erlang C: one service, `c` counters open from
 * midnight with no end, Poisson arrivals, exponential service, no reaction, walk, no-show or priority.
 */
import type { HallConfig } from '@yimen/shared';
import { validateHallConfig } from '../app/hall-config.js';
import type { SimInput } from './engine.js';
import type { Arrival, CounterSchedule } from './plan.js';
import { exponential, mulberry32 } from './random.js';

export function mmcInput(opts: {
  c: number;
  lambdaPerMinute: number;
  meanServiceMinutes: number;
  customers: number;
  seed: number;
}): SimInput {
  const hall: HallConfig = validateHallConfig({
    hall: { name: 'M/M/c' },
    services: [
      {
        id: 's',
        prefix: 'A',
        name: '业务',
        department: '某局',
        category: '综合服务',
        defaultServiceMinutes: opts.meanServiceMinutes,
      },
    ],
    counters: Array.from({ length: opts.c }, (_, i) => ({
      id: `w${i + 1}`,
      number: i + 1,
      name: `${i + 1}号窗口`,
      kind: 'comprehensive' as const,
      serviceIds: ['s'],
    })),
  });
  const rng = mulberry32(opts.seed);
  const arrivals: Arrival[] = [];
  let t = 0;
  for (let i = 0; i < opts.customers; i++) {
    t += exponential(rng, 60 / opts.lambdaPerMinute);
    arrivals.push({
      at: t,
      serviceId: 's',
      priority: 'none',
      serviceSeconds: exponential(rng, opts.meanServiceMinutes * 60),
      noShow: false,
      transfer: null,
    });
  }
  const schedule = new Map<string, CounterSchedule>(
    hall.counters.map((c) => [c.id, { open: 0, close: Number.POSITIVE_INFINITY, pauses: [] }]),
  );
  return { hall, date: '2026-03-02', arrivals, schedule, reactionSeconds: 0, walkSeconds: 0, noShowGraceSeconds: 0, drain: true };
}
