import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateHallConfig } from '../app/hall-config.js';
import { PREDICTORS } from '../domain/predictors.js';
import { simulate } from './engine.js';
import type { CounterSchedule, ResolvedPlan } from './plan.js';
import { loadPlan, readTrace, stretchPlan } from './plan.js';
import { comparePredictors, formatPredictors, meetsTargets, predictorDay, scorePredictors, targetRatios } from './predictors.js';
import { estimateStats } from './summary.js';
import { tinyTrace } from './tiny-trace.js';

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
    const { hall, arrivals } = tinyTrace();
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

  it('a trace stretched ×2 is the same day in slow motion: every wait and unrounded estimate exactly doubled', () => {
    const hall = validateHallConfig({
      hall: { name: '测试' },
      services: [
        { id: 'a', prefix: 'A', name: '甲', department: '局', category: '综合服务', defaultServiceMinutes: 5 },
        { id: 'b', prefix: 'B', name: '乙', department: '局', category: '综合服务', defaultServiceMinutes: 3 },
      ],
      counters: [
        { id: 'w1', number: 1, name: '1号窗口', kind: 'comprehensive', serviceIds: ['a', 'b'] },
        { id: 'w2', number: 2, name: '2号窗口', kind: 'comprehensive', serviceIds: ['b'] },
      ],
    });
    const lines = ['arrival,service,priority,duration_s,no_show'];
    for (let i = 0; i < 24; i++)
      lines.push(
        `09:${String(2 * i).padStart(2, '0')}:${String((i * 17) % 60).padStart(2, '0')},${i % 3 === 0 ? 'b' : 'a'},${i % 5 === 0 ? 'elderly' : 'none'},${i % 7 === 6 ? '' : 60 + ((i * 97) % 400)},${i % 7 === 6 ? 1 : 0}`,
      );
    const plan: ResolvedPlan = {
      file: 'tiny',
      hall,
      date: '2026-03-02',
      enforceHours: false,
      policy: undefined,
      streams: [],
      trace: readTrace(lines.join('\n'), hall),
      serviceTimes: new Map(),
      schedule: new Map<string, CounterSchedule>([
        ['w1', { open: 9 * 3600, close: 10 * 3600, pauses: [{ from: 9.5 * 3600, to: 9.6 * 3600 }] }],
        ['w2', { open: 9.2 * 3600, close: 10 * 3600, pauses: [] }],
      ]),
      reactionSeconds: 10,
      walkSeconds: 20,
      noShowGraceSeconds: 60,
      drain: true,
    };
    const one = predictorDay(plan, 0);
    const two = predictorDay(stretchPlan(plan, 2), 0);
    const wait = (t: (typeof one)[number]) => (t.calledAt === null ? null : t.calledAt - t.issuedAt);
    expect(one.filter((t) => (wait(t) ?? 0) > 60).length).toBeGreaterThan(5);
    expect(two.map((t) => [t.number, t.outcome, t.issuedAt - 9 * 3600])).toEqual(
      one.map((t) => [t.number, t.outcome, 2 * (t.issuedAt - 9 * 3600)]),
    );
    expect(two.map(wait)).toEqual(one.map((t) => (wait(t) === null ? null : 2 * (wait(t) as number))));
    // ×2 is exact in floating point, so the unrounded predictors double exactly; the rounded ones do not.
    for (const name of ['ql', 'qlp', 'qls', 'hol'])
      expect(two.map((t) => t.estimates?.[name])).toEqual(one.map((t) => (t.estimates?.[name] ?? 0) * 2));
    expect(two.map((t) => t.estimates?.current)).toEqual(two.map((t) => Math.round(t.estimates?.qls ?? 0)));
  });

  it('the bank trace stretched ×3: every wait ×3, the unrounded predictors’ ratios unchanged, current meets both targets', () => {
    const plan = loadPlan(`${PLANS}bank-1999-02-02.yaml`);
    const one = comparePredictors(plan, []);
    const three = comparePredictors(stretchPlan(plan, 3), []);
    const [a, b] = [one.days[0], three.days[0]] as [NonNullable<(typeof one.days)[0]>, NonNullable<(typeof one.days)[0]>];
    expect(b.stats.qls?.n).toBe(1787);
    for (const name of ['qls', 'les', 'hol', 'avg-20']) {
      expect(b.stats[name]?.rmse).toBeCloseTo(3 * (a.stats[name]?.rmse ?? 0), 9);
      expect(b.stats[name]?.rase).toBeCloseTo(a.stats[name]?.rase ?? 0, 9);
    }
    const [r1, r3] = [targetRatios(a), targetRatios(b)];
    expect(r3.qls?.toBestAverage).toBeCloseTo(r1.qls?.toBestAverage ?? 0, 9);
    // Rounding to whole minutes costs on the raw trace (waits of seconds), hardly at hall scale.
    expect(meetsTargets(r1.current as { toBestAverage: number; toLes: number })).toBe(false);
    expect(meetsTargets(r3.current as { toBestAverage: number; toLes: number })).toBe(true);
    expect(((b.stats.current?.rmse ?? 0) / (b.stats.qls?.rmse ?? 1)) ** 2).toBeLessThan(1.01);
  });
});
