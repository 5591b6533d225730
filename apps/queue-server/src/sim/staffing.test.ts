import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { erlangCServiceLevel } from './erlang.js';
import { loadPlan } from './plan.js';
import { erlangStaffing, hourlyDemand, staffedSchedule, staffing } from './staffing.js';

const PLANS = fileURLToPath(new URL('../../halls/day-plans/', import.meta.url));

describe('staffing per hour', () => {
  it('20 arrivals an hour, 10-minute service (3.33 Erlangs): 5 windows by Erlang C', () => {
    // By hand: Erlang B recursion B1 = .769, B2 = .562, B3 = .384, B4 = .243; C(4) = 4·B4 / (4 − a(1 − B4)) = .658,
    // P(W ≤ 15) = 1 − .658·e^{−(0.4 − 1/3)·15} = 1 − .658·e^{−1} = .758 < .8;
    // B5 = .139, C(5) = .327, P = 1 − .327·e^{−2.5} = .973 ≥ .8.
    expect(erlangCServiceLevel(1 / 3, 0.1, 4, 15)).toBeCloseTo(0.758, 3);
    expect(erlangCServiceLevel(1 / 3, 0.1, 5, 15)).toBeCloseTo(0.973, 3);
    expect(erlangStaffing(20, 10)).toBe(5);
    expect(erlangStaffing(0, 10)).toBe(0);
  });

  it("the tiny day's demand per hour follows its plan", () => {
    const plan = loadPlan(`${PLANS}tiny-day.yaml`);
    const d = hourlyDemand(plan);
    expect(d.map((x) => x.hour)).toEqual([9, 10]);
    // 28 general tickets over 09:00–11:00, and 12 then 6 consultations.
    expect(d.reduce((a, x) => a + x.arrivals, 0)).toBeCloseTo(28 + 18, 6);
    for (const x of d) expect(x.load).toBeCloseTo((x.arrivals * x.holdMinutes) / 60, 9);
  });

  it('a day staffed per hour opens, pauses and closes the pooled windows by the hour', () => {
    const s = staffedSchedule(
      new Map([
        [9, 2],
        [10, 1],
        [11, 2],
      ]),
    );
    expect(s.get('p1')).toEqual({ open: 9 * 3600, close: 12 * 3600, pauses: [] });
    expect(s.get('p2')).toEqual({ open: 9 * 3600, close: 12 * 3600, pauses: [{ from: 10 * 3600, to: 11 * 3600 }] });
  });

  it('the table: Erlang C c per hour and the simulated share, deterministic for a seed', () => {
    const plan = loadPlan(`${PLANS}tiny-day.yaml`);
    const rows = staffing(plan, 5);
    expect(rows).toEqual(staffing(plan, 5));
    for (const r of rows) {
      expect(r.c).toBe(erlangStaffing(r.arrivals, r.holdMinutes));
      expect(r.erlangLevel).toBeGreaterThanOrEqual(0.8);
      expect(r.simulated).toBeGreaterThanOrEqual(0);
      expect(r.simulated).toBeLessThanOrEqual(1);
    }
  });
});
