import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateHallConfig } from '../app/hall-config.js';
import { PREDICTORS } from '../domain/predictors.js';
import { simulate } from './engine.js';
import type { CounterSchedule } from './plan.js';
import { loadPlan, readTrace } from './plan.js';
import { comparePredictors, formatPredictors, meetsTargets, scorePredictors, targetRatios } from './predictors.js';
import { estimateStats } from './summary.js';

const PLANS = fileURLToPath(new URL('../../halls/day-plans/', import.meta.url));

describe('wait predictors compared', () => {
  it('on the tiny day: deterministic for a seed, one row per predictor, W4 as the server records it', () => {
    const plan = loadPlan(`${PLANS}tiny-day.yaml`);
    const one = comparePredictors(plan, [3, 4]);
    const two = comparePredictors(plan, [3, 4]);
    expect(two).toEqual(one);
    expect(one.names).toEqual(Object.keys(PREDICTORS));
    expect(one.days.map((d) => d.label)).toEqual(['seed 3', 'seed 4', 'pooled']);
    const pooled = one.days[2];
    for (const name of one.names) expect(pooled?.stats[name]?.n).toBeGreaterThan(0);
    expect(formatPredictors(one).split('\n')).toHaveLength(2 + one.names.length);
    // The predictor `current` is the very W4 the engine records for the summary.
    const r = targetRatios(pooled as NonNullable<typeof pooled>);
    expect(r.les?.toLes).toBe(1);
    expect(Math.min(...['avg-5', 'avg-10', 'avg-20'].map((n) => r[n]?.toBestAverage ?? 0))).toBe(1);
    expect(meetsTargets({ toBestAverage: 0.7, toLes: 0.8 })).toBe(true);
    expect(meetsTargets({ toBestAverage: 0.71, toLes: 0.5 })).toBe(false);
  });

  it('on a fixed tiny trace: each predictor’s estimates and errors equal the hand-computed ones', () => {
    const hall = validateHallConfig({
      hall: { name: '测试' },
      services: [{ id: 'a', prefix: 'A', name: '甲', department: '局', category: '综合服务', defaultServiceMinutes: 5 }],
      counters: [{ id: 'w1', number: 1, name: '1号窗口', kind: 'comprehensive', serviceIds: ['a'] }],
    });
    const arrivals = readTrace(
      [
        'arrival,service,priority,duration_s,no_show',
        '09:00:00,a,none,300,0',
        '09:01:00,a,none,300,0',
        '09:02:00,a,elderly,120,0',
        '09:03:00,a,none,,1',
      ].join('\n'),
      hall,
    );
    const schedule = new Map<string, CounterSchedule>([['w1', { open: 9 * 3600, close: 10 * 3600, pauses: [] }]]);
    const { tickets } = simulate({
      hall,
      date: '2026-03-02',
      arrivals,
      schedule,
      reactionSeconds: 0,
      walkSeconds: 0,
      noShowGraceSeconds: 60,
      drain: true,
      predictors: PREDICTORS,
    });
    /*
     * Waits (engine.test.ts): A001 0, A002 6, A003 3 (elderly, 15 min head start), A004 9. Nothing is finished
     * before 09:05, so every service time is the default 5 min; only A001 has been called (wait 0) before
     * A004's issue.
     *   ql = (ahead + 1 − idle) × 5 / 1: A001 takes the idle counter → 0; A002 ahead 0 → 5; A003 ahead 0 → 5;
     *        A004 ahead A003, A002 → 15. Errors 0, 1, −2, −6: MAE 9/4, MSE 41/4, none late by more than 5.
     *   qlp, qls: the same (one counter, no release before 09:05); blend = 0.7 × qls + 0.3 × les.
     *   les: A001 falls back to the former W4, w4 (0); the others get A001's wait, 0.
     *   hol: A001, A002 first in line → 0; A003 ahead of A002 → 0; A004 behind A003 issued 1 min before → 1.
     */
    const est = (name: string) => tickets.map((t) => t.estimates?.[name]);
    expect(est('ql')).toEqual([0, 5, 5, 15]);
    expect(est('qlp')).toEqual([0, 5, 5, 15]);
    expect(est('qls')).toEqual([0, 5, 5, 15]);
    expect(est('blend')).toEqual([0, 3.5, 3.5, 10.5]);
    expect(est('les')).toEqual([0, 0, 0, 0]);
    expect(est('hol')).toEqual([0, 0, 0, 1]);
    expect(est('current')).toEqual(tickets.map((t) => t.estimateMinutes));
    // What the server says is qls rounded (here already whole); the former W4 counted only the people ahead:
    // A001, A002, A003 nobody → 0, A004 A003 and A002 → 2 × 5 = 10.
    expect(est('current')).toEqual([0, 5, 5, 15]);
    expect(est('w4')).toEqual([0, 0, 0, 10]);
    const s = scorePredictors('trace', tickets, ['ql']).stats.ql;
    expect(s?.mae).toBe(9 / 4);
    expect(s?.rmse).toBeCloseTo(Math.sqrt(41 / 4), 12);
    expect(s?.late5).toBe(0);
    expect(s?.rase).toBeCloseTo(41 / 4 / 4.5 ** 2, 12);
    expect(estimateStats(tickets, (t) => t.estimates?.current)).toEqual(estimateStats(tickets));
  });
});
