/**
 * A simulated hall day: the plan (YAML or JSON, validated with zod), its arrivals drawn with a seed, and
 * the trace CSV reader. Every problem is reported with the entry it is in, e.g.
 * `arrivals[2] (name "general"): services[1]: unknown service "gen-x"`.
 *
 * Times of day are seconds since local midnight (Asia/Shanghai) throughout the simulator.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { HallConfig as HallConfigType, Priority } from '@yimen/shared';
import { BusinessDay, HhMm, Id, PRIORITIES, parseHhMm, RoutingPolicyName } from '@yimen/shared';
import YAML from 'yaml';
import { z } from 'zod';
import { HallConfigError, loadHallConfig, validateHallConfig } from '../app/hall-config.js';
import type { Rng } from './random.js';
import { exponential, logNormal, mulberry32 } from './random.js';

export class PlanError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`day plan ${file} is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PlanError';
  }
}

// ---------------------------------------------------------------- the schema

const Share = z.number().min(0).max(1);

/** A service-time distribution. meanMinutes absent: the service's defaultServiceMinutes. */
export const ServiceTime = z.strictObject({
  distribution: z.enum(['lognormal', 'exponential', 'fixed']).optional(),
  meanMinutes: z.number().positive().max(480).optional(),
  /** Coefficient of variation (standard deviation ÷ mean) of the log-normal. */
  cv: z.number().min(0).max(5).optional(),
});
export type ServiceTime = z.infer<typeof ServiceTime>;

const Range = z.strictObject({ from: HhMm, to: HhMm });

/** Arrivals at a constant rate between two times of day. */
const RateSlot = z.strictObject({ from: HhMm, to: HhMm, perHour: z.number().min(0).max(10_000) });

/** One arrival stream: some services, how many come over the day, and how they behave. */
export const ArrivalStream = z
  .strictObject({
    name: z.string().min(1).max(60).optional(),
    /** The services of the stream, or all services of a hall category (ServiceConfig.category). */
    services: z.array(Id).min(1).optional(),
    category: z.string().min(1).max(30).optional(),
    /** Relative shares of the stream's services; absent ones weigh 1. */
    weights: z.record(z.string(), z.number().positive()).optional(),
    /** Tickets expected over the day, spread by `curve` over `hours` (default: the hall's defaultHours). */
    perDay: z.number().positive().max(100_000).optional(),
    curve: z.enum(['two-peaks', 'flat']).optional(),
    hours: z.array(Range).min(1).optional(),
    /** Or explicit piecewise rates (tickets per hour); outside them nobody comes. */
    rates: z.array(RateSlot).min(1).optional(),
    serviceTime: ServiceTime.optional(),
    noShowShare: Share.optional(),
    priorityShare: Share.optional(),
    /** This share of the served tickets is transferred to `to` after their service (T7), then served there. */
    transfer: z.strictObject({ share: Share, to: Id }).optional(),
  })
  .check((ctx) => {
    const v = ctx.value;
    if ((v.services === undefined) === (v.category === undefined))
      ctx.issues.push({ code: 'custom', input: v, message: 'give exactly one of "services" and "category"' });
    if ((v.perDay === undefined) === (v.rates === undefined))
      ctx.issues.push({ code: 'custom', input: v, message: 'give exactly one of "perDay" and "rates"' });
    if (v.rates !== undefined && (v.curve !== undefined || v.hours !== undefined))
      ctx.issues.push({ code: 'custom', input: v, message: '"curve" and "hours" go with "perDay", not with "rates"' });
  });
export type ArrivalStream = z.infer<typeof ArrivalStream>;

/** A counter's day: when it opens, pauses and closes; `off`: not staffed today. */
const CounterDay = z.strictObject({
  open: HhMm.optional(),
  close: HhMm.optional(),
  pauses: z.array(Range).optional(),
  off: z.boolean().optional(),
});

export const DayPlan = z
  .strictObject({
    /** The hall: a path to its configuration (relative to the plan file), or the configuration itself. */
    hall: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
    date: BusinessDay,
    /** Enforce issuing hours and open days (I4); off by default, so any date and hour can be simulated. */
    enforceHours: z.boolean().default(false),
    /** All counters use this policy (absent: each its configured one). */
    policy: RoutingPolicyName.optional(),
    defaults: z
      .strictObject({
        noShowShare: Share.default(0.05),
        priorityShare: Share.default(0.08),
        serviceTime: ServiceTime.default({}),
      })
      .default({ noShowShare: 0.05, priorityShare: 0.08, serviceTime: {} }),
    /** Per service, overriding its stream's service time. */
    serviceTimes: z.record(z.string(), ServiceTime).default({}),
    arrivals: z.array(ArrivalStream).optional(),
    /** Or a trace CSV (see readTrace), relative to the plan file. */
    trace: z.string().min(1).optional(),
    schedule: z
      .strictObject({
        default: z.strictObject({ open: HhMm, close: HhMm, pauses: z.array(Range).default([]) }),
        counters: z.record(z.string(), CounterDay).default({}),
      })
      .default({ default: { open: '08:30', close: '17:00', pauses: [] }, counters: {} }),
    /** Seconds a clerk takes between finishing one ticket and calling the next. */
    reactionSeconds: z.number().min(0).max(3600).default(10),
    /** Seconds a called citizen takes to reach the counter (call → start). */
    walkSeconds: z.number().min(0).max(3600).default(20),
    /** Seconds a clerk waits for a called citizen before marking a no-show. */
    noShowGraceSeconds: z.number().min(0).max(3600).default(120),
    /** At closing time a counter still serves the tickets it may call that wait (nobody is sent home). */
    drain: z.boolean().default(true),
  })
  .check((ctx) => {
    if ((ctx.value.arrivals === undefined) === (ctx.value.trace === undefined))
      ctx.issues.push({ code: 'custom', input: ctx.value, message: 'give exactly one of "arrivals" and "trace"' });
  });
export type DayPlanInput = z.input<typeof DayPlan>;

// ---------------------------------------------------------------- the resolved plan

/** A service-time distribution, resolved: minutes. */
export interface Distribution {
  distribution: 'lognormal' | 'exponential' | 'fixed';
  meanMinutes: number;
  cv: number;
}

/** One citizen of the day, everything about them drawn in advance so every policy sees the same people. */
export interface Arrival {
  /** Seconds since local midnight. */
  at: number;
  serviceId: string;
  priority: Priority;
  /** Service time at the counter (start → finish), seconds. */
  serviceSeconds: number;
  /** Does not come when called. */
  noShow: boolean;
  /** After the service, transferred to another service and served there for `serviceSeconds`. */
  transfer: { to: string; serviceSeconds: number } | null;
}

export interface CounterSchedule {
  open: number;
  close: number;
  pauses: { from: number; to: number }[];
}

export interface ResolvedStream {
  name: string;
  services: { id: string; weight: number }[];
  /** Piecewise constant rate: [from, to) seconds, tickets per hour. */
  slots: { from: number; to: number; perHour: number }[];
  noShowShare: number;
  priorityShare: number;
  transfer: { share: number; to: string } | null;
  serviceTime: ServiceTime;
}

export interface ResolvedPlan {
  file: string;
  hall: HallConfigType;
  date: string;
  enforceHours: boolean;
  policy: z.infer<typeof RoutingPolicyName> | undefined;
  streams: ResolvedStream[];
  /** A trace's arrivals (then `streams` is empty). */
  trace: Arrival[] | null;
  /** Per service id. */
  serviceTimes: Map<string, Distribution>;
  /** Only the counters staffed today. */
  schedule: Map<string, CounterSchedule>;
  reactionSeconds: number;
  walkSeconds: number;
  noShowGraceSeconds: number;
  drain: boolean;
}

const secondsOf = (hhmm: string) => parseHhMm(hhmm) * 60;

function entryName(root: unknown, path: PropertyKey[]): string {
  let out = '';
  let node: unknown = root;
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number' && node && typeof node === 'object') {
      const n = node as { name?: unknown; category?: unknown };
      const label =
        typeof n.name === 'string' ? `name "${n.name}"` : typeof n.category === 'string' ? `category "${n.category}"` : '';
      if (label) out += ` (${label})`;
    }
  }
  return out || '(top level)';
}

/**
 * The usual day of a hall: a morning peak (09:45), a lower afternoon one (14:45) and a lunch dip, as a
 * weight per half hour within `hours`: 0.25 + e^{−½((t−09:45)/60 min)²} + 0.8·e^{−½((t−14:45)/60 min)²} at
 * each slot's middle, scaled so the day holds `perDay` tickets. Returns [from, to) seconds with tickets per hour.
 */
export function twoPeaks(
  perDay: number,
  hours: { from: number; to: number }[],
  curve: 'two-peaks' | 'flat' = 'two-peaks',
): { from: number; to: number; perHour: number }[] {
  const bump = (t: number, mid: number) => Math.exp(-0.5 * ((t - mid) / 3600) ** 2);
  const weight = (t: number) => (curve === 'flat' ? 1 : 0.25 + bump(t, 9.75 * 3600) + 0.8 * bump(t, 14.75 * 3600));
  const slots: { from: number; to: number; w: number }[] = [];
  for (const r of hours) {
    for (let from = r.from; from < r.to; ) {
      const to = Math.min(r.to, (Math.floor(from / 1800) + 1) * 1800);
      slots.push({ from, to, w: weight((from + to) / 2) });
      from = to;
    }
  }
  const mass = slots.reduce((s, x) => s + (x.w * (x.to - x.from)) / 3600, 0);
  return slots.map((x) => ({ from: x.from, to: x.to, perHour: mass > 0 ? (perDay * x.w) / mass : 0 }));
}

/** Reads a plan file (YAML or JSON) and resolves it against its hall. Throws PlanError naming the bad entries. */
export function loadPlan(file: string): ResolvedPlan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PlanError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(file) ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    throw new PlanError(file, [`not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message.split('\n')[0]}`]);
  }
  return resolvePlan(raw, file, dirname(resolve(file)));
}

/** Validates a parsed plan and resolves it: the hall loaded, streams, service times and schedules checked. */
export function resolvePlan(raw: unknown, file = '(inline)', baseDir = process.cwd()): ResolvedPlan {
  const parsed = DayPlan.safeParse(raw);
  if (!parsed.success)
    throw new PlanError(
      file,
      parsed.error.issues.map((i) => `${entryName(raw, i.path)}: ${i.message}`),
    );
  const p = parsed.data;
  let hall: HallConfigType;
  try {
    hall = typeof p.hall === 'string' ? loadHallConfig(resolve(baseDir, p.hall)) : validateHallConfig(p.hall, `${file} (hall)`);
  } catch (e) {
    if (e instanceof HallConfigError)
      throw new PlanError(
        file,
        e.problems.map((x) => `hall: ${x}`),
      );
    throw e;
  }
  const problems: string[] = [];
  const services = new Map(hall.services.map((s) => [s.id, s]));
  const counterIds = new Set(hall.counters.map((c) => c.id));
  const range = (where: string, from: string, to: string) => {
    if (parseHhMm(from) >= parseHhMm(to)) problems.push(`${where}: "from" ${from} is not before "to" ${to}`);
  };

  const resolveTime = (where: string, base: ServiceTime, own: ServiceTime | undefined, serviceId: string): Distribution => {
    const t = { ...base, ...own };
    const distribution = t.distribution ?? 'lognormal';
    if (distribution === 'exponential' && t.cv !== undefined && t.cv !== 1)
      problems.push(`${where}: an exponential distribution has cv 1, not ${t.cv}`);
    return {
      distribution,
      meanMinutes: t.meanMinutes ?? services.get(serviceId)?.defaultServiceMinutes ?? 8,
      cv: distribution === 'exponential' ? 1 : distribution === 'fixed' ? 0 : (t.cv ?? 0.6),
    };
  };

  const serviceTimes = new Map<string, Distribution>();
  const streams: ResolvedStream[] = [];
  (p.arrivals ?? []).forEach((s, i) => {
    const where = entryName(raw, ['arrivals', i]);
    let ids: string[];
    if (s.services) {
      ids = s.services;
      s.services.forEach((id, j) => {
        if (!services.has(id)) problems.push(`${where}: services[${j}]: unknown service "${id}"`);
      });
    } else {
      ids = hall.services.filter((x) => x.category === s.category).map((x) => x.id);
      if (ids.length === 0) problems.push(`${where}: category: no service of the hall is in category "${s.category}"`);
    }
    for (const id of Object.keys(s.weights ?? {}))
      if (!ids.includes(id)) problems.push(`${where}: weights: "${id}" is not a service of this stream`);
    if (s.transfer && !services.has(s.transfer.to)) problems.push(`${where}: transfer.to: unknown service "${s.transfer.to}"`);
    if (s.transfer && ids.includes(s.transfer.to))
      problems.push(`${where}: transfer.to: "${s.transfer.to}" is a service of the stream itself (T7 refuses it)`);
    s.hours?.forEach((r, j) => {
      range(`${where}: hours[${j}]`, r.from, r.to);
    });
    s.rates?.forEach((r, j) => {
      range(`${where}: rates[${j}]`, r.from, r.to);
    });
    const hours = (s.hours ?? hall.settings.defaultHours).map((r) => ({ from: secondsOf(r.from), to: secondsOf(r.to) }));
    const slots =
      s.rates !== undefined
        ? s.rates.map((r) => ({ from: secondsOf(r.from), to: secondsOf(r.to), perHour: r.perHour }))
        : twoPeaks(s.perDay ?? 0, hours, s.curve);
    const serviceTime = { ...p.defaults.serviceTime, ...s.serviceTime };
    for (const id of ids) {
      const own = p.serviceTimes[id];
      serviceTimes.set(id, resolveTime(own ? `serviceTimes.${id}` : where, serviceTime, own, id));
    }
    streams.push({
      name: s.name ?? s.category ?? ids.join('+'),
      services: ids.map((id) => ({ id, weight: s.weights?.[id] ?? 1 })),
      slots,
      noShowShare: s.noShowShare ?? p.defaults.noShowShare,
      priorityShare: s.priorityShare ?? p.defaults.priorityShare,
      transfer: s.transfer ?? null,
      serviceTime,
    });
  });
  for (const [id, own] of Object.entries(p.serviceTimes)) {
    if (!services.has(id)) problems.push(`serviceTimes.${id}: unknown service "${id}"`);
    else if (!serviceTimes.has(id)) serviceTimes.set(id, resolveTime(`serviceTimes.${id}`, p.defaults.serviceTime, own, id));
  }
  // Transfer targets and trace services without a stream of their own: the defaults.
  for (const s of hall.services)
    if (!serviceTimes.has(s.id))
      serviceTimes.set(s.id, resolveTime('defaults.serviceTime', p.defaults.serviceTime, undefined, s.id));

  const d = p.schedule.default;
  range('schedule.default', d.open, d.close);
  d.pauses.forEach((r, j) => {
    range(`schedule.default.pauses[${j}]`, r.from, r.to);
  });
  for (const [id, c] of Object.entries(p.schedule.counters)) {
    if (!counterIds.has(id)) problems.push(`schedule.counters.${id}: unknown counter "${id}"`);
    range(`schedule.counters.${id}`, c.open ?? d.open, c.close ?? d.close);
    c.pauses?.forEach((r, j) => {
      range(`schedule.counters.${id}.pauses[${j}]`, r.from, r.to);
    });
  }
  const schedule = new Map<string, CounterSchedule>();
  for (const c of hall.counters) {
    const own = p.schedule.counters[c.id] ?? {};
    if (own.off) continue;
    schedule.set(c.id, {
      open: secondsOf(own.open ?? d.open),
      close: secondsOf(own.close ?? d.close),
      pauses: (own.pauses ?? d.pauses).map((r) => ({ from: secondsOf(r.from), to: secondsOf(r.to) })),
    });
  }

  let trace: Arrival[] | null = null;
  if (p.trace !== undefined) {
    const path = resolve(baseDir, p.trace);
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      problems.push(`trace: cannot read ${path}: ${(e as Error).message}`);
    }
    if (text) {
      try {
        trace = readTrace(text, hall);
      } catch (e) {
        if (e instanceof TraceError) problems.push(...e.problems.map((x) => `trace ${p.trace}: ${x}`));
        else throw e;
      }
    }
  }
  if (problems.length > 0) throw new PlanError(file, problems);
  return {
    file,
    hall,
    date: p.date,
    enforceHours: p.enforceHours,
    policy: p.policy,
    streams,
    trace,
    serviceTimes,
    schedule,
    reactionSeconds: p.reactionSeconds,
    walkSeconds: p.walkSeconds,
    noShowGraceSeconds: p.noShowGraceSeconds,
    drain: p.drain,
  };
}

// ---------------------------------------------------------------- a trace in slow motion

/**
 * A trace day stretched in time by `k` (issue 6: the bank trace replayed at hall scale). Every time of day
 * t becomes t0 + k·(t − t0), t0 the day's start (the earliest counter opening or arrival), and every
 * duration is multiplied by k: service times, the counters' hours and pauses, reaction, walk, no-show
 * grace, the services' defaultServiceMinutes (the estimate's fallback before any history) and the
 * priority head start. Gaps between arrivals × k and services × k: the load ρ is unchanged, every queueing
 * decision is the same, and every wait is exactly k times the trace's (with a whole k every time stays a
 * whole second, so exactly; a fractional k may break a tie differently through float rounding). The day
 * lasts k times as long, past midnight for a long day (times of day keep counting, as `clock` prints them).
 * Only a trace plan, with enforceHours off (issuing hours are not stretched). Throws PlanError otherwise.
 */
export function stretchPlan(plan: ResolvedPlan, k: number): ResolvedPlan {
  if (!Number.isFinite(k) || !(k > 0)) throw new PlanError(plan.file, [`stretch: must be a finite number > 0, not ${k}`]);
  const problems: string[] = [];
  if (plan.trace === null) problems.push('stretch: only a trace plan can be stretched (this one draws its arrivals)');
  if (plan.enforceHours) problems.push('stretch: the plan enforces issuing hours (enforceHours), which are not stretched');
  if (problems.length > 0) throw new PlanError(plan.file, problems);
  const trace = plan.trace as Arrival[];
  let t0 = Number.POSITIVE_INFINITY;
  for (const a of trace) t0 = Math.min(t0, a.at);
  for (const c of plan.schedule.values()) t0 = Math.min(t0, c.open);
  if (!Number.isFinite(t0)) t0 = 0;
  const at = (t: number) => t0 + k * (t - t0);
  const hall: HallConfigType = {
    ...plan.hall,
    settings: { ...plan.hall.settings, priorityHeadStartMinutes: plan.hall.settings.priorityHeadStartMinutes * k },
    services: plan.hall.services.map((s) => ({ ...s, defaultServiceMinutes: s.defaultServiceMinutes * k })),
  };
  return {
    ...plan,
    hall,
    trace: trace.map((a) => ({
      ...a,
      at: at(a.at),
      serviceSeconds: a.serviceSeconds * k,
      transfer: a.transfer && { ...a.transfer, serviceSeconds: a.transfer.serviceSeconds * k },
    })),
    serviceTimes: new Map([...plan.serviceTimes].map(([id, d]) => [id, { ...d, meanMinutes: d.meanMinutes * k }])),
    schedule: new Map(
      [...plan.schedule].map(([id, c]) => [
        id,
        { open: at(c.open), close: at(c.close), pauses: c.pauses.map((p) => ({ from: at(p.from), to: at(p.to) })) },
      ]),
    ),
    reactionSeconds: plan.reactionSeconds * k,
    walkSeconds: plan.walkSeconds * k,
    noShowGraceSeconds: plan.noShowGraceSeconds * k,
  };
}

// ---------------------------------------------------------------- drawing a day

/** One draw of a service time, seconds. */
export function drawServiceSeconds(rng: Rng, d: Distribution): number {
  const minutes =
    d.distribution === 'fixed'
      ? d.meanMinutes
      : d.distribution === 'exponential'
        ? exponential(rng, d.meanMinutes)
        : logNormal(rng, d.meanMinutes, d.cv);
  return minutes * 60;
}

/**
 * The day's citizens: each stream a non-homogeneous Poisson process (exponential gaps at the slot's rate,
 * restarted at each slot boundary), each citizen's service, priority, no-show, transfer and service time
 * drawn at once. The same plan and seed give the same arrivals; a trace gives its own.
 */
export function drawArrivals(plan: ResolvedPlan, seed: number): Arrival[] {
  if (plan.trace) return plan.trace.map((a) => ({ ...a, transfer: a.transfer && { ...a.transfer } }));
  const out: Arrival[] = [];
  plan.streams.forEach((s, i) => {
    // One stream per generator, so adding a stream does not change the others' citizens.
    const rng = mulberry32((seed * 0x9e3779b1 + i * 0x85ebca6b) >>> 0);
    const total = s.services.reduce((a, x) => a + x.weight, 0);
    for (const slot of s.slots) {
      if (slot.perHour <= 0) continue;
      const gap = 3600 / slot.perHour;
      for (let t = slot.from + exponential(rng, gap); t < slot.to; t += exponential(rng, gap)) {
        let pick = rng() * total;
        let serviceId = (s.services[s.services.length - 1] as { id: string }).id;
        for (const x of s.services) {
          pick -= x.weight;
          if (pick < 0) {
            serviceId = x.id;
            break;
          }
        }
        const priority: Priority = rng() < s.priorityShare ? 'elderly' : 'none';
        const noShow = rng() < s.noShowShare;
        const serviceSeconds = drawServiceSeconds(rng, plan.serviceTimes.get(serviceId) as Distribution);
        const moves = s.transfer !== null && rng() < s.transfer.share;
        const transfer =
          moves && s.transfer
            ? { to: s.transfer.to, serviceSeconds: drawServiceSeconds(rng, plan.serviceTimes.get(s.transfer.to) as Distribution) }
            : null;
        out.push({ at: t, serviceId, priority, serviceSeconds, noShow, transfer: noShow ? null : transfer });
      }
    }
  });
  return out.sort((a, b) => a.at - b.at);
}

// ---------------------------------------------------------------- the trace CSV

export class TraceError extends Error {
  constructor(readonly problems: string[]) {
    super(`trace is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'TraceError';
  }
}

/** The columns of a trace CSV, in this order, with a header line naming them. */
export const TRACE_COLUMNS = ['arrival', 'service', 'priority', 'duration_s', 'no_show'] as const;

/**
 * A trace CSV: a header `arrival,service,priority,duration_s,no_show`, then one citizen a line:
 * - `arrival`: time of day HH:MM:SS (Asia/Shanghai), the ticket's issue;
 * - `service`: a service id of the hall;
 * - `priority`: `none`, a priority (`elderly`, `disabled`, `military`, `appointment`), or 0/1 (1 = elderly);
 * - `duration_s`: service time in seconds (start → finish); may be empty on a no-show line;
 * - `no_show`: 1 when the citizen does not come when called, else 0.
 * Blank lines and lines starting with `#` are skipped. Lines may come in any order.
 */
export function readTrace(text: string, hall: HallConfigType): Arrival[] {
  const services = new Set(hall.services.map((s) => s.id));
  const lines = text.split(/\r?\n/);
  const problems: string[] = [];
  const out: Arrival[] = [];
  let header = false;
  lines.forEach((line, i) => {
    const where = `line ${i + 1}`;
    if (line.trim() === '' || line.startsWith('#')) return;
    const cells = line.split(',').map((c) => c.trim());
    if (!header) {
      header = true;
      if (cells.join(',') !== TRACE_COLUMNS.join(','))
        problems.push(`${where}: the header must be "${TRACE_COLUMNS.join(',')}", not "${line}"`);
      return;
    }
    if (cells.length !== TRACE_COLUMNS.length) {
      problems.push(`${where}: ${cells.length} columns, expected ${TRACE_COLUMNS.length}`);
      return;
    }
    const [arrival, service, priority, duration, noShow] = cells as [string, string, string, string, string];
    const m = /^(\d{1,2}):([0-5]\d):([0-5]\d)$/.exec(arrival);
    if (!m || Number(m[1]) > 23) problems.push(`${where}: arrival "${arrival}" is not a time HH:MM:SS`);
    if (!services.has(service)) problems.push(`${where}: service "${service}" is not in the hall`);
    const prio: Priority | null =
      priority === '0'
        ? 'none'
        : priority === '1'
          ? 'elderly'
          : (PRIORITIES as readonly string[]).includes(priority)
            ? (priority as Priority)
            : null;
    if (prio === null) problems.push(`${where}: priority "${priority}" is not none, ${PRIORITIES.slice(1).join(', ')}, 0 or 1`);
    if (noShow !== '0' && noShow !== '1') problems.push(`${where}: no_show "${noShow}" is not 0 or 1`);
    const seconds = duration === '' && noShow === '1' ? 0 : Number(duration);
    if (duration === '' && noShow !== '1') problems.push(`${where}: duration_s is empty but the citizen was served`);
    else if (!Number.isFinite(seconds) || seconds < 0)
      problems.push(`${where}: duration_s "${duration}" is not a number of seconds ≥ 0`);
    if (m && prio !== null)
      out.push({
        at: Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]),
        serviceId: service,
        priority: prio,
        serviceSeconds: seconds,
        noShow: noShow === '1',
        transfer: null,
      });
  });
  if (!header) problems.push('the trace is empty (no header line)');
  if (problems.length > 0) throw new TraceError(problems);
  return out.sort((a, b) => a.at - b.at);
}
