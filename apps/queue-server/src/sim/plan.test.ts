import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validateHallConfig } from '../app/hall-config.js';
import type { DayPlanInput } from './plan.js';
import { drawArrivals, loadPlan, PlanError, readTrace, resolvePlan, stretchPlan, type TraceError, twoPeaks } from './plan.js';

const PLANS = fileURLToPath(new URL('../../halls/day-plans/', import.meta.url));

const hall = {
  hall: { name: '测试' },
  services: [
    { id: 'a', prefix: 'A', name: '甲', department: '局', category: '综合服务' },
    { id: 'b', prefix: 'B', name: '乙', department: '局', category: '咨询服务' },
  ],
  counters: [{ id: 'w1', number: 1, name: '1号窗口', kind: 'comprehensive' as const, serviceIds: ['a', 'b'] }],
};
const plan = (patch: Partial<DayPlanInput> = {}): DayPlanInput => ({
  hall,
  date: '2026-03-02',
  arrivals: [{ name: 'main', category: '综合服务', perDay: 50 }],
  ...patch,
});
const problemsOf = (raw: unknown): string[] => {
  try {
    resolvePlan(raw, 'p.yaml');
  } catch (e) {
    if (e instanceof PlanError) return e.problems;
    throw e;
  }
  return [];
};

describe('day plan', () => {
  it('loads the demo and tiny plans', () => {
    const demo = loadPlan(`${PLANS}demo-day.yaml`);
    expect(demo.hall.services).toHaveLength(72);
    expect(demo.schedule.size).toBe(25);
    const expected = demo.streams.reduce((a, s) => a + s.slots.reduce((b, x) => b + (x.perHour * (x.to - x.from)) / 3600, 0), 0);
    expect(expected).toBeCloseTo(1214, 6);
    expect(loadPlan(`${PLANS}tiny-day.yaml`).streams.map((s) => s.name)).toEqual(['gen-a+gen-b', 'consultations']);
  });

  it('names the bad entry', () => {
    expect(problemsOf(plan({ arrivals: [{ name: 'x', services: ['a', 'zz'], perDay: 5 }] }))).toEqual([
      'arrivals[0] (name "x"): services[1]: unknown service "zz"',
    ]);
    expect(problemsOf(plan({ arrivals: [{ category: '综合服务', services: ['a'], perDay: 5 }] }))).toEqual([
      'arrivals[0] (category "综合服务"): give exactly one of "services" and "category"',
    ]);
    expect(problemsOf(plan({ arrivals: [{ name: 'x', category: '无', perDay: 5 }] }))).toEqual([
      'arrivals[0] (name "x"): category: no service of the hall is in category "无"',
    ]);
    expect(
      problemsOf(plan({ arrivals: [{ name: 'x', services: ['a'], perDay: 5, transfer: { share: 0.1, to: 'a' } }] })),
    ).toEqual(['arrivals[0] (name "x"): transfer.to: "a" is a service of the stream itself (T7 refuses it)']);
    expect(
      problemsOf(plan({ arrivals: [{ name: 'x', services: ['a'], rates: [{ from: '10:00', to: '09:00', perHour: 3 }] }] })),
    ).toEqual(['arrivals[0] (name "x"): rates[0]: "from" 10:00 is not before "to" 09:00']);
    expect(problemsOf(plan({ arrivals: [{ name: 'x', services: ['a'], perDay: 5, noShowShare: 2 }] }))[0]).toMatch(
      /^arrivals\[0\] \(name "x"\)\.noShowShare: /,
    );
    expect(
      problemsOf(plan({ schedule: { default: { open: '08:30', close: '17:00' }, counters: { w9: { off: true } } } })),
    ).toEqual(['schedule.counters.w9: unknown counter "w9"']);
    expect(problemsOf(plan({ serviceTimes: { a: { distribution: 'exponential', cv: 0.5 } } }))).toEqual([
      'serviceTimes.a: an exponential distribution has cv 1, not 0.5',
    ]);
    expect(problemsOf({ ...plan(), hall: { ...hall, counters: [] } })[0]).toMatch(/^hall: counters: /);
    expect(problemsOf({ ...plan(), trace: 'x.csv' })).toEqual(['(top level): give exactly one of "arrivals" and "trace"']);
  });

  it('two peaks and a lunch dip: the day holds perDay, the peaks beat the shoulders and lunch', () => {
    const h = (x: string) => Number(x.slice(0, 2)) * 3600 + Number(x.slice(3)) * 60;
    const slots = twoPeaks(600, [{ from: h('08:00'), to: h('18:00') }]);
    expect(slots.reduce((a, s) => a + (s.perHour * (s.to - s.from)) / 3600, 0)).toBeCloseTo(600, 6);
    const at = (x: string) => slots.find((s) => s.from <= h(x) && h(x) < s.to)?.perHour ?? 0;
    expect(at('09:45')).toBeGreaterThan(2 * at('12:30'));
    expect(at('14:45')).toBeGreaterThan(2 * at('12:30'));
    expect(at('09:45')).toBeGreaterThan(at('14:45'));
    expect(at('08:00')).toBeLessThan(at('09:45'));
    // Within the hall's hours only: nobody comes at lunch when the hall stops issuing.
    const split = twoPeaks(100, [
      { from: h('08:30'), to: h('11:45') },
      { from: h('13:30'), to: h('17:00') },
    ]);
    expect(split.some((s) => s.from < h('13:30') && s.to > h('11:45'))).toBe(false);
    expect(split[0]?.to).toBe(h('09:00'));
  });

  it('draws about perDay arrivals, the same for the same seed', () => {
    const p = resolvePlan(plan({ arrivals: [{ category: '综合服务', perDay: 400, priorityShare: 0.5 }] }));
    const one = drawArrivals(p, 5);
    expect(drawArrivals(p, 5)).toEqual(one);
    expect(drawArrivals(p, 6)).not.toEqual(one);
    expect(one.length).toBeGreaterThan(340);
    expect(one.length).toBeLessThan(460);
    const share = one.filter((a) => a.priority !== 'none').length / one.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    expect(one.every((a, i) => i === 0 || (one[i - 1]?.at ?? 0) <= a.at)).toBe(true);
  });
});

describe('trace CSV', () => {
  const config = validateHallConfig(hall);
  it('reads the documented columns', () => {
    const text =
      'arrival,service,priority,duration_s,no_show\n# a comment\n09:00:05,a,none,300,0\n\n08:59:00,b,1,,1\n09:10:00,a,disabled,60.5,0\n';
    expect(readTrace(text, config)).toEqual([
      { at: 8 * 3600 + 59 * 60, serviceId: 'b', priority: 'elderly', serviceSeconds: 0, noShow: true, transfer: null },
      { at: 9 * 3600 + 5, serviceId: 'a', priority: 'none', serviceSeconds: 300, noShow: false, transfer: null },
      { at: 9 * 3600 + 600, serviceId: 'a', priority: 'disabled', serviceSeconds: 60.5, noShow: false, transfer: null },
    ]);
  });
  it('names the bad line and column', () => {
    const text =
      'arrival,service,priority,duration_s,no_show\n9:00,a,none,300,0\n09:00:00,zz,vip,-1,2\n09:00:00,a,none,,0\n09:00:00,a\n';
    let problems: string[] = [];
    try {
      readTrace(text, config);
    } catch (e) {
      problems = (e as TraceError).problems;
    }
    expect(problems).toEqual([
      'line 2: arrival "9:00" is not a time HH:MM:SS',
      'line 3: service "zz" is not in the hall',
      'line 3: priority "vip" is not none, elderly, disabled, military, appointment, 0 or 1',
      'line 3: no_show "2" is not 0 or 1',
      'line 3: duration_s "-1" is not a number of seconds ≥ 0',
      'line 4: duration_s is empty but the citizen was served',
      'line 5: 2 columns, expected 5',
    ]);
    expect(() => readTrace('time,svc\n', config)).toThrow(/header must be/);
  });
});

describe('a trace stretched in time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'yimen-stretch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    join(dir, 'day.csv'),
    'arrival,service,priority,duration_s,no_show\n09:00:10,a,none,300,0\n09:01:00,b,elderly,45.5,0\n09:02:00,a,none,,1\n',
  );
  const tracePlan = (patch: Partial<DayPlanInput> = {}) =>
    resolvePlan(
      {
        hall: { ...hall, services: hall.services.map((s) => ({ ...s, defaultServiceMinutes: 4 })) },
        date: '2026-03-02',
        trace: 'day.csv',
        schedule: { default: { open: '09:00', close: '10:00', pauses: [{ from: '09:30', to: '09:40' }] } },
        reactionSeconds: 5,
        walkSeconds: 10,
        noShowGraceSeconds: 60,
        ...patch,
      },
      'p.yaml',
      dir,
    );
  const h = (x: string) => Number(x.slice(0, 2)) * 3600 + Number(x.slice(3, 5)) * 60 + Number(x.slice(6) || 0);

  it('moves every time to t0 + k·(t − t0) from the day’s start and multiplies every duration by k', () => {
    const plan = tracePlan();
    const s = stretchPlan(plan, 3);
    // t0 = 09:00, the counter's opening (the first arrival is 10 s later).
    expect(s.trace?.map((a) => [a.at, a.serviceSeconds, a.noShow])).toEqual([
      [h('09:00:30'), 900, false],
      [h('09:03:00'), 136.5, false],
      [h('09:06:00'), 0, true],
    ]);
    expect(s.schedule.get('w1')).toEqual({ open: h('09:00'), close: h('12:00'), pauses: [{ from: h('10:30'), to: h('11:00') }] });
    expect([s.reactionSeconds, s.walkSeconds, s.noShowGraceSeconds]).toEqual([15, 30, 180]);
    expect(s.hall.services.map((x) => x.defaultServiceMinutes)).toEqual([12, 12]);
    expect(s.hall.settings.priorityHeadStartMinutes).toBe(45);
    expect(s.serviceTimes.get('a')?.meanMinutes).toBe(12);
    // The plan itself is left as it was.
    expect(plan.trace?.[0]?.at).toBe(h('09:00:10'));
    expect(plan.hall.settings.priorityHeadStartMinutes).toBe(15);
    expect(stretchPlan(plan, 1).trace).toEqual(plan.trace);
  });

  it('refuses a factor that is not a finite number > 0, a drawn plan and enforced hours', () => {
    const problems = (f: () => unknown): string[] => {
      try {
        f();
      } catch (e) {
        if (e instanceof PlanError) return e.problems;
        throw e;
      }
      return [];
    };
    const traced = tracePlan();
    for (const k of [0, -2, Number.NaN, Number.POSITIVE_INFINITY])
      expect(problems(() => stretchPlan(traced, k))).toEqual([`stretch: must be a finite number > 0, not ${k}`]);
    expect(problems(() => stretchPlan(resolvePlan(plan()), 2))).toEqual([
      'stretch: only a trace plan can be stretched (this one draws its arrivals)',
    ]);
    expect(problems(() => stretchPlan(tracePlan({ enforceHours: true }), 2))).toEqual([
      'stretch: the plan enforces issuing hours (enforceHours), which are not stretched',
    ]);
  });
});
