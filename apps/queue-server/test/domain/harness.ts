/**
 * A small driver of the pure domain core for the domain tests: a Hall built from the tiny test hall, an
 * empty state, an Env with deterministic ids and a clock moved by hand. Every command runs like the
 * server runs it: the command computes an Outcome, then `apply` folds its changes into the state.
 */
import type { EvaluationLevel, HallConfig, HallConfigInput, Priority, TransferBody } from '@yimen/shared';
import { businessDayOf } from '@yimen/shared';
import { validateHallConfig } from '../../src/app/hall-config.js';
import type { Actor, Env, Outcome } from '../../src/domain/commands.js';
import * as cmd from '../../src/domain/commands.js';
import { learn, PredictorHistory } from '../../src/domain/history.js';
import type { CounterRecord, EvaluationRecord, Hall, HallState, TicketRecord } from '../../src/domain/model.js';
import { buildHall, emptyState } from '../../src/domain/model.js';
import { MONDAY_9AM, tinyHallInput } from '../fixtures.js';

export const MIN = 60_000;
export const MANAGER: Actor = { kind: 'user', id: 'u-manager', clerkId: null };
export const clerk = (id: string): Actor => ({ kind: 'user', id, clerkId: id });
export const keypad = (counterId: string): Actor => ({ kind: 'device', id: `keypad-${counterId}`, clerkId: null });

/** The tiny test hall, optionally edited before validation. */
export function hallConfig(edit?: Edit): HallConfig {
  const input = tinyHallInput();
  edit?.(input);
  return validateHallConfig(input);
}

type SettingsInput = NonNullable<HallConfigInput['settings']>;
type ServiceInput = HallConfigInput['services'][number];
type CounterInput = HallConfigInput['counters'][number];
export type Edit = (input: HallConfigInput) => void;

/** Edits of the tiny hall: its settings, one service, one counter, or several edits in turn. */
export const withSettings =
  (patch: SettingsInput): Edit =>
  (h) => {
    h.settings = { ...h.settings, ...patch };
  };
export const withService =
  (id: string, patch: Partial<ServiceInput>): Edit =>
  (h) => {
    h.services = h.services.map((s) => (s.id === id ? { ...s, ...patch } : s));
  };
export const withCounter =
  (id: string, patch: Partial<CounterInput>): Edit =>
  (h) => {
    h.counters = h.counters.map((c) => (c.id === id ? { ...c, ...patch } : c));
  };
export const edits =
  (...all: Edit[]): Edit =>
  (h) => {
    for (const e of all) e(h);
  };

/** The refusal code of an outcome, or 'ok'. */
export function codeOf(o: Outcome<unknown>): string {
  return o.ok ? 'ok' : o.code;
}

export interface WorldOptions {
  config?: HallConfig;
  edit?: Edit;
  enforceHours?: boolean;
  now?: number | string;
}

export class World {
  readonly hall: Hall;
  readonly state: HallState;
  now: number;
  /** Every ID number the hasher saw, in order. */
  readonly hashed: string[] = [];
  /** The history behind W3 and W4, fed as the server feeds it. */
  history = new PredictorHistory();
  private ids = 0;

  constructor(opts: WorldOptions = {}) {
    const config = opts.config ?? hallConfig(opts.edit);
    this.hall = buildHall(config, { enforceHours: opts.enforceHours ?? true });
    this.now = opts.now === undefined ? MONDAY_9AM : typeof opts.now === 'string' ? Date.parse(opts.now) : opts.now;
    this.state = emptyState(this.hall, businessDayOf(this.now), this.now);
  }

  env(): Env {
    return {
      now: this.now,
      newId: () => `id${++this.ids}`,
      newKey: () => `key${this.ids}`,
      personKey: (idNumber) => {
        this.hashed.push(idNumber);
        return `pk(${idNumber.split('').reverse().join('')})`;
      },
    };
  }

  /** Applies a successful outcome's changes, as the server does after persisting them. */
  run<T>(o: Outcome<T>): Outcome<T> {
    if (o.ok) {
      cmd.apply(this.hall, this.state, o.changes);
      learn(this.history, o.events, this.now);
    }
    return o;
  }

  /** Runs and expects success. */
  ok<T>(o: Outcome<T>): T {
    this.run(o);
    if (!o.ok) throw new Error(`refused: ${o.code}`);
    return o.value;
  }

  // ---------------------------------------------------------------- the clock
  advance(minutes: number): this {
    this.now += minutes * MIN;
    return this;
  }
  at(iso: string): this {
    this.now = Date.parse(iso);
    return this;
  }
  /** Moves the clock to `iso` and rolls the business day as the server's tick does. */
  rollTo(iso: string): this {
    this.now = Date.parse(iso);
    cmd.rollDay(this.state, businessDayOf(this.now));
    this.history = new PredictorHistory();
    return this;
  }

  // ---------------------------------------------------------------- reading
  ticket(id: string): TicketRecord {
    const t = this.state.tickets.get(id);
    if (!t) throw new Error(`no ticket ${id}`);
    return t;
  }
  counter(id: string): CounterRecord {
    const c = this.state.counters.get(id);
    if (!c) throw new Error(`no counter ${id}`);
    return c;
  }

  // ---------------------------------------------------------------- commands
  issue(serviceId: string, priority: Priority = 'none', idNumber?: string): Outcome<TicketRecord> {
    return this.run(cmd.issueTicket(this.hall, this.state, { serviceId, priority, idNumber }, this.env()));
  }
  /** Issues and expects success. */
  take(serviceId: string, priority: Priority = 'none', idNumber?: string): TicketRecord {
    return this.ok(this.issue(serviceId, priority, idNumber));
  }
  open(counterId: string, actor: Actor = MANAGER): Outcome<CounterRecord> {
    return this.run(cmd.openCounter(this.hall, this.state, counterId, actor, this.env()));
  }
  close(counterId: string, actor: Actor = MANAGER): Outcome<CounterRecord> {
    return this.run(cmd.closeCounter(this.hall, this.state, counterId, actor, this.env()));
  }
  pause(counterId: string, actor: Actor = MANAGER): Outcome<CounterRecord> {
    return this.run(cmd.pauseCounter(this.hall, this.state, counterId, actor, this.env()));
  }
  resume(counterId: string, actor: Actor = MANAGER): Outcome<CounterRecord> {
    return this.run(cmd.resumeCounter(this.hall, this.state, counterId, actor, this.env()));
  }
  callNext(counterId: string, actor: Actor = MANAGER): Outcome<TicketRecord | null> {
    return this.run(cmd.callNext(this.hall, this.state, counterId, actor, this.env()));
  }
  callNumber(counterId: string, number: string, actor: Actor = MANAGER): Outcome<TicketRecord> {
    return this.run(cmd.callNumber(this.hall, this.state, counterId, number, actor, this.env()));
  }
  /** Calls and expects a ticket. */
  call(counterId: string, actor: Actor = MANAGER): TicketRecord {
    const t = this.ok(this.callNext(counterId, actor));
    if (t === null) throw new Error(`${counterId} found nobody waiting`);
    return t;
  }
  recall(counterId: string, actor: Actor = MANAGER): Outcome<TicketRecord> {
    return this.run(cmd.recall(this.hall, this.state, counterId, actor, this.env()));
  }
  start(counterId: string, actor: Actor = MANAGER): Outcome<TicketRecord> {
    return this.run(cmd.start(this.hall, this.state, counterId, actor, this.env()));
  }
  finish(counterId: string, actor: Actor = MANAGER): Outcome<TicketRecord> {
    return this.run(cmd.finish(this.hall, this.state, counterId, actor, this.env()));
  }
  noShow(counterId: string, actor: Actor = MANAGER): Outcome<TicketRecord> {
    return this.run(cmd.noShow(this.hall, this.state, counterId, actor, this.env()));
  }
  transfer(counterId: string, target: TransferBody, actor: Actor = MANAGER): Outcome<TicketRecord> {
    return this.run(cmd.transfer(this.hall, this.state, counterId, target, actor, this.env()));
  }
  /** Cancels by id (the record the server would read), or a record given as is (a ticket no longer in the state). */
  cancel(ticket: string | TicketRecord): Outcome<TicketRecord> {
    const t = typeof ticket === 'string' ? this.ticket(ticket) : ticket;
    return this.run(cmd.cancel(this.hall, this.state, t, this.env()));
  }
  reactivate(ticket: string | TicketRecord): Outcome<TicketRecord> {
    const t = typeof ticket === 'string' ? this.ticket(ticket) : ticket;
    return this.run(cmd.reactivate(this.hall, this.state, t, this.env()));
  }
  evaluate(
    ticketId: string,
    level: EvaluationLevel = 'satisfied',
    reasons: string[] = [],
    alreadyEvaluated = false,
  ): Outcome<EvaluationRecord> {
    const input = { level, reasons, comment: null };
    return this.run(cmd.evaluate(this.state, this.ticket(ticketId), alreadyEvaluated, input, 'pad-w1', this.env()));
  }
}

/**
 * A 居民身份证 number with its check character, computed the ISO 7064 MOD 11-2 way (the recursive form,
 * not the weight table the code uses): p ← 2(p + digit) mod 11 over the 17 digits; check = (12 − p) mod 11.
 */
export function idNumber(first17: string): string {
  let p = 0;
  for (const c of first17) p = ((p + Number(c)) * 2) % 11;
  const v = (12 - p) % 11;
  return `${first17}${v === 10 ? 'X' : String(v)}`;
}
