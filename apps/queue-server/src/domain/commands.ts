/**
 * The ticket lifecycle and the counter commands (SPEC.md T*, N*, I*, C*, E*). Every command is a pure
 * function of (hall, state, input, env) that returns either a refusal with its stable code, or the
 * records it changes and the events it caused. `apply` then folds the changes into the state; the
 * server's adapter persists them in one transaction first.
 */
import type { ErrorCode, EvaluationLevel, Priority, TransferBody } from '@yimen/shared';
import { ageOn, checkIdNumber, formatTicketNumber } from '@yimen/shared';
import { isOpenDay, withinHours } from './calendar.js';
import type { CounterRecord, EvaluationRecord, Hall, HallState, TicketRecord } from './model.js';
import { addWaiting, removeWaiting, serviceDuration, waitingTicket } from './model.js';
import { baseRank, mayCall, pickNext } from './routing.js';

/** Who acts. `clerkId` is set when a clerk (a person with role clerk) acts; managers and devices have none. */
export interface Actor {
  kind: 'user' | 'device';
  id: string;
  clerkId: string | null;
}

export type EventType =
  | 'ticket:issued'
  | 'ticket:called'
  | 'ticket:recalled'
  | 'ticket:started'
  | 'ticket:finished'
  | 'ticket:no-show'
  | 'ticket:transferred'
  | 'ticket:cancelled'
  | 'ticket:reactivated'
  | 'counter:opened'
  | 'counter:paused'
  | 'counter:resumed'
  | 'counter:closed'
  | 'evaluation:recorded';

/** One append-only event: what changed, before → after. */
export interface DomainEvent {
  type: EventType;
  ticketId: string | null;
  counterId: string | null;
  before: TicketRecord | CounterRecord | null;
  after: TicketRecord | CounterRecord | EvaluationRecord;
}

export interface Changes {
  tickets: TicketRecord[];
  counters: CounterRecord[];
  sequences: { prefix: string; value: number }[];
  issueOrder: number | null;
  evaluation: EvaluationRecord | null;
}

export type Outcome<T> =
  | { ok: true; value: T; changes: Changes; events: DomainEvent[] }
  | { ok: false; code: ErrorCode; message?: string };

export interface Env {
  now: number;
  /** A new opaque id. */
  newId: () => string;
  /** A new random status-page key (≥128 bits). */
  newKey: () => string;
  /** Keyed hash of an ID number: the only form in which it is kept. */
  personKey: (idNumber: string) => string;
}

export const refuse = (code: ErrorCode, message?: string): { ok: false; code: ErrorCode; message?: string } =>
  message === undefined ? { ok: false, code } : { ok: false, code, message };

/** Accumulates changes over the current state, so a command can read what it already changed. */
class Draft {
  readonly tickets = new Map<string, TicketRecord>();
  readonly counters = new Map<string, CounterRecord>();
  readonly events: DomainEvent[] = [];
  readonly sequences: { prefix: string; value: number }[] = [];
  issueOrder: number | null = null;
  evaluation: EvaluationRecord | null = null;
  constructor(readonly state: HallState) {}
  ticket(id: string): TicketRecord | undefined {
    return this.tickets.get(id) ?? this.state.tickets.get(id);
  }
  counter(id: string): CounterRecord | undefined {
    return this.counters.get(id) ?? this.state.counters.get(id);
  }
  putTicket(type: EventType, next: TicketRecord, counterId: string | null = next.counterId) {
    const before = this.ticket(next.id) ?? null;
    this.tickets.set(next.id, next);
    this.events.push({ type, ticketId: next.id, counterId, before, after: next });
  }
  putCounter(next: CounterRecord, type?: EventType) {
    const before = this.counter(next.id) ?? null;
    this.counters.set(next.id, next);
    if (type) this.events.push({ type, ticketId: null, counterId: next.id, before, after: next });
  }
  done<T>(value: T): Outcome<T> {
    return {
      ok: true,
      value,
      events: this.events,
      changes: {
        tickets: [...this.tickets.values()],
        counters: [...this.counters.values()],
        sequences: this.sequences,
        issueOrder: this.issueOrder,
        evaluation: this.evaluation,
      },
    };
  }
}

// ------------------------------------------------------------------ issuing (I1–I7, N1–N4)

export interface IssueInput {
  serviceId: string;
  priority: Priority;
  idNumber?: string | undefined;
}

export function issueTicket(hall: Hall, state: HallState, input: IssueInput, env: Env): Outcome<TicketRecord> {
  const service = hall.services.get(input.serviceId);
  if (!service) return refuse('NOT_FOUND', '该业务不存在。');
  const day = state.businessDay;
  let personKey: string | null = null;
  if (input.idNumber !== undefined) {
    if (checkIdNumber(input.idNumber, day) !== null) return refuse('INVALID_ID_NUMBER');
    personKey = env.personKey(input.idNumber.toUpperCase());
  }
  if (service.suspended) return refuse('SERVICE_CLOSED', `“${service.name}”今日暂停办理。`);
  if (hall.enforceHours) {
    if (!isOpenDay(hall, day)) return refuse('OUTSIDE_HOURS', '今天是休息日，大厅不办理业务。');
    if (!withinHours(hall, service, env.now)) return refuse('OUTSIDE_HOURS', `当前不在“${service.name}”的取号时间内。`);
  }
  if (service.dailyCap !== null && (state.issued.get(service.id) ?? 0) >= service.dailyCap) return refuse('DAILY_CAP_REACHED');
  // I9: an ID card of a person of the hall's elderly age gives elderly priority by itself.
  const age = input.idNumber === undefined ? null : ageOn(input.idNumber, day);
  const priority = input.priority === 'none' && age !== null && age >= hall.settings.elderlyAge ? 'elderly' : input.priority;
  if (personKey !== null && service.perPersonDailyLimit !== null) {
    const mine = (state.byPerson.get(personKey) ?? [])
      .map((id) => state.tickets.get(id))
      .filter((t) => t !== undefined && t.issuedServiceId === service.id && t.status !== 'cancelled').length;
    if (mine >= service.perPersonDailyLimit) return refuse('PERSON_LIMIT_REACHED');
  }
  const d = new Draft(state);
  const sequence = (state.sequences.get(service.prefix) ?? 0) + 1;
  const order = state.issueOrder + 1;
  d.sequences.push({ prefix: service.prefix, value: sequence });
  d.issueOrder = order;
  const ticket = waitingTicket({
    id: env.newId(),
    statusKey: env.newKey(),
    number: formatTicketNumber(service.prefix, sequence),
    prefix: service.prefix,
    sequence,
    serviceId: service.id,
    priority,
    businessDay: day,
    issuedAt: env.now,
    rankAt: baseRank(env.now, priority, hall.settings.priorityHeadStartMinutes),
    rankTie: order,
    personKey,
  });
  d.putTicket('ticket:issued', ticket, null);
  return d.done(ticket);
}

// ------------------------------------------------------------------ counters (C1–C8)

function counterOf(hall: Hall, d: Draft, counterId: string) {
  const config = hall.counters.get(counterId);
  const record = d.counter(counterId);
  return config && record ? { config, record } : null;
}

/** C3: a clerk may not act at a counter another clerk has taken. */
function heldByOther(record: CounterRecord, actor: Actor): boolean {
  return actor.clerkId !== null && record.clerkId !== null && record.clerkId !== actor.clerkId;
}

export function openCounter(hall: Hall, state: HallState, counterId: string, actor: Actor, env: Env): Outcome<CounterRecord> {
  const d = new Draft(state);
  const c = counterOf(hall, d, counterId);
  if (!c) return refuse('NOT_FOUND', '该窗口不存在。');
  const r = c.record;
  if (heldByOther(r, actor)) return refuse('COUNTER_IN_USE');
  if (actor.clerkId !== null) {
    for (const other of state.counters.values())
      if (other.id !== counterId && other.clerkId === actor.clerkId && other.state !== 'closed')
        return refuse('CLERK_AT_OTHER_COUNTER');
  }
  if (r.state !== 'closed') {
    // C2: a clerk takes a counter that a manager or keypad opened without a clerk.
    if (actor.clerkId !== null && r.clerkId === null) {
      const next = { ...r, clerkId: actor.clerkId };
      d.putCounter(next, 'counter:opened');
      return d.done(next);
    }
    return refuse('COUNTER_NOT_CLOSED');
  }
  const next: CounterRecord = { ...r, state: 'open', clerkId: actor.clerkId, stateSince: env.now };
  d.putCounter(next, 'counter:opened');
  return d.done(next);
}

export function closeCounter(hall: Hall, state: HallState, counterId: string, actor: Actor, env: Env): Outcome<CounterRecord> {
  const d = new Draft(state);
  const c = counterOf(hall, d, counterId);
  if (!c) return refuse('NOT_FOUND', '该窗口不存在。');
  const r = c.record;
  if (heldByOther(r, actor)) return refuse('COUNTER_IN_USE');
  if (r.state === 'closed') return refuse('COUNTER_NOT_OPEN', '窗口已经关闭。');
  if (r.currentTicketId !== null) return refuse('COUNTER_BUSY');
  const next: CounterRecord = { ...r, state: 'closed', clerkId: null, stateSince: env.now };
  d.putCounter(next, 'counter:closed');
  return d.done(next);
}

export function pauseCounter(hall: Hall, state: HallState, counterId: string, actor: Actor, env: Env): Outcome<CounterRecord> {
  const d = new Draft(state);
  const c = counterOf(hall, d, counterId);
  if (!c) return refuse('NOT_FOUND', '该窗口不存在。');
  if (heldByOther(c.record, actor)) return refuse('COUNTER_IN_USE');
  if (c.record.state !== 'open') return refuse('COUNTER_NOT_OPEN');
  const next: CounterRecord = { ...c.record, state: 'paused', stateSince: env.now };
  d.putCounter(next, 'counter:paused');
  return d.done(next);
}

export function resumeCounter(hall: Hall, state: HallState, counterId: string, actor: Actor, env: Env): Outcome<CounterRecord> {
  const d = new Draft(state);
  const c = counterOf(hall, d, counterId);
  if (!c) return refuse('NOT_FOUND', '该窗口不存在。');
  if (heldByOther(c.record, actor)) return refuse('COUNTER_IN_USE');
  if (c.record.state !== 'paused') return refuse('COUNTER_NOT_PAUSED');
  const next: CounterRecord = { ...c.record, state: 'open', stateSince: env.now };
  d.putCounter(next, 'counter:resumed');
  return d.done(next);
}

// ------------------------------------------------------------------ the lifecycle at a counter (T*)

function finishInDraft(d: Draft, counter: CounterRecord, t: TicketRecord, now: number) {
  const done: TicketRecord = { ...t, status: 'done', finishedAt: now, clerkId: counter.clerkId };
  d.putTicket('ticket:finished', done, counter.id);
  d.putCounter({ ...counter, currentTicketId: null });
  return done;
}

/** T1, T2: call the next ticket; a counter still holding one finishes it first. null: nobody waits (204). */
export function callNext(hall: Hall, state: HallState, counterId: string, actor: Actor, env: Env): Outcome<TicketRecord | null> {
  const d = new Draft(state);
  const c = counterOf(hall, d, counterId);
  if (!c) return refuse('NOT_FOUND', '该窗口不存在。');
  if (heldByOther(c.record, actor)) return refuse('COUNTER_IN_USE');
  if (c.record.state !== 'open') return refuse('COUNTER_NOT_OPEN');
  let counter = c.record;
  if (counter.currentTicketId !== null) {
    const held = d.ticket(counter.currentTicketId);
    if (held && (held.status === 'called' || held.status === 'serving')) finishInDraft(d, counter, held, env.now);
    else d.putCounter({ ...counter, currentTicketId: null });
    counter = d.counter(counterId) as CounterRecord;
  }
  const next = pickNext(state, c.config);
  if (!next) return d.done(null);
  const called: TicketRecord = {
    ...next,
    status: 'called',
    calledAt: env.now,
    counterId,
    targetCounterId: null,
    recallCount: 0,
  };
  d.putTicket('ticket:called', called, counterId);
  d.putCounter({ ...counter, currentTicketId: called.id });
  return d.done(called);
}

/**
 * C8: a counter calls one waiting ticket by its number (a keypad's digits + 呼叫): the full number ("A023"),
 * or its digits, matched against the sequence of the waiting tickets this counter may call (R1). Checked
 * before anything changes; then, as call-next, the counter's current ticket is finished first.
 */
export function callNumber(
  hall: Hall,
  state: HallState,
  counterId: string,
  number: string,
  actor: Actor,
  env: Env,
): Outcome<TicketRecord> {
  const d = new Draft(state);
  const c = counterOf(hall, d, counterId);
  if (!c) return refuse('NOT_FOUND', '该窗口不存在。');
  if (heldByOther(c.record, actor)) return refuse('COUNTER_IN_USE');
  if (c.record.state !== 'open') return refuse('COUNTER_NOT_OPEN');
  const wanted = number.toUpperCase();
  const digitsOnly = /^\d+$/.test(wanted);
  const prefix = wanted.replace(/\d+$/, '');
  const sequence = Number(wanted.slice(prefix.length));
  const today = [...state.tickets.values()].filter(
    (t) => t.businessDay === state.businessDay && t.sequence === sequence && (digitsOnly || t.prefix === prefix),
  );
  const callable = today.filter((t) => t.status === 'waiting' && mayCall(c.config, t));
  if (callable.length > 1) return refuse('NUMBER_AMBIGUOUS');
  const target = callable[0];
  if (!target) {
    if (today.length === 0) return refuse('NOT_FOUND', `今天没有 ${wanted} 号。`);
    if (today.some((t) => t.status === 'waiting')) return refuse('TICKET_NOT_FOR_COUNTER');
    return refuse('TICKET_NOT_WAITING');
  }
  let counter = c.record;
  if (counter.currentTicketId !== null) {
    const held = d.ticket(counter.currentTicketId);
    if (held && (held.status === 'called' || held.status === 'serving')) finishInDraft(d, counter, held, env.now);
    else d.putCounter({ ...counter, currentTicketId: null });
    counter = d.counter(counterId) as CounterRecord;
  }
  const called: TicketRecord = {
    ...(d.ticket(target.id) as TicketRecord),
    status: 'called',
    calledAt: env.now,
    counterId,
    targetCounterId: null,
    recallCount: 0,
  };
  d.putTicket('ticket:called', called, counterId);
  d.putCounter({ ...counter, currentTicketId: called.id });
  return d.done(called);
}

/** The ticket a counter holds, checked against the statuses a command accepts. */
function currentTicket(
  hall: Hall,
  d: Draft,
  counterId: string,
  actor: Actor,
): { ok: true; counter: CounterRecord; ticket: TicketRecord } | { ok: false; code: ErrorCode; message?: string } {
  const c = counterOf(hall, d, counterId);
  if (!c) return refuse('NOT_FOUND', '该窗口不存在。');
  if (heldByOther(c.record, actor)) return refuse('COUNTER_IN_USE');
  if (c.record.state === 'closed') return refuse('COUNTER_NOT_OPEN');
  const t = c.record.currentTicketId === null ? undefined : d.ticket(c.record.currentTicketId);
  if (!t) return refuse('NO_CURRENT_TICKET');
  return { ok: true, counter: c.record, ticket: t };
}

export function recall(hall: Hall, state: HallState, counterId: string, actor: Actor, _env: Env): Outcome<TicketRecord> {
  const d = new Draft(state);
  const cur = currentTicket(hall, d, counterId, actor);
  if (!cur.ok) return cur;
  if (cur.ticket.status === 'serving') return refuse('TICKET_ALREADY_SERVING');
  if (cur.ticket.status !== 'called') return refuse('TICKET_NOT_CALLED');
  const next = { ...cur.ticket, recallCount: cur.ticket.recallCount + 1 };
  d.putTicket('ticket:recalled', next, counterId);
  return d.done(next);
}

export function start(hall: Hall, state: HallState, counterId: string, actor: Actor, env: Env): Outcome<TicketRecord> {
  const d = new Draft(state);
  const cur = currentTicket(hall, d, counterId, actor);
  if (!cur.ok) return cur;
  if (cur.ticket.status === 'serving') return refuse('TICKET_ALREADY_SERVING');
  if (cur.ticket.status !== 'called') return refuse('TICKET_NOT_CALLED');
  const next: TicketRecord = { ...cur.ticket, status: 'serving', startedAt: env.now };
  d.putTicket('ticket:started', next, counterId);
  return d.done(next);
}

export function finish(hall: Hall, state: HallState, counterId: string, actor: Actor, env: Env): Outcome<TicketRecord> {
  const d = new Draft(state);
  const cur = currentTicket(hall, d, counterId, actor);
  if (!cur.ok) return cur;
  if (cur.ticket.status !== 'called' && cur.ticket.status !== 'serving') return refuse('TICKET_NOT_CALLED');
  return d.done(finishInDraft(d, cur.counter, cur.ticket, env.now));
}

export function noShow(hall: Hall, state: HallState, counterId: string, actor: Actor, env: Env): Outcome<TicketRecord> {
  const d = new Draft(state);
  const cur = currentTicket(hall, d, counterId, actor);
  if (!cur.ok) return cur;
  if (cur.ticket.status === 'serving') return refuse('TICKET_ALREADY_SERVING');
  if (cur.ticket.status !== 'called') return refuse('TICKET_NOT_CALLED');
  const next: TicketRecord = { ...cur.ticket, status: 'no_show', finishedAt: env.now };
  d.putTicket('ticket:no-show', next, counterId);
  d.putCounter({ ...cur.counter, currentTicketId: null });
  return d.done(next);
}

/** T7: the current ticket waits again for another service or one counter, keeping its place by issue time. */
export function transfer(
  hall: Hall,
  state: HallState,
  counterId: string,
  target: TransferBody,
  actor: Actor,
  _env: Env,
): Outcome<TicketRecord> {
  const d = new Draft(state);
  const cur = currentTicket(hall, d, counterId, actor);
  if (!cur.ok) return cur;
  const t = cur.ticket;
  if (t.status !== 'called' && t.status !== 'serving') return refuse('TICKET_NOT_CALLED');
  // N4: a ticket held across midnight could never be called again (R5); the counter finishes it instead.
  if (t.businessDay !== state.businessDay) return refuse('TICKET_EXPIRED');
  let serviceId = t.serviceId;
  let targetCounterId: string | null = null;
  if ('serviceId' in target) {
    if (!hall.services.has(target.serviceId)) return refuse('NOT_FOUND', '要转去的业务不存在。');
    if (target.serviceId === t.serviceId) return refuse('TRANSFER_TO_SELF');
    serviceId = target.serviceId;
  } else {
    if (!hall.counters.has(target.counterId)) return refuse('NOT_FOUND', '要转去的窗口不存在。');
    if (target.counterId === counterId) return refuse('TRANSFER_TO_SELF');
    targetCounterId = target.counterId;
  }
  const next: TicketRecord = {
    ...t,
    status: 'waiting',
    serviceId,
    targetCounterId,
    counterId: null,
    calledAt: null,
    startedAt: null,
    recallCount: 0,
    transferCount: t.transferCount + 1,
    rankAt: baseRank(t.issuedAt, t.priority, hall.settings.priorityHeadStartMinutes),
  };
  d.putTicket('ticket:transferred', next, counterId);
  d.putCounter({ ...cur.counter, currentTicketId: null });
  return d.done(next);
}

// ------------------------------------------------------------------ ticket commands (T8, T9)

/** T8: cancel a waiting or called ticket. */
export function cancel(_hall: Hall, state: HallState, ticket: TicketRecord, env: Env): Outcome<TicketRecord> {
  const d = new Draft(state);
  const t = d.ticket(ticket.id) ?? ticket;
  if (t.status !== 'waiting' && t.status !== 'called')
    return refuse(t.status === 'serving' ? 'TICKET_ALREADY_SERVING' : 'TICKET_CLOSED');
  const next: TicketRecord = { ...t, status: 'cancelled', finishedAt: env.now };
  d.putTicket('ticket:cancelled', next, t.counterId);
  if (t.status === 'called' && t.counterId !== null) {
    const c = d.counter(t.counterId);
    if (c && c.currentTicketId === t.id) d.putCounter({ ...c, currentTicketId: null });
  }
  return d.done(next);
}

/** T9: a no-show waits again, behind the next `reactivateBehind` waiting tickets of its service. */
export function reactivate(hall: Hall, state: HallState, ticket: TicketRecord, _env: Env): Outcome<TicketRecord> {
  const d = new Draft(state);
  const t = d.ticket(ticket.id) ?? ticket;
  if (t.status !== 'no_show') return refuse('TICKET_NOT_NO_SHOW');
  if (t.businessDay !== state.businessDay) return refuse('TICKET_EXPIRED');
  const behind = hall.settings.reactivateBehind;
  const queue = state.lines.get(t.serviceId) ?? [];
  // The issue order (rankTie) never changes, so keys stay unique (R4) and a later transfer finds the
  // ticket's own place again (T7). The place behind the others is given by the effective time alone: just
  // after the `behind`-th waiting ticket of the service (and any sharing its effective time), before the next.
  let rankAt = baseRank(t.issuedAt, t.priority, hall.settings.priorityHeadStartMinutes);
  if (behind > 0 && queue.length > 0) {
    const n = Math.min(behind, queue.length);
    const prev = queue[n - 1] as TicketRecord;
    const after = queue.slice(n).find((u) => u.rankAt > prev.rankAt);
    rankAt = after ? (prev.rankAt + after.rankAt) / 2 : prev.rankAt + 0.5;
  }
  const next: TicketRecord = {
    ...t,
    status: 'waiting',
    counterId: null,
    calledAt: null,
    startedAt: null,
    finishedAt: null,
    recallCount: 0,
    rankAt,
  };
  d.putTicket('ticket:reactivated', next, null);
  return d.done(next);
}

// ------------------------------------------------------------------ evaluations (E1–E4)

export interface EvaluateInput {
  level: EvaluationLevel;
  reasons: string[];
  comment: string | null;
}

export function evaluate(
  state: HallState,
  ticket: TicketRecord,
  alreadyEvaluated: boolean,
  input: EvaluateInput,
  submittedBy: string,
  env: Env,
): Outcome<EvaluationRecord> {
  if (ticket.status !== 'done' || ticket.counterId === null) return refuse('TICKET_NOT_DONE');
  if (alreadyEvaluated) return refuse('ALREADY_EVALUATED');
  if ((input.level === 'dissatisfied' || input.level === 'very_dissatisfied') && input.reasons.length === 0)
    return refuse('REASON_REQUIRED');
  const d = new Draft(state);
  const evaluation: EvaluationRecord = {
    id: env.newId(),
    ticketId: ticket.id,
    counterId: ticket.counterId,
    clerkId: ticket.clerkId,
    level: input.level,
    reasons: input.reasons,
    comment: input.comment,
    createdAt: env.now,
    submittedBy,
  };
  d.evaluation = evaluation;
  d.events.push({
    type: 'evaluation:recorded',
    ticketId: ticket.id,
    counterId: ticket.counterId,
    before: null,
    after: evaluation,
  });
  return d.done(evaluation);
}

// ------------------------------------------------------------------ folding changes into the state

/** Folds a command's changes into the state (after the adapter has persisted them). */
export function apply(hall: Hall, state: HallState, changes: Changes): void {
  for (const t of changes.tickets) {
    const before = state.tickets.get(t.id);
    if (before) removeWaiting(state, before);
    else if (t.businessDay === state.businessDay) {
      state.issued.set(t.issuedServiceId, (state.issued.get(t.issuedServiceId) ?? 0) + 1);
      if (t.personKey !== null) state.byPerson.set(t.personKey, [...(state.byPerson.get(t.personKey) ?? []), t.id]);
    }
    state.tickets.set(t.id, t);
    if (t.status === 'waiting' && t.businessDay === state.businessDay) addWaiting(state, t);
    if (t.status === 'done' && before?.status !== 'done') {
      const ms = serviceDuration(t);
      if (ms !== null) pushDuration(hall, state, t.serviceId, ms);
    }
  }
  for (const c of changes.counters) state.counters.set(c.id, c);
  for (const s of changes.sequences) state.sequences.set(s.prefix, s.value);
  if (changes.issueOrder !== null) state.issueOrder = changes.issueOrder;
}

export function pushDuration(hall: Hall, state: HallState, serviceId: string, ms: number): void {
  let list = state.durations.get(serviceId);
  if (!list) {
    list = [];
    state.durations.set(serviceId, list);
  }
  list.push(ms);
  if (list.length > hall.settings.serviceTimeWindow) list.shift();
}

/**
 * N4: a new business day. Yesterday's waiting tickets leave the state (they are never called), the
 * sequences restart; tickets still held by a counter stay until the counter finishes them.
 */
export function rollDay(state: HallState, businessDay: string): void {
  const held = new Set<string>();
  for (const c of state.counters.values()) if (c.currentTicketId !== null) held.add(c.currentTicketId);
  for (const id of [...state.tickets.keys()]) if (!held.has(id)) state.tickets.delete(id);
  state.waiting.clear();
  state.lines.clear();
  state.issued.clear();
  state.byPerson.clear();
  state.sequences.clear();
  state.durations.clear();
  state.issueOrder = 0;
  state.businessDay = businessDay;
}
