/**
 * Calibration of the hall simulator on the real service-queue log in ../shared/data (issue 6).
 *
 *   node --import tsx scripts/calibrate/analyse.ts [--log path.tsv] [--out docs/calibration.json]
 *
 * Reads the Anonymous Bank log (February 1999), measures the shapes a simulated hall day needs — arrivals
 * per half hour over the day, service-time mean / CV and how log-normal they are, waits, abandonment and
 * abandonment vs wait, priority classes — per day type and per service type / priority, writes them as
 * numbers to docs/calibration.json and prints a summary. docs/calibration.md says what they mean for a hall.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  abandoned,
  type Call,
  type CallType,
  DAY_TYPES,
  type DayType,
  DEFAULT_LOG,
  formatTime,
  joined,
  REPO,
  readBankLog,
  TYPE_LABELS,
  TYPES,
} from './bank.js';

const SLOT = 1800;
const SLOTS = 48;

// ------------------------------------------------------------------------------------------------ statistics

const round = (x: number, digits = 4): number => {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

const mean = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

function sd(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Quantile of sorted data, linear interpolation (type 7). */
function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
function normCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const y =
    1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

const Z = { p50: 0, p90: 1.2815515655446004, p99: 2.3263478740408408 } as const;

interface LogNormalFit {
  mu: number;
  sigma: number;
  p50: number;
  p90: number;
  p99: number;
  /** Kolmogorov–Smirnov distance between the data (> 0 s) and the fitted distribution. */
  ks: number;
}

function lognormalFit(sortedPositive: readonly number[], mu: number, sigma: number): LogNormalFit {
  let ks = 0;
  const n = sortedPositive.length;
  let runStart = 0;
  for (let i = 0; i < n; i++) {
    const x = sortedPositive[i] ?? 0;
    if (i > 0 && sortedPositive[i - 1] !== x) runStart = i;
    // ties (whole seconds): compare the CDF with the empirical CDF just below and at x
    if (i + 1 < n && sortedPositive[i + 1] === x) continue;
    const F = normCdf((Math.log(x) - mu) / sigma);
    ks = Math.max(ks, Math.abs((i + 1) / n - F), Math.abs(runStart / n - F));
  }
  const q = (z: number): number => Math.exp(mu + sigma * z);
  return {
    mu: round(mu),
    sigma: round(sigma),
    p50: round(q(Z.p50), 1),
    p90: round(q(Z.p90), 1),
    p99: round(q(Z.p99), 1),
    ks: round(ks),
  };
}

interface ServiceStats {
  n: number;
  mean: number;
  median: number;
  cv: number;
  data: { p50: number; p90: number; p99: number };
  /** Log-normal with the data's mean and CV (how the simulator parameterises it). */
  lognormalMoments: LogNormalFit;
  /** Log-normal fitted by maximum likelihood on log(x) (x > 0). */
  lognormalMle: LogNormalFit;
}

function serviceStats(values: readonly number[]): ServiceStats | null {
  if (values.length < 20) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const m = mean(sorted);
  const cv = sd(sorted) / m;
  const positive = sorted.filter((x) => x > 0);
  const s2 = Math.log(1 + cv * cv);
  const logs = positive.map(Math.log);
  return {
    n: sorted.length,
    mean: round(m, 1),
    median: round(quantile(sorted, 0.5), 1),
    cv: round(cv, 3),
    data: { p50: round(quantile(sorted, 0.5), 1), p90: round(quantile(sorted, 0.9), 1), p99: round(quantile(sorted, 0.99), 1) },
    lognormalMoments: lognormalFit(positive, Math.log(m) - s2 / 2, Math.sqrt(s2)),
    lognormalMle: lognormalFit(positive, mean(logs), sd(logs)),
  };
}

interface WaitStats {
  /** Calls that joined the queue or went straight to an agent. */
  joined: number;
  served: number;
  abandoned: number;
  /** abandoned / joined */
  abandonShare: number;
  /** abandoned / (joined with q_time > 0) */
  abandonShareOfQueued: number;
  /** Served without any wait / served. */
  servedNoWaitShare: number;
  servedWait: { mean: number; p50: number; p90: number; p95: number };
  /** Wait of the served who did queue (q_time > 0): compares classes without the "no wait at all" mass. */
  servedQueuedWait: { mean: number; p50: number; p90: number };
  /** Time waited by those who abandoned (their observed patience). */
  abandonWait: { mean: number; p50: number; p90: number };
}

function waitStats(calls: readonly Call[]): WaitStats {
  const j = calls.filter(joined);
  const served = j.filter((c) => c.outcome === 'AGENT');
  const ab = j.filter(abandoned);
  const queued = j.filter((c) => c.qTime > 0);
  const sw = served.map((c) => c.qTime).sort((a, b) => a - b);
  const aw = ab.map((c) => c.qTime).sort((a, b) => a - b);
  const sqw = sw.filter((x) => x > 0);
  return {
    joined: j.length,
    served: served.length,
    abandoned: ab.length,
    abandonShare: round(ab.length / j.length),
    abandonShareOfQueued: round(ab.length / queued.length),
    servedNoWaitShare: round(served.filter((c) => c.qTime === 0).length / served.length),
    servedWait: {
      mean: round(mean(sw), 1),
      p50: round(quantile(sw, 0.5), 1),
      p90: round(quantile(sw, 0.9), 1),
      p95: round(quantile(sw, 0.95), 1),
    },
    servedQueuedWait: { mean: round(mean(sqw), 1), p50: round(quantile(sqw, 0.5), 1), p90: round(quantile(sqw, 0.9), 1) },
    abandonWait: { mean: round(mean(aw), 1), p50: round(quantile(aw, 0.5), 1), p90: round(quantile(aw, 0.9), 1) },
  };
}

/**
 * Abandonment vs wait as a hazard: of the callers still waiting when the wait reached the bin's start, the
 * share that hung up inside the bin (served callers leave the risk set when served — Kaplan–Meier style).
 */
function abandonHazard(
  calls: readonly Call[],
): { fromS: number; toS: number | null; atRisk: number; abandoned: number; hazard: number; hazardPerMinute: number | null }[] {
  const queued = calls.filter((c) => joined(c) && c.qTime > 0);
  const edges = [0, 15, 30, 60, 120, 180, 300, 600, Number.POSITIVE_INFINITY];
  const out = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const from = edges[i] ?? 0;
    const to = edges[i + 1] ?? Number.POSITIVE_INFINITY;
    const atRisk = queued.filter((c) => c.qTime >= from).length;
    const ab = queued.filter((c) => abandoned(c) && c.qTime >= from && c.qTime < to).length;
    const finite = Number.isFinite(to);
    out.push({
      fromS: from,
      toS: finite ? to : null,
      atRisk,
      abandoned: ab,
      hazard: round(ab / atRisk),
      hazardPerMinute: finite ? round(ab / atRisk / ((to - from) / 60)) : null,
    });
  }
  return out;
}

function pearson(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

// ------------------------------------------------------------------------------------------------ arrival curves

const slotLabel = (i: number): string => formatTime(i * SLOT).slice(0, 5);
const slotOf = (seconds: number): number => Math.min(SLOTS - 1, Math.floor((seconds % 86400) / SLOT));

/** Mean arrivals (queue joins) per half hour over the days of a day type. */
function arrivalCurve(calls: readonly Call[], days: readonly string[]): number[] {
  const counts = new Array<number>(SLOTS).fill(0);
  for (const c of calls) counts[slotOf(c.vruExit)] = (counts[slotOf(c.vruExit)] ?? 0) + 1;
  return counts.map((x) => x / Math.max(1, days.length));
}

const normalise = (xs: readonly number[]): number[] => {
  const total = xs.reduce((a, b) => a + b, 0);
  return xs.map((x) => (total > 0 ? round(x / total, 5) : 0));
};

interface Peaks {
  morningPeak: { slot: string; perHalfHour: number };
  afternoonPeak: { slot: string; perHalfHour: number };
  lunchDip: { slot: string; perHalfHour: number; ratioToLowerPeak: number; present: boolean } | null;
}

function findPeaks(curve: readonly number[]): Peaks {
  const argmax = (from: number, to: number): number => {
    let best = from;
    for (let i = from; i < to; i++) if ((curve[i] ?? 0) > (curve[best] ?? 0)) best = i;
    return best;
  };
  const am = argmax(14, 26); // 07:00–13:00
  const pm = argmax(26, 38); // 13:00–19:00
  let dip: number | null = null;
  for (let i = am + 1; i < pm; i++) if (dip === null || (curve[i] ?? 0) < (curve[dip] ?? 0)) dip = i;
  const lower = Math.min(curve[am] ?? 0, curve[pm] ?? 0);
  return {
    morningPeak: { slot: slotLabel(am), perHalfHour: round(curve[am] ?? 0, 1) },
    afternoonPeak: { slot: slotLabel(pm), perHalfHour: round(curve[pm] ?? 0, 1) },
    lunchDip:
      dip === null
        ? null
        : {
            slot: slotLabel(dip),
            perHalfHour: round(curve[dip] ?? 0, 1),
            ratioToLowerPeak: round((curve[dip] ?? 0) / lower, 3),
            present: (curve[dip] ?? 0) < 0.9 * lower,
          },
  };
}

// ------------------------------------------------------------------------------------------------ main

const { values: args } = parseArgs({
  options: {
    log: { type: 'string', default: DEFAULT_LOG },
    out: { type: 'string', default: resolve(REPO, 'docs', 'calibration.json') },
  },
});

const t0 = performance.now();
const { calls, rows, skipped, quirks } = readBankLog(args.log);
const used = calls.filter((c) => c.outcome !== 'PHANTOM');
const joiners = used.filter(joined);
const served = joiners.filter((c) => c.outcome === 'AGENT');
const vruHang = used.filter((c) => c.outcome === 'HANG' && c.qTime === 0).length;
const phantom = calls.length - used.length;

const allDays = [...new Set(calls.map((c) => c.date))].sort();
const daysOf = (t: DayType): string[] => allDays.filter((d) => calls.find((c) => c.date === d)?.dayType === t);
const perDay = allDays.map((d) => {
  const dj = joiners.filter((c) => c.date === d);
  return {
    date: d,
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][dj[0]?.weekday ?? 0] ?? '',
    joined: dj.length,
    abandonShare: round(dj.filter(abandoned).length / dj.length, 3),
  };
});

// Arrival curves per day type, per day type × service type and × priority.
const arrivals: Record<string, unknown> = {};
const weekdayCurve = arrivalCurve(
  joiners.filter((c) => c.dayType === 'sun-thu'),
  daysOf('sun-thu'),
);
for (const t of DAY_TYPES) {
  const days = daysOf(t);
  const jt = joiners.filter((c) => c.dayType === t);
  const curve = arrivalCurve(jt, days);
  const byType: Record<string, { perDay: number; share: number; curve: number[] }> = {};
  for (const ty of TYPES) {
    const c = arrivalCurve(
      jt.filter((x) => x.type === ty),
      days,
    );
    const total = c.reduce((a, b) => a + b, 0);
    byType[ty] = { perDay: round(total, 1), share: round(total / (jt.length / days.length)), curve: normalise(c) };
  }
  const byPriority: Record<string, { perDay: number; share: number; curve: number[] }> = {};
  for (const p of [0, 1, 2]) {
    const c = arrivalCurve(
      jt.filter((x) => x.priority === p),
      days,
    );
    const total = c.reduce((a, b) => a + b, 0);
    byPriority[String(p)] = { perDay: round(total, 1), share: round(total / (jt.length / days.length)), curve: normalise(c) };
  }
  arrivals[t] = {
    days: days.length,
    meanPerDay: round(jt.length / days.length, 1),
    meanPerHalfHour: curve.map((x) => round(x, 2)),
    curve: normalise(curve),
    peaks: t === 'sun-thu' ? findPeaks(curve) : null,
    byType,
    byPriority,
  };
}

// The weekday curve cut to a hall's hours (08:30–12:00, 13:30–17:00) and renormalised.
const hallSlots = [...Array(SLOTS).keys()].filter((i) => (i >= 17 && i < 24) || (i >= 27 && i < 34));
const hallRaw = weekdayCurve.map((x, i) => (hallSlots.includes(i) ? x : 0));
const hallCurve = normalise(hallRaw);

// Service times.
const serviceOf = (cs: readonly Call[]): number[] => cs.map((c) => c.serTime);
const service = {
  all: serviceStats(serviceOf(served)),
  /** Without the services under 10 s (mis-routed or transferred calls, 5 % of the served). */
  allAtLeast10s: serviceStats(serviceOf(served.filter((c) => c.serTime >= 10))),
  byType: Object.fromEntries(TYPES.map((t) => [t, serviceStats(serviceOf(served.filter((c) => c.type === t)))])),
  byTypeAtLeast10s: Object.fromEntries(
    TYPES.map((t) => [t, serviceStats(serviceOf(served.filter((c) => c.type === t && c.serTime >= 10)))]),
  ),
  byPriority: Object.fromEntries(
    [0, 1, 2].map((p) => [String(p), serviceStats(serviceOf(served.filter((c) => c.priority === p)))]),
  ),
  byDayType: Object.fromEntries(DAY_TYPES.map((t) => [t, serviceStats(serviceOf(served.filter((c) => c.dayType === t)))])),
};

// Waits and abandonment.
const waits = {
  all: waitStats(used),
  byType: Object.fromEntries(TYPES.map((t) => [t, waitStats(used.filter((c) => c.type === t))])),
  byPriority: Object.fromEntries([0, 1, 2].map((p) => [String(p), waitStats(used.filter((c) => c.priority === p))])),
  byDayType: Object.fromEntries(DAY_TYPES.map((t) => [t, waitStats(used.filter((c) => c.dayType === t))])),
};
const hazard = abandonHazard(used);

// Abandonment vs wait across the weekday's hours: per hour, mean wait of the served and abandonment share.
const hourly: { hour: string; joined: number; meanServedWaitS: number; abandonShare: number }[] = [];
for (let h = 7; h < 24; h++) {
  const hc = joiners.filter((c) => c.dayType === 'sun-thu' && Math.floor((c.vruExit % 86400) / 3600) === h);
  if (hc.length < 50) continue;
  const sv = hc.filter((c) => c.outcome === 'AGENT');
  hourly.push({
    hour: `${String(h).padStart(2, '0')}:00`,
    joined: hc.length,
    meanServedWaitS: round(mean(sv.map((c) => c.qTime)), 1),
    abandonShare: round(hc.filter(abandoned).length / hc.length, 3),
  });
}
const waitAbandonCorrelation = round(
  pearson(
    hourly.map((h) => h.meanServedWaitS),
    hourly.map((h) => h.abandonShare),
  ),
  3,
);

// Agents at work: distinct agent names starting a service in the half hour (a lower bound on staffing), mean
// over the Sun–Thu days, and for each day (the trace replay opens that many counters).
const agentsByDaySlot = new Map<string, Set<string>[]>();
for (const c of served) {
  if (c.server === 'NO_SERVER' || c.serStart === null || c.serStart >= 86400) continue;
  let slots = agentsByDaySlot.get(c.date);
  if (!slots) {
    slots = Array.from({ length: SLOTS }, () => new Set<string>());
    agentsByDaySlot.set(c.date, slots);
  }
  slots[slotOf(c.serStart)]?.add(c.server);
}
const agentsPerDay = Object.fromEntries(allDays.map((d) => [d, (agentsByDaySlot.get(d) ?? []).map((set) => set.size)]));
const weekdayDays = daysOf('sun-thu');
const agentsWeekday = [...Array(SLOTS).keys()].map((i) => round(mean(weekdayDays.map((d) => agentsPerDay[d]?.[i] ?? 0)), 1));
// Offered load per half hour (Sun–Thu): arrivals × mean service ÷ 1800 s, in busy agents; and its ratio to the agents.
const meanService = service.all?.mean ?? Number.NaN;
const offeredLoad = weekdayCurve.map((x) => round((x * meanService) / SLOT, 2));
const utilisation = offeredLoad.map((x, i) => ((agentsWeekday[i] ?? 0) > 0 ? round(x / (agentsWeekday[i] ?? 1), 2) : null));

const prio2Share = joiners.filter((c) => c.priority === 2).length / joiners.length;
const typeShares = Object.fromEntries(TYPES.map((t) => [t, round(joiners.filter((c) => c.type === t).length / joiners.length)]));
const busiest = [...perDay].filter((d) => d.weekday !== 'Fri' && d.weekday !== 'Sat').sort((a, b) => b.joined - a.joined)[0];

const result = {
  $comment:
    'Shapes measured on the Anonymous Bank call-centre log (Feb 1999) by scripts/calibrate/analyse.ts; see docs/calibration.md. Times in seconds; arrival curves are 48 half-hour slots from 00:00, normalised to a day total of 1.',
  source: {
    file: '../shared/data/anonymous_bank_february_1999.tsv',
    rows,
    parsed: calls.length,
    skipped,
    quirks,
    excluded: { phantom, hungUpInVoiceMenu: vruHang },
    joined: joiners.length,
    served: served.length,
    abandoned: joiners.length - served.length,
    days: allDays.length,
    dayTypes: Object.fromEntries(DAY_TYPES.map((t) => [t, daysOf(t).length])),
  },
  slotMinutes: 30,
  slotStarts: [...Array(SLOTS).keys()].map(slotLabel),
  arrivals,
  hallDay: {
    $comment:
      'The Sun–Thu curve cut to 08:30–12:00 and 13:30–17:00 and renormalised: the demo day plans use it as the shape of a hall day.',
    open: ['08:30-12:00', '13:30-17:00'],
    curve: hallCurve,
    bySlot: Object.fromEntries(hallSlots.map((i) => [slotLabel(i), hallCurve[i]])),
  },
  service,
  waits,
  abandonHazard: hazard,
  hourlyWeekday: hourly,
  waitAbandonCorrelation,
  staffing: {
    $comment:
      'Distinct agents who started a service in each half hour (NO_SERVER excluded): Sun–Thu mean and per day; offered load = arrivals × mean service ÷ 1800 s; utilisation = offered load ÷ agents.',
    agentsWeekday,
    offeredLoadWeekday: offeredLoad,
    utilisationWeekday: utilisation,
    agentsPerDay,
  },
  shapes: {
    $comment: 'The numbers a day plan takes; means are the call centre’s and must be rescaled to a hall (docs/calibration.md).',
    arrivalCurveWeekday: normalise(weekdayCurve),
    arrivalCurveHall: hallCurve,
    serviceTimeByType: Object.fromEntries(
      TYPES.map((t) => {
        const s = service.byType[t];
        const s10 = service.byTypeAtLeast10s[t];
        return [t, { label: TYPE_LABELS[t as CallType], share: typeShares[t], meanS: s?.mean, cv: s?.cv, cvAtLeast10s: s10?.cv }];
      }),
    ),
    serviceTimeAll: { meanS: service.all?.mean, cv: service.all?.cv, cvAtLeast10s: service.allAtLeast10s?.cv },
    abandonShare: waits.all.abandonShare,
    abandonShareOfQueued: waits.all.abandonShareOfQueued,
    medianPatienceS: waits.all.abandonWait.p50,
    priorityShare: round(prio2Share),
    priorityServedWaitMeanS: waits.byPriority['2']?.servedWait.mean,
    regularServedWaitMeanS: round(mean(served.filter((c) => c.priority !== 2).map((c) => c.qTime)), 1),
  },
  perDay,
  busiestWeekday: busiest?.date,
};

mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
// Keep the file as the repository's formatter (biome) writes it, so `biome check` stays clean after a rerun.
const biome = resolve(REPO, 'node_modules', '.bin', 'biome');
if (existsSync(biome) && resolve(args.out).startsWith(`${REPO}/`)) {
  const r = spawnSync(biome, ['format', '--write', args.out], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) console.error(`biome format failed on ${args.out}: ${r.stderr || r.stdout}`);
}

// ------------------------------------------------------------------------------------------------ summary

const pct = (x: number | undefined): string => (x === undefined ? '–' : `${(100 * x).toFixed(1)} %`);
const out: string[] = [];
out.push(
  `Anonymous Bank, Feb 1999: ${rows} rows, ${calls.length} parsed, ${rows - calls.length} skipped ${JSON.stringify(skipped)}`,
);
out.push(`  quirks (kept): ${JSON.stringify(quirks)}`);
out.push(`  excluded from waits/arrivals: ${phantom} PHANTOM, ${vruHang} hung up in the voice menu (never queued)`);
out.push(
  `  joined the queue: ${joiners.length} (${served.length} served, ${joiners.length - served.length} abandoned) over ${allDays.length} days`,
);
for (const t of DAY_TYPES) {
  const a = arrivals[t] as { days: number; meanPerDay: number };
  out.push(`  ${t}: ${a.days} days, ${a.meanPerDay} joins/day`);
}
const pk = (arrivals['sun-thu'] as { peaks: Peaks }).peaks;
out.push(
  `Sun–Thu arrivals: morning peak ${pk.morningPeak.slot} (${pk.morningPeak.perHalfHour}/half hour), afternoon peak ${pk.afternoonPeak.slot} (${pk.afternoonPeak.perHalfHour}), dip ${pk.lunchDip?.slot} (${pk.lunchDip?.perHalfHour}, ${pct(pk.lunchDip?.ratioToLowerPeak)} of the lower peak, present: ${pk.lunchDip?.present})`,
);
out.push(
  `  weekday curve (per half hour, 07:00–24:00): ${weekdayCurve
    .slice(14)
    .map((x) => x.toFixed(0))
    .join(' ')}`,
);
const svc = (name: string, s: ServiceStats | null | undefined): string =>
  s
    ? `${name.padEnd(8)} n=${String(s.n).padStart(5)} mean ${s.mean.toFixed(0).padStart(4)} s  median ${s.median.toFixed(0).padStart(4)} s  CV ${s.cv.toFixed(2)}  p50/p90/p99 data ${s.data.p50}/${s.data.p90}/${s.data.p99}  LN(mean,CV) ${s.lognormalMoments.p50}/${s.lognormalMoments.p90}/${s.lognormalMoments.p99} KS ${s.lognormalMoments.ks}  LN(MLE) ${s.lognormalMle.p50}/${s.lognormalMle.p90}/${s.lognormalMle.p99} KS ${s.lognormalMle.ks}`
    : `${name.padEnd(8)} too few`;
out.push('Service times (served):');
out.push(`  ${svc('all', service.all)}`);
out.push(`  ${svc('all≥10s', service.allAtLeast10s)}`);
for (const t of TYPES) out.push(`  ${svc(t, service.byType[t])}`);
for (const t of TYPES) out.push(`  ${svc(`${t}≥10s`, service.byTypeAtLeast10s[t])}`);
for (const p of ['0', '1', '2']) out.push(`  ${svc(`prio ${p}`, service.byPriority[p])}`);
const w = (name: string, s: WaitStats | undefined): string =>
  s
    ? `${name.padEnd(8)} joined ${String(s.joined).padStart(5)}  abandoned ${pct(s.abandonShare)} (of queued ${pct(s.abandonShareOfQueued)})  served w/o wait ${pct(s.servedNoWaitShare)}  served wait mean ${s.servedWait.mean} s p50 ${s.servedWait.p50} p90 ${s.servedWait.p90}  if queued mean ${s.servedQueuedWait.mean} p90 ${s.servedQueuedWait.p90}  patience p50 ${s.abandonWait.p50} s`
    : '';
out.push('Waits and abandonment:');
out.push(`  ${w('all', waits.all)}`);
for (const t of TYPES) out.push(`  ${w(t, waits.byType[t])}`);
for (const p of ['0', '1', '2']) out.push(`  ${w(`prio ${p}`, waits.byPriority[p])}`);
for (const t of DAY_TYPES) out.push(`  ${w(t, waits.byDayType[t])}`);
out.push(
  `Abandonment hazard by wait: ${hazard.map((h) => `${h.fromS}–${h.toS ?? '∞'} s ${pct(h.hazard)}${h.hazardPerMinute === null ? '' : ` = ${pct(h.hazardPerMinute)}/min`} (${h.abandoned}/${h.atRisk})`).join(', ')}`,
);
out.push(`Hourly (Sun–Thu) mean served wait vs abandonment share: r = ${waitAbandonCorrelation}`);
out.push(`  ${hourly.map((h) => `${h.hour} ${h.meanServedWaitS}s/${pct(h.abandonShare)}`).join('  ')}`);
out.push(
  `Sun–Thu agents per half hour 07:00–24:00: ${agentsWeekday
    .slice(14)
    .map((x) => x.toFixed(0))
    .join(' ')}; utilisation 08:00–18:00: ${utilisation
    .slice(16, 36)
    .map((x) => (x === null ? '–' : x.toFixed(2)))
    .join(' ')}`,
);
out.push(`Priority-2 share of joins: ${pct(prio2Share)}; service type shares: ${JSON.stringify(typeShares)}`);
out.push(`Busiest Sun–Thu day: ${busiest?.date} (${busiest?.joined} joins)`);
out.push(`Wrote ${args.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(out.join('\n'));
