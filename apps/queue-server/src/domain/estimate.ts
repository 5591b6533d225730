/**
 * People ahead and estimated waits (SPEC.md W1–W5). Pure: the state, the clock and the history of the day's
 * calls (history.ts, fed by whoever drives the core) come in.
 */
import type { CounterConfig, QueueSummary } from '@yimen/shared';
import type { PredictorHistory } from './history.js';
import type { Hall, HallState, TicketRecord } from './model.js';
import { prefixLength, waitingTicket } from './model.js';
import { linesOf, POLICIES } from './routing.js';

/** W1: the counters whose calls decide a ticket's place: those that may call it and are not closed, else all of them. */
export function decidingCounters(
  hall: Hall,
  state: HallState,
  t: Pick<TicketRecord, 'serviceId' | 'targetCounterId'>,
): CounterConfig[] {
  const ids = t.targetCounterId !== null ? [t.targetCounterId] : (hall.countersByService.get(t.serviceId) ?? []);
  const all = ids.map((id) => hall.counters.get(id)).filter((c): c is CounterConfig => c !== undefined);
  const working = all.filter((c) => state.counters.get(c.id)?.state !== 'closed');
  return working.length > 0 ? working : all;
}

/**
 * W2: the waiting tickets of each line that some deciding counter would call before `t`, the union over the
 * counters: for each line, `line` and `ahead` such that the tickets ahead are `line[0 … ahead)`. A
 * line-ordered policy (R2, R3) calls each line in R2's order, so the tickets it calls first form a prefix
 * of the line, found by bisection, and the union of prefixes is the longest; `line` is then the state's own
 * line. R7 and R8 reorder a line, so they are asked about every ticket of it; when they add tickets past
 * that prefix, `line` is a new list of exactly the tickets ahead (the prefix, then the others in line
 * order). Counters whose policy ignores the counter share one probe per line.
 */
export function aheadByLine(
  state: HallState,
  t: TicketRecord,
  counters: CounterConfig[],
): Map<string, { line: readonly TicketRecord[]; ahead: number }> {
  const out = new Map<string, { line: readonly TicketRecord[]; ahead: number }>();
  /** Per line, the tickets some non-line-ordered counter calls before `t`, marked by their index in the line. */
  let picked: Map<string, Uint8Array> | undefined;
  const asked = new Set<string>();
  for (const c of counters) {
    const policy = POLICIES[c.policy];
    const before = (u: TicketRecord) => u.id !== t.id && policy.compare(c, u, t) < 0;
    for (const key of linesOf(c)) {
      const line = state.lines.get(key);
      if (!line) continue;
      if (counters.length > 1) {
        // Several counters may ask the same question of a line: once is enough (one counter: no repeats).
        const probe = policy.counterIndependent ? `${policy.name}|${key}` : `${c.id}|${key}`;
        if (asked.has(probe)) continue;
        asked.add(probe);
      }
      const prior = out.get(key);
      if (policy.lineOrdered !== false) {
        const ahead = prefixLength(line, before);
        if (!prior || prior.ahead < ahead) out.set(key, { line, ahead });
        continue;
      }
      if (!prior) out.set(key, { line, ahead: 0 });
      for (let i = 0; i < line.length; i++) {
        if (!before(line[i] as TicketRecord)) continue;
        picked ??= new Map();
        let mask = picked.get(key);
        if (!mask) {
          mask = new Uint8Array(line.length);
          picked.set(key, mask);
        }
        mask[i] = 1;
      }
    }
  }
  if (picked)
    for (const [key, mask] of picked) {
      const { line, ahead: n } = out.get(key) as { line: readonly TicketRecord[]; ahead: number };
      const ahead = line.slice(0, n);
      for (let i = n; i < line.length; i++) if (mask[i]) ahead.push(line[i] as TicketRecord);
      if (ahead.length > n) out.set(key, { line: ahead, ahead: ahead.length });
    }
  return out;
}

/** Mean service minutes of a service: the mean of its recent services today, else its configured default (W3's fallback). */
export function meanServiceMinutes(hall: Hall, state: HallState, serviceId: string): number {
  const recent = state.durations.get(serviceId);
  if (recent && recent.length > 0) return recent.reduce((a, b) => a + b, 0) / recent.length / 60_000;
  return hall.services.get(serviceId)?.defaultServiceMinutes ?? 8;
}

/**
 * W3: counter minutes per ticket of a service: the mean, over its last tickets released today, of the
 * minutes from the call until the finish, no-show or transfer (walk, service, no-show grace); before the
 * first release, its mean service minutes.
 */
export function counterMinutes(hall: Hall, state: HallState, history: PredictorHistory, serviceId: string): number {
  return history.meanOccupancy(serviceId) ?? meanServiceMinutes(hall, state, serviceId);
}

/** Open counters among these (all of them when none is open, as before the hall opens) and the open ones holding nothing. */
export function capacity(state: HallState, counters: readonly CounterConfig[]): { c: number; idle: number } {
  let open = 0;
  let idle = 0;
  for (const k of counters) {
    const r = state.counters.get(k.id);
    if (r?.state !== 'open') continue;
    open++;
    if (r.currentTicketId === null) idle++;
  }
  return { c: open > 0 ? open : counters.length, idle };
}

/** (n + 1 − idle) tickets of `perTicket` minutes shared by c counters, n the people ahead; 0 when an idle counter takes it. */
export function queueing(ahead: number, idle: number, c: number, perTicket: number): number {
  const n = ahead + 1 - idle;
  return n <= 0 ? 0 : (n * perTicket) / c;
}

/** The people ahead seen by these counters (W2) and their counter minutes (W3); the services of the tickets counted. */
function workAhead(
  hall: Hall,
  state: HallState,
  history: PredictorHistory,
  t: TicketRecord,
  counters: CounterConfig[],
  services: Set<string> | null,
): { ahead: number; work: number } {
  let ahead = 0;
  let work = 0;
  for (const [key, { line, ahead: n }] of aheadByLine(state, t, counters)) {
    ahead += n;
    if (!key.startsWith('@')) {
      if (n > 0) services?.add(key);
      work += n * counterMinutes(hall, state, history, key);
    } else
      for (let i = 0; i < n; i++) {
        const sid = (line[i] as TicketRecord).serviceId;
        services?.add(sid);
        work += counterMinutes(hall, state, history, sid);
      }
  }
  return { ahead, work };
}

/**
 * W4's fallback when no deciding counter is open (the simulator's `qlp`): W2's people ahead at their mean
 * counter minutes (W3), (ahead + 1 − idle) of them shared by the open deciding counters, all of them when
 * none is open. Unrounded minutes, null when no counter may call the ticket.
 */
export function pooledWait(hall: Hall, state: HallState, t: TicketRecord, history: PredictorHistory): number | null {
  const counters = decidingCounters(hall, state, t);
  if (counters.length === 0) return null;
  const { ahead, work } = workAhead(hall, state, history, t, counters, null);
  const { c, idle } = capacity(state, counters);
  const mean = ahead > 0 ? work / ahead : counterMinutes(hall, state, history, t.serviceId);
  return queueing(ahead, idle, c, mean);
}

/**
 * W4, unrounded (the simulator's `qls`): the wait seen from each open deciding counter d in turn, and the
 * soonest. d calls `t` after the tickets IT would call first (its own lines, its own policy: W2 for d
 * alone), each costing its service's counter minutes (W3); those tickets and `t` are S, their services.
 * The counters sharing that work: d, plus every other open counter e, in full when it calls them in the
 * same order (d's policy is counter-independent, e has the same one, and e serves every service of S),
 * else by its share of S (the share of its last calls that were for a service of S; before its first
 * call, the share of its services in S). From d: (n + 1 − [d idle]) × the mean minutes of the n ahead (W3
 * of t's service when none) ÷ that capacity, 0 when negative. When no deciding counter is open:
 * `pooledWait`.
 */
export function soonestWait(
  hall: Hall,
  state: HallState,
  t: TicketRecord,
  history: PredictorHistory,
  open: OpenCounters = new OpenCounters(hall, state, history),
): number | null {
  const counters = decidingCounters(hall, state, t);
  if (counters.length === 0) return null;
  let best = Number.POSITIVE_INFINITY;
  for (const d of counters) {
    const rd = state.counters.get(d.id);
    if (rd?.state !== 'open') continue;
    const services = new Set([t.serviceId]);
    const { ahead, work } = workAhead(hall, state, history, t, [d], services);
    const cap = open.capacity(d, services);
    const mean = ahead > 0 ? work / ahead : counterMinutes(hall, state, history, t.serviceId);
    best = Math.min(best, queueing(ahead, rd.currentTicketId === null ? 1 : 0, cap, mean));
  }
  return Number.isFinite(best) ? best : pooledWait(hall, state, t, history);
}

/**
 * The hall's open counters at one moment, and what W4's capacity needs of each (its share tally), found
 * once for the estimates of that moment.
 */
export class OpenCounters {
  /** Open counters, in the hall's order (the order capacity adds them up in). */
  readonly list: CounterConfig[];
  private readonly tallies = new Map<string, { counts: Map<string, number>; of: number }>();
  constructor(
    private readonly hall: Hall,
    state: HallState,
    private readonly history: PredictorHistory,
  ) {
    this.list = hall.config.counters.filter((e) => state.counters.get(e.id)?.state === 'open');
  }
  tally(e: CounterConfig): { counts: Map<string, number>; of: number } {
    let t = this.tallies.get(e.id);
    if (!t) {
      t = this.history.shareTally(e);
      this.tallies.set(e.id, t);
    }
    return t;
  }
  /**
   * Whether `e` calls the tickets of `services` as `d` does, in the same order: W4's "in full" (d's policy
   * does not depend on the counter, e has the same one, and e serves every one of them).
   */
  private callsAlike(d: CounterConfig, e: CounterConfig, services: ReadonlySet<string>): boolean {
    if (!POLICIES[d.policy].counterIndependent || e.policy !== d.policy) return false;
    const serves = this.hall.servicesOfCounter.get(e.id);
    for (const sid of services) if (!serves?.has(sid)) return false;
    return true;
  }
  /** W4's capacity from d for the tickets of `services`: d, and every other open counter in full or by its share. */
  capacity(d: CounterConfig, services: ReadonlySet<string>): number {
    let cap = 1;
    for (const e of this.list) {
      if (e.id === d.id) continue;
      const same = this.callsAlike(d, e, services);
      if (same) cap += 1;
      else {
        const { counts, of } = this.tally(e);
        let n = 0;
        for (const sid of services) n += counts.get(sid) ?? 0;
        cap += of === 0 ? 0 : n / of;
      }
    }
    return cap;
  }
  /**
   * The same capacity for `services` ∪ {extra}, `extra` not in `services`, from a base found once per
   * `services`: each term is the same number as `capacity` adds, in the same order, so the sum is too.
   */
  capacityPlus(base: CapacityBase, extra: string): number {
    let cap = 1;
    for (const b of base.terms) {
      if (b.same && this.hall.servicesOfCounter.get(b.e.id)?.has(extra)) cap += 1;
      else {
        const { counts, of } = this.tally(b.e);
        cap += of === 0 ? 0 : (b.n + (counts.get(extra) ?? 0)) / of;
      }
    }
    return cap;
  }
  /** What capacityPlus needs of `services` from d: per other open counter, whether it pools d's work and its count. */
  capacityBase(d: CounterConfig, services: ReadonlySet<string>): CapacityBase {
    const terms: CapacityBase['terms'] = [];
    for (const e of this.list) {
      if (e.id === d.id) continue;
      const same = this.callsAlike(d, e, services);
      const { counts } = this.tally(e);
      let n = 0;
      for (const sid of services) n += counts.get(sid) ?? 0;
      terms.push({ e, same, n });
    }
    return { terms };
  }
}

export interface CapacityBase {
  terms: { e: CounterConfig; same: boolean; n: number }[];
}

/** W2 and W4: the people ahead, and the estimated wait in whole minutes (null when no counter may call it). */
export function estimateWait(
  hall: Hall,
  state: HallState,
  t: TicketRecord,
  history: PredictorHistory,
): { peopleAhead: number; minutes: number | null } {
  const counters = decidingCounters(hall, state, t);
  if (counters.length === 0) return { peopleAhead: 0, minutes: null };
  let people = 0;
  for (const { ahead } of aheadByLine(state, t, counters).values()) people += ahead;
  const minutes = soonestWait(hall, state, t, history);
  return { peopleAhead: people, minutes: minutes === null ? null : Math.round(minutes) };
}

/** A ticket that does not exist yet: what a citizen taking a number now would get (W5). */
export function phantomTicket(state: HallState, serviceId: string, now: number): TicketRecord {
  return waitingTicket({
    id: '\u0000phantom',
    statusKey: '',
    number: '',
    prefix: '',
    sequence: 0,
    serviceId,
    priority: 'none',
    businessDay: state.businessDay,
    issuedAt: now,
    rankAt: now,
    rankTie: state.issueOrder + 1,
    personKey: null,
  });
}

/** W5: a service's queue: waiting count, oldest wait, and the people ahead and estimate a new ticket would get. */
export function queueSummary(
  hall: Hall,
  state: HallState,
  serviceId: string,
  now: number,
  history: PredictorHistory,
): QueueSummary {
  return queueSummaries(hall, state, now, history, [serviceId])[0] as QueueSummary;
}

/**
 * The waiting count of each service (its line and its tickets transferred to a counter) and its oldest
 * issue time, in one pass over the counters' lines.
 */
function waitingOf(state: HallState, serviceIds: readonly string[]): Map<string, { waiting: number; oldest: number | null }> {
  const out = new Map<string, { waiting: number; oldest: number | null }>();
  for (const serviceId of serviceIds) {
    const w = { waiting: 0, oldest: null as number | null };
    const own = state.lines.get(serviceId);
    if (own) {
      w.waiting = own.length;
      // issuedAt ≥ rankAt, and a line is in rankAt order: past a rankAt above the oldest so far, none is older.
      for (const u of own) {
        if (w.oldest !== null && u.rankAt > w.oldest) break;
        if (w.oldest === null || u.issuedAt < w.oldest) w.oldest = u.issuedAt;
      }
    }
    out.set(serviceId, w);
  }
  for (const [key, line] of state.lines) {
    if (!key.startsWith('@')) continue;
    for (const u of line) {
      const w = out.get(u.serviceId);
      if (!w) continue;
      w.waiting++;
      if (w.oldest === null || u.issuedAt < w.oldest) w.oldest = u.issuedAt;
    }
  }
  return out;
}

/**
 * W5 of several services at one moment (all of them by default), in their order: the same numbers as
 * `estimateWait` gives each service's new ticket, found together. A new ticket of any service is the same
 * ticket but for its service, and a policy that does not read the ticket's service (all but R3) puts the
 * same tickets ahead of it, whatever its service: so each open counter's work ahead (W2 for it alone, W3)
 * is found once, and so is what its capacity needs (W4); only the new ticket's own service is then added.
 * The people ahead (W2 over the deciding counters) are found once per set of deciding counters. Under R3,
 * or counters of mixed policies, each service is estimated on its own.
 */
export function queueSummaries(
  hall: Hall,
  state: HallState,
  now: number,
  history: PredictorHistory,
  serviceIds: readonly string[] = hall.config.services.map((s) => s.id),
): QueueSummary[] {
  return queueStates(hall, state, now, history, serviceIds).map((q) => q.summary);
}

/** `queueSummaries`, each with the issue time of its oldest waiting ticket (what a change of it is told by). */
export function queueStates(
  hall: Hall,
  state: HallState,
  now: number,
  history: PredictorHistory,
  serviceIds: readonly string[] = hall.config.services.map((s) => s.id),
): { summary: QueueSummary; oldest: number | null }[] {
  const open = new OpenCounters(hall, state, history);
  const fromCounter = new Map<
    string,
    { ahead: number; work: number; services: Set<string>; cap?: number; base?: CapacityBase }
  >();
  const peopleOf = new Map<string, number>();
  const waitingAll = waitingOf(state, serviceIds);
  // One new ticket, its service set in turn: only the service differs between them.
  const t = phantomTicket(state, serviceIds[0] ?? '', now);
  return serviceIds.map((serviceId) => {
    t.serviceId = serviceId;
    const { waiting, oldest } = waitingAll.get(serviceId) ?? { waiting: 0, oldest: null };
    const counters = decidingCounters(hall, state, t);
    let minutes: number | null = null;
    let people = 0;
    if (counters.length > 0) {
      let best = Number.POSITIVE_INFINITY;
      for (const d of counters) {
        const rd = state.counters.get(d.id);
        if (rd?.state !== 'open') continue;
        let ahead: number;
        let work: number;
        let cap: number;
        if (POLICIES[d.policy].readsTicketService) {
          const services = new Set([serviceId]);
          ({ ahead, work } = workAhead(hall, state, history, t, [d], services));
          cap = open.capacity(d, services);
        } else {
          let c = fromCounter.get(d.id);
          if (!c) {
            const services = new Set<string>();
            c = { ...workAhead(hall, state, history, t, [d], services), services };
            fromCounter.set(d.id, c);
          }
          ({ ahead, work } = c);
          if (c.services.has(serviceId)) {
            c.cap ??= open.capacity(d, c.services);
            cap = c.cap;
          } else {
            c.base ??= open.capacityBase(d, c.services);
            cap = open.capacityPlus(c.base, serviceId);
          }
        }
        const mean = ahead > 0 ? work / ahead : counterMinutes(hall, state, history, serviceId);
        best = Math.min(best, queueing(ahead, rd.currentTicketId === null ? 1 : 0, cap, mean));
      }
      minutes = Math.round(Number.isFinite(best) ? best : (pooledWait(hall, state, t, history) as number));
      const policy = POLICIES[(counters[0] as CounterConfig).policy];
      const shared = !policy.readsTicketService && policy.counterIndependent && counters.every((c) => c.policy === policy.name);
      const key = shared ? `${policy.name}|${counters.map((c) => c.id).join(',')}` : null;
      const known = key === null ? undefined : peopleOf.get(key);
      if (known !== undefined) people = known;
      else {
        for (const { ahead } of aheadByLine(state, t, counters).values()) people += ahead;
        if (key !== null) peopleOf.set(key, people);
      }
    }
    const summary: QueueSummary = {
      serviceId,
      waiting,
      oldestWaitSeconds: oldest === null ? null : Math.max(0, Math.floor((now - oldest) / 1000)),
      estimatedWaitMinutes: minutes,
      peopleAhead: minutes === null ? null : people,
    };
    return { summary, oldest };
  });
}
