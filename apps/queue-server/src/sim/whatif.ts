/**
 * The reform's what-if (issue 6): the same staff (the same counters with the same hours) and the same
 * citizens (the same plan and seed), once with dedicated windows — each window serves the services of
 * one department only — and once with comprehensive windows — every window serves every service —,
 * beside the hall as configured.
 *
 * The two layouts are derived from any hall config:
 * - comprehensiveLayout: every counter serves every service (kind comprehensive);
 * - dedicatedLayout: the counters apportioned to the departments (ServiceConfig.department) in
 *   proportion to each department's offered load, every department with load getting at least one,
 *   the total unchanged. A hall with more departments than windows cannot give each its own: then the
 *   smallest departments are merged into desks (first with a department of the same category, as the
 *   small 进驻部门 shared a window before the reform) until one window each for the small desks still
 *   leaves the large ones their rounded share (Σ max(1, round(quota)) ≤ windows);
 *   the layout reports the merges. With no merge every window serves exactly one department.
 *
 * Offered load (serviceLoads): the plan's expected tickets per service over the day × the mean service
 * minutes, plus the expected transferred tickets × their service's mean (Erlang-hours). The layout does
 * not depend on the seed.
 */
import type { HallConfig, RoutingPolicyName } from '@yimen/shared';
import type { SimResult } from './engine.js';
import { planInput, simulate } from './engine.js';
import type { ResolvedPlan } from './plan.js';
import { drawArrivals } from './plan.js';
import type { Summary } from './summary.js';
import { MIN_TICKETS_FOR_WORST, summarize, table } from './summary.js';

/** The default head-start policy (CounterConfig's default). */
export const DEFAULT_POLICY: RoutingPolicyName = 'effective-time';

/** Expected offered load per service over the plan's day, Erlang-hours (tickets × mean service hours). */
export function serviceLoads(plan: ResolvedPlan): Map<string, number> {
  const load = new Map<string, number>();
  const add = (id: string, hours: number) => load.set(id, (load.get(id) ?? 0) + hours);
  const meanHours = (id: string) => (plan.serviceTimes.get(id)?.meanMinutes ?? 8) / 60;
  if (plan.trace) {
    for (const a of plan.trace) add(a.serviceId, a.serviceSeconds / 3600);
    return load;
  }
  for (const s of plan.streams) {
    const tickets = s.slots.reduce((a, x) => a + (x.perHour * (x.to - x.from)) / 3600, 0);
    const total = s.services.reduce((a, x) => a + x.weight, 0);
    for (const x of s.services) add(x.id, ((tickets * x.weight) / total) * meanHours(x.id));
    if (s.transfer) add(s.transfer.to, tickets * (1 - s.noShowShare) * s.transfer.share * meanHours(s.transfer.to));
  }
  return load;
}

/** A desk of the dedicated layout: one department (or, when merged, several) and its windows. */
export interface Desk {
  departments: string[];
  serviceIds: string[];
  /** Offered load, in the unit of the load given. */
  load: number;
  counterIds: string[];
}

export interface DedicatedLayout {
  hall: HallConfig;
  desks: Desk[];
  /** Departments with no load: no window serves them. */
  unserved: string[];
}

/**
 * The hall with dedicated windows: the counters apportioned to departments by offered load (see the
 * module comment). `load` per service id; absent: each service weighs its defaultServiceMinutes (as if
 * every service drew the same number of tickets). Counters keep their id, number and position in the
 * list (so a plan's schedule still applies); they are given to the desks in list order, heaviest desk first.
 */
export function dedicatedLayout(hall: HallConfig, load?: ReadonlyMap<string, number>): DedicatedLayout {
  const w = hall.counters.length;
  const loadOf = (id: string) =>
    load?.get(id) ?? (load ? 0 : (hall.services.find((s) => s.id === id)?.defaultServiceMinutes ?? 0));
  const byDept = new Map<string, { serviceIds: string[]; categories: Set<string>; load: number }>();
  for (const s of hall.services) {
    let d = byDept.get(s.department);
    if (!d) {
      d = { serviceIds: [], categories: new Set(), load: 0 };
      byDept.set(s.department, d);
    }
    d.serviceIds.push(s.id);
    d.categories.add(s.category);
    d.load += loadOf(s.id);
  }
  type Unit = { departments: string[]; serviceIds: string[]; categories: Set<string>; load: number };
  let units: Unit[] = [];
  const unserved: string[] = [];
  for (const [name, d] of byDept) {
    if (d.load > 0) units.push({ departments: [name], ...d });
    else unserved.push(name);
  }
  if (units.length === 0) throw new Error('dedicatedLayout: no department has any load');
  const total = units.reduce((a, u) => a + u.load, 0);
  const quota = (u: Unit) => (w * u.load) / total;
  // Merge the smallest desk while there are more desks than windows or one is below half a window.
  for (;;) {
    units.sort((a, b) => a.load - b.load);
    const small = units[0] as Unit;
    const needed = units.reduce((a, u) => a + Math.max(1, Math.round(quota(u))), 0);
    if (units.length === 1 || (units.length <= w && needed <= w)) break;
    const rest = units.slice(1);
    const partner = rest.find((u) => [...u.categories].some((c) => small.categories.has(c))) ?? (rest[0] as Unit);
    partner.departments.push(...small.departments);
    partner.serviceIds.push(...small.serviceIds);
    for (const c of small.categories) partner.categories.add(c);
    partner.load += small.load;
    units = rest;
  }
  // One window each, then one at a time to the desk furthest below its quota (ties: the heavier).
  units.sort((a, b) => b.load - a.load);
  const n = units.map(() => 1);
  for (let left = w - units.length; left > 0; left--) {
    let best = 0;
    for (let i = 1; i < units.length; i++)
      if (quota(units[i] as Unit) - (n[i] as number) > quota(units[best] as Unit) - (n[best] as number)) best = i;
    n[best] = (n[best] as number) + 1;
  }
  const order = new Map(hall.services.map((s, i) => [s.id, i]));
  const desks: Desk[] = [];
  const counters: HallConfig['counters'] = [];
  let next = 0;
  units.forEach((u, i) => {
    const serviceIds = [...u.serviceIds].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    const desk: Desk = { departments: u.departments, serviceIds, load: u.load, counterIds: [] };
    for (let k = 0; k < (n[i] as number); k++) {
      const c = hall.counters[next++] as HallConfig['counters'][number];
      desk.counterIds.push(c.id);
      counters.push({ ...c, name: `${c.number}号窗口`, kind: 'dedicated', serviceIds });
    }
    desks.push(desk);
  });
  // Back in the hall's counter order.
  const position = new Map(hall.counters.map((c, i) => [c.id, i]));
  counters.sort((a, b) => (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0));
  return { hall: { ...hall, counters, users: [] }, desks, unserved };
}

/** The hall with comprehensive windows: every counter serves every service. */
export function comprehensiveLayout(hall: HallConfig): HallConfig {
  const all = hall.services.map((s) => s.id);
  return {
    ...hall,
    counters: hall.counters.map((c) => ({ ...c, name: `${c.number}号综合窗口`, kind: 'comprehensive', serviceIds: [...all] })),
    users: [],
  };
}

export type LayoutName = 'as configured' | 'dedicated' | 'comprehensive';

export interface WhatIfRow {
  layout: LayoutName;
  windows: number;
  summary: Summary;
  result: SimResult;
}

export interface WhatIf {
  seed: number;
  policy: RoutingPolicyName;
  rows: WhatIfRow[];
  dedicated: DedicatedLayout;
}

/**
 * The same day (plan, seed: the same citizens) on the hall as configured, with dedicated windows and with
 * comprehensive windows; every counter on one policy (the given one, else the plan's, else the default).
 */
export function whatIf(plan: ResolvedPlan, seed: number, policy?: RoutingPolicyName): WhatIf {
  const arrivals = drawArrivals(plan, seed);
  const pol = policy ?? plan.policy ?? DEFAULT_POLICY;
  const dedicated = dedicatedLayout(plan.hall, serviceLoads(plan));
  const layouts: [LayoutName, HallConfig][] = [
    ['as configured', plan.hall],
    ['dedicated', dedicated.hall],
    ['comprehensive', comprehensiveLayout(plan.hall)],
  ];
  const rows = layouts.map(([layout, hall]) => {
    const result = simulate(planInput(plan, seed, { hall, arrivals, policy: pol }));
    return {
      layout,
      windows: hall.counters.filter((c) => plan.schedule.has(c.id)).length,
      summary: summarize(hall, result),
      result,
    };
  });
  return { seed, policy: pol, rows, dedicated };
}

const f1 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(1));
const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(0)}%`);

export function formatWhatIf(w: WhatIf): string {
  const t = table([
    [
      'layout',
      'windows',
      'tickets',
      'mean',
      'p90',
      `worst service p90 (≥${MIN_TICKETS_FOR_WORST})`,
      '≤15 min',
      'utilisation',
      'unserved',
    ],
    ...w.rows.map(({ layout, windows, summary: s }) => [
      layout,
      String(windows),
      String(s.all.tickets),
      f1(s.all.mean),
      f1(s.all.p90),
      s.worstP90 ? `${f1(s.worstP90.p90)} ${s.worstP90.serviceId}` : '–',
      pct(s.all.within15),
      pct(s.utilisation),
      String(s.all.unserved),
    ]),
  ]);
  const d = w.dedicated;
  const desks = d.desks
    .map(
      (x) =>
        `${x.departments.length === 1 ? x.departments[0] : `${x.departments[0]} +${x.departments.length - 1}`} ×${x.counterIds.length}`,
    )
    .join(', ');
  const merged = d.desks.filter((x) => x.departments.length > 1);
  return [
    t,
    '',
    `Dedicated windows by department, in proportion to offered load: ${desks}.`,
    merged.length > 0
      ? `More departments than windows: ${merged.reduce((a, x) => a + x.departments.length - 1, 0)} small departments share a desk (e.g. ${merged[0]?.departments.join(' + ')}).`
      : 'Every window serves exactly one department.',
    ...(d.unserved.length > 0 ? [`Departments with no load (no window): ${d.unserved.join(', ')}.`] : []),
  ].join('\n');
}
