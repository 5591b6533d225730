/**
 * The domain model of the queue server: plain records and the in-memory state of one hall. Times are
 * epoch milliseconds; the clock is always passed in. No I/O anywhere under domain/.
 */
import type {
  CounterConfig,
  CounterState,
  EvaluationLevel,
  HallConfig,
  HallSettings,
  Priority,
  ServiceConfig,
  TicketStatus,
} from '@yimen/shared';

export interface TicketRecord {
  id: string;
  /** Key of the public status page /t/{statusKey}: random, ≥128 bits. */
  statusKey: string;
  number: string;
  prefix: string;
  sequence: number;
  /** The service the ticket waits for now (changes on transfer). */
  serviceId: string;
  /** The service it was issued for (daily caps and per-person limits count this one). */
  issuedServiceId: string;
  status: TicketStatus;
  priority: Priority;
  businessDay: string;
  issuedAt: number;
  calledAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** The counter that holds it (called, serving) or held it last (done, no_show). */
  counterId: string | null;
  /** Transferred to one counter: only that counter may call it. */
  targetCounterId: string | null;
  /** The clerk on duty when it was finished (evaluations name them). */
  clerkId: string | null;
  recallCount: number;
  transferCount: number;
  /**
   * Routing key part 1: effective time (issue time less the priority head start), ms; after a
   * reactivation (T9), a point just behind the tickets it waits behind (fractional).
   */
  rankAt: number;
  /** Routing key part 2: the day's global issue order. Never changes, so keys are unique. */
  rankTie: number;
  /** Keyed hash of the ID number given at issue, or null. Never the number itself. */
  personKey: string | null;
}

export interface CounterRecord {
  id: string;
  state: CounterState;
  /** The clerk who took the counter (opened it), or null when a manager or keypad opened it. */
  clerkId: string | null;
  currentTicketId: string | null;
  stateSince: number;
}

export interface EvaluationRecord {
  id: string;
  ticketId: string;
  counterId: string;
  clerkId: string | null;
  level: EvaluationLevel;
  reasons: string[];
  comment: string | null;
  createdAt: number;
  /** Who submitted it: a device id or a user id. */
  submittedBy: string;
}

/** The hall's configuration, indexed for the domain. */
export interface Hall {
  config: HallConfig;
  settings: HallSettings;
  services: Map<string, ServiceConfig>;
  counters: Map<string, CounterConfig>;
  /** Counter ids that serve each service. */
  countersByService: Map<string, string[]>;
  /** The services of each counter, as a set. */
  servicesOfCounter: Map<string, ReadonlySet<string>>;
  /** false only in demo mode: issuing hours and open days are not enforced. */
  enforceHours: boolean;
}

export function buildHall(config: HallConfig, opts: { enforceHours?: boolean } = {}): Hall {
  const services = new Map(config.services.map((s) => [s.id, s]));
  const counters = new Map(config.counters.map((c) => [c.id, c]));
  const countersByService = new Map<string, string[]>();
  for (const s of config.services) countersByService.set(s.id, []);
  for (const c of config.counters) for (const sid of c.serviceIds) countersByService.get(sid)?.push(c.id);
  return {
    config,
    settings: config.settings,
    services,
    counters,
    countersByService,
    servicesOfCounter: new Map(config.counters.map((c) => [c.id, new Set(c.serviceIds)])),
    enforceHours: opts.enforceHours ?? true,
  };
}

/** The live state of one hall on one business day. */
export interface HallState {
  businessDay: string;
  /** Today's tickets, and older ones still held by a counter. */
  tickets: Map<string, TicketRecord>;
  /** Ids of today's waiting tickets (an index of `tickets`). */
  waiting: Set<string>;
  /**
   * Today's waiting tickets by line, each in R2's order (an index of `tickets`): a service's line holds its
   * tickets free for any counter serving it; the line `@<counterId>` holds those transferred to that counter.
   */
  lines: Map<string, TicketRecord[]>;
  /** Tickets issued today per service they were issued for (an index for daily caps, I5). */
  issued: Map<string, number>;
  /** Ids of today's tickets per person key (an index for per-person limits, I6). */
  byPerson: Map<string, string[]>;
  counters: Map<string, CounterRecord>;
  /** Last sequence given today, per prefix. */
  sequences: Map<string, number>;
  /** Last issue order given today (all prefixes). */
  issueOrder: number;
  /** Recent service durations per service, ms, oldest first (an index of today's done tickets). */
  durations: Map<string, number[]>;
}

export function emptyState(hall: Hall, businessDay: string, now: number): HallState {
  const counters = new Map<string, CounterRecord>();
  for (const c of hall.config.counters)
    counters.set(c.id, { id: c.id, state: 'closed', clerkId: null, currentTicketId: null, stateSince: now });
  return {
    businessDay,
    tickets: new Map(),
    waiting: new Set(),
    lines: new Map(),
    issued: new Map(),
    byPerson: new Map(),
    counters,
    sequences: new Map(),
    issueOrder: 0,
    durations: new Map(),
  };
}

/** Duration of a finished service, ms: from start (or call, when never started) to finish. */
export function serviceDuration(t: TicketRecord): number | null {
  if (t.status !== 'done' || t.finishedAt === null) return null;
  const from = t.startedAt ?? t.calledAt;
  return from === null ? null : Math.max(0, t.finishedAt - from);
}

/** A ticket as issued: waiting, never called. Issuing (I*) and the wait estimate of a would-be ticket (W5) use it. */
export function waitingTicket(
  f: Pick<
    TicketRecord,
    | 'id'
    | 'statusKey'
    | 'number'
    | 'prefix'
    | 'sequence'
    | 'serviceId'
    | 'priority'
    | 'businessDay'
    | 'issuedAt'
    | 'rankAt'
    | 'rankTie'
    | 'personKey'
  >,
): TicketRecord {
  return {
    ...f,
    issuedServiceId: f.serviceId,
    status: 'waiting',
    calledAt: null,
    startedAt: null,
    finishedAt: null,
    counterId: null,
    targetCounterId: null,
    clerkId: null,
    recallCount: 0,
    transferCount: 0,
  };
}

/** R2's order: the earliest effective time (issue time, less the head start for priority), then issue order. */
export function byEffectiveTime(a: TicketRecord, b: TicketRecord): number {
  return a.rankAt - b.rankAt || a.rankTie - b.rankTie;
}

/** The line a waiting ticket stands in: its service's, or `@<counterId>` when transferred to one counter. */
export function lineOf(t: Pick<TicketRecord, 'serviceId' | 'targetCounterId'>): string {
  return t.targetCounterId === null ? t.serviceId : `@${t.targetCounterId}`;
}

/** The number of tickets of a sorted line for which `before` holds (a prefix of it, found by bisection). */
export function prefixLength(line: readonly TicketRecord[], before: (u: TicketRecord) => boolean): number {
  let lo = 0;
  let hi = line.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(line[mid] as TicketRecord)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Indexes a ticket that waits today (V2: in `waiting` and in its line, in R2's order). */
export function addWaiting(state: HallState, t: TicketRecord): void {
  state.waiting.add(t.id);
  const key = lineOf(t);
  let line = state.lines.get(key);
  if (!line) {
    line = [];
    state.lines.set(key, line);
  }
  line.splice(
    prefixLength(line, (u) => byEffectiveTime(u, t) <= 0),
    0,
    t,
  );
}

/** Removes a ticket, as it was indexed, from `waiting` and its line. */
export function removeWaiting(state: HallState, indexed: TicketRecord): void {
  if (!state.waiting.delete(indexed.id)) return;
  const key = lineOf(indexed);
  const line = state.lines.get(key);
  if (!line) return;
  let i = prefixLength(line, (u) => byEffectiveTime(u, indexed) < 0);
  if (line[i]?.id !== indexed.id) i = line.findIndex((u) => u.id === indexed.id);
  if (i >= 0) line.splice(i, 1);
  if (line.length === 0) state.lines.delete(key);
}
