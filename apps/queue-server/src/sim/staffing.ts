/**
 * "How many windows would hold 80 % within 15 minutes, per hour" (issue 6): for each hour of a plan,
 * Erlang C gives the smallest number c of pooled comprehensive windows with P(wait ≤ 15 min) ≥ 0.8 for the
 * hour's offered load, then the simulator checks it: the hour's own citizens (the plan and seed's draws
 * that arrive in the hour) at c windows that serve every service.
 *
 * Per hour, from the plan's expected values (not the seed's draws):
 * - arrivals: Σ over streams of the rate × the hour's overlap with each slot;
 * - hold minutes per arrival, what a counter spends per citizen in the simulator: the clerk's reaction,
 *   then for one who comes walk + the mean service (+ the transfer's share × (reaction + walk + the
 *   target's mean)), for a no-show the grace period;
 * - offered load a = arrivals per hour × hold hours (Erlangs).
 * A trace plan: the trace's own arrivals and service times per hour.
 *
 * The check: the seed's whole day at pooled windows, c_h of them open in hour h (a window closing or
 * pausing at the hour's end finishes its ticket first; at the day's end the waiting are served), and per
 * hour the share of the tickets issued in it that were called within 15 minutes. Erlang C assumes each
 * hour stationary; the day carries one hour's backlog into the next and starts empty.
 */
import type { HallConfig, RoutingPolicyName } from '@yimen/shared';
import { simulate } from './engine.js';
import { erlangCServiceLevel } from './erlang.js';
import type { CounterSchedule, ResolvedPlan } from './plan.js';
import { drawArrivals } from './plan.js';
import { table, waitStats } from './summary.js';
import { DEFAULT_POLICY } from './whatif.js';

export const TARGET_MINUTES = 15;
export const TARGET_LEVEL = 0.8;

/**
 * The smallest c with P(wait ≤ targetMinutes) ≥ level in M/M/c (Erlang C), for `arrivalsPerHour` citizens
 * each holding a window `holdMinutes` on average. 0 when nobody comes.
 */
export function erlangStaffing(
  arrivalsPerHour: number,
  holdMinutes: number,
  targetMinutes = TARGET_MINUTES,
  level = TARGET_LEVEL,
): number {
  if (arrivalsPerHour <= 0 || holdMinutes <= 0) return 0;
  const lambda = arrivalsPerHour / 60;
  const mu = 1 / holdMinutes;
  for (let c = Math.max(1, Math.floor(lambda / mu) + 1); ; c++)
    if (erlangCServiceLevel(lambda, mu, c, targetMinutes) >= level) return c;
}

export interface HourDemand {
  /** The hour of day (9 = 09:00–10:00). */
  hour: number;
  arrivals: number;
  holdMinutes: number;
  /** Erlangs. */
  load: number;
}

/** The plan's expected demand per hour of day, the hours with arrivals only. */
export function hourlyDemand(plan: ResolvedPlan): HourDemand[] {
  const arrivals = new Array<number>(24).fill(0);
  const work = new Array<number>(24).fill(0);
  const reaction = plan.reactionSeconds / 60;
  const walk = plan.walkSeconds / 60;
  const grace = plan.noShowGraceSeconds / 60;
  const mean = (id: string) => plan.serviceTimes.get(id)?.meanMinutes ?? 8;
  if (plan.trace) {
    for (const a of plan.trace) {
      const h = Math.min(23, Math.floor(a.at / 3600));
      arrivals[h] = (arrivals[h] as number) + 1;
      work[h] = (work[h] as number) + reaction + (a.noShow ? grace : walk + a.serviceSeconds / 60);
    }
  } else {
    for (const s of plan.streams) {
      const total = s.services.reduce((a, x) => a + x.weight, 0);
      const service = s.services.reduce((a, x) => a + (x.weight / total) * mean(x.id), 0);
      const transfer = s.transfer ? s.transfer.share * (reaction + walk + mean(s.transfer.to)) : 0;
      const hold = reaction + (1 - s.noShowShare) * (walk + service + transfer) + s.noShowShare * grace;
      for (const slot of s.slots)
        for (let h = Math.floor(slot.from / 3600); h < Math.min(24, Math.ceil(slot.to / 3600)); h++) {
          const overlap = Math.max(0, Math.min(slot.to, (h + 1) * 3600) - Math.max(slot.from, h * 3600));
          const n = (slot.perHour * overlap) / 3600;
          arrivals[h] = (arrivals[h] as number) + n;
          work[h] = (work[h] as number) + n * hold;
        }
    }
  }
  const out: HourDemand[] = [];
  for (let h = 0; h < 24; h++) {
    const n = arrivals[h] as number;
    if (n <= 0) continue;
    const holdMinutes = (work[h] as number) / n;
    out.push({ hour: h, arrivals: n, holdMinutes, load: (n * holdMinutes) / 60 });
  }
  return out;
}

/** `c` windows p1…pc that serve every service. */
export function pooledHall(hall: HallConfig, c: number, policy: RoutingPolicyName): HallConfig {
  const all = hall.services.map((s) => s.id);
  return {
    ...hall,
    counters: Array.from({ length: c }, (_, i) => ({
      id: `p${i + 1}`,
      number: i + 1,
      name: `${i + 1}号综合窗口`,
      kind: 'comprehensive' as const,
      serviceIds: all,
      policy,
    })),
    users: [],
  };
}

export interface StaffingRow extends HourDemand {
  /** Smallest c by Erlang C. */
  c: number;
  /** Erlang C's P(wait ≤ 15 min) at c. */
  erlangLevel: number;
  /** The seed's tickets issued in the hour. */
  simulatedTickets: number;
  /** Simulated share within 15 minutes of the hour's tickets, the day staffed with c per hour, and with c − 1. */
  simulated: number;
  simulatedBelow: number;
}

/**
 * The schedule of a day staffed with `perHour[h]` pooled windows in hour h: window k (0-based) is open in
 * the hours where perHour > k, pausing in the gaps (a pause waits for the current ticket, C5).
 */
export function staffedSchedule(perHour: ReadonlyMap<number, number>): Map<string, CounterSchedule> {
  const most = Math.max(0, ...perHour.values());
  const out = new Map<string, CounterSchedule>();
  for (let k = 0; k < most; k++) {
    const hours = [...perHour.entries()]
      .filter(([, c]) => c > k)
      .map(([h]) => h)
      .sort((a, b) => a - b);
    const first = hours[0] as number;
    const last = hours[hours.length - 1] as number;
    const pauses: { from: number; to: number }[] = [];
    for (let h = first; h <= last; h++) {
      if (hours.includes(h)) continue;
      const prev = pauses[pauses.length - 1];
      if (prev && prev.to === h * 3600) prev.to = (h + 1) * 3600;
      else pauses.push({ from: h * 3600, to: (h + 1) * 3600 });
    }
    out.set(`p${k + 1}`, { open: first * 3600, close: (last + 1) * 3600, pauses });
  }
  return out;
}

/** The seed's day at pooled windows staffed per hour; the share within 15 min of the tickets issued in each hour. */
function simulateStaffed(
  plan: ResolvedPlan,
  arrivals: ReturnType<typeof drawArrivals>,
  perHour: ReadonlyMap<number, number>,
  policy: RoutingPolicyName,
): Map<number, number> {
  const schedule = staffedSchedule(perHour);
  const hall = pooledHall(plan.hall, Math.max(1, schedule.size), policy);
  const result = simulate({
    hall,
    date: plan.date,
    arrivals,
    schedule,
    reactionSeconds: plan.reactionSeconds,
    walkSeconds: plan.walkSeconds,
    noShowGraceSeconds: plan.noShowGraceSeconds,
    drain: true,
    enforceHours: false,
    policy,
  });
  const out = new Map<number, number>();
  for (const h of perHour.keys())
    out.set(h, waitStats(result.tickets.filter((t) => t.issuedAt >= h * 3600 && t.issuedAt < (h + 1) * 3600)).within15);
  return out;
}

/**
 * The staffing table of a plan: Erlang C's c per hour, checked by simulating the seed's day with c pooled
 * windows in each hour (and with c − 1): the hour's backlog carries into the next, as in a hall.
 */
export function staffing(plan: ResolvedPlan, seed: number, policy?: RoutingPolicyName): StaffingRow[] {
  const pol = policy ?? plan.policy ?? DEFAULT_POLICY;
  const arrivals = drawArrivals(plan, seed);
  const rows = hourlyDemand(plan).map((d) => {
    const c = erlangStaffing(d.arrivals, d.holdMinutes);
    return { ...d, c, erlangLevel: erlangCServiceLevel(d.arrivals / 60, 1 / d.holdMinutes, c, TARGET_MINUTES) };
  });
  const atC = simulateStaffed(plan, arrivals, new Map(rows.map((r) => [r.hour, r.c])), pol);
  const below = simulateStaffed(plan, arrivals, new Map(rows.map((r) => [r.hour, Math.max(1, r.c - 1)])), pol);
  return rows.map((r) => ({
    ...r,
    simulatedTickets: arrivals.filter((a) => a.at >= r.hour * 3600 && a.at < (r.hour + 1) * 3600).length,
    simulated: atC.get(r.hour) ?? Number.NaN,
    simulatedBelow: below.get(r.hour) ?? Number.NaN,
  }));
}

const pct = (x: number | null) => (x === null || Number.isNaN(x) ? '–' : `${(100 * x).toFixed(0)}%`);
const pad2 = (n: number) => String(n).padStart(2, '0');

export function formatStaffing(rows: readonly StaffingRow[]): string {
  return table([
    ['hour', 'arrivals', 'hold min', 'load (Erl)', 'c (Erlang C)', 'Erlang ≤15', 'sim tickets', 'sim ≤15 at c', 'sim ≤15 at c−1'],
    ...rows.map((r) => [
      `${pad2(r.hour)}:00–${pad2(r.hour + 1)}:00`,
      r.arrivals.toFixed(1),
      r.holdMinutes.toFixed(1),
      r.load.toFixed(2),
      String(r.c),
      pct(r.erlangLevel),
      String(r.simulatedTickets),
      pct(r.simulated),
      pct(r.simulatedBelow),
    ]),
  ]);
}
