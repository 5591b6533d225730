/**
 * The hall simulator's engine: a discrete-event simulation of one hall day that drives the REAL domain core
 * (issueTicket, callNext, start, finish, noShow, transfer, open/pause/resume/close) in-process, as the
 * server does: each command computes an Outcome against the state, then `apply` folds it in. The clock is
 * the event time handed to each command through its Env: no timers, no I/O, no randomness (every draw
 * is made in advance by `drawArrivals`), so the same arrivals give the same day.
 *
 * A counter: opens at its time; when open, idle and its clerk's reaction time has passed, calls next (R4).
 * A called citizen who will not come is marked a no-show after the grace period; one who comes is started
 * after the walk and finished (or transferred, T7) after the sampled service time. A pause or a close
 * waits for the current ticket (C5); with `drain`, a counter at its closing time still serves the
 * tickets it may call that wait, and closes when none is left.
 */
import type { HallConfig, Priority, RoutingPolicyName } from '@yimen/shared';
import { startOfBusinessDay } from '@yimen/shared';
import type { Actor, Env, Outcome } from '../domain/commands.js';
import * as cmd from '../domain/commands.js';
import { estimateWait } from '../domain/estimate.js';
import type { Hall, HallState, TicketRecord } from '../domain/model.js';
import { buildHall, emptyState } from '../domain/model.js';
import type { Predictor } from '../domain/predictors.js';
import { learn, PredictorHistory } from '../domain/predictors.js';
import { mayCall } from '../domain/routing.js';
import type { Arrival, CounterSchedule, ResolvedPlan } from './plan.js';
import { drawArrivals } from './plan.js';

export interface SimInput {
  hall: HallConfig;
  /** The business day (YYYY-MM-DD). */
  date: string;
  arrivals: readonly Arrival[];
  /** The counters staffed today and their hours; counters not in it stay closed. */
  schedule: ReadonlyMap<string, CounterSchedule>;
  reactionSeconds: number;
  walkSeconds: number;
  noShowGraceSeconds: number;
  drain: boolean;
  enforceHours?: boolean;
  /** Every counter uses this policy (absent: each its configured one). */
  policy?: RoutingPolicyName | undefined;
  /**
   * Wait predictors to record at issue (domain/predictors.ts), by name; the engine feeds their history: each
   * first call's wait, and, as the server does (`learn`), each counter's calls and each ticket's counter
   * minutes (call → finish, no-show or transfer).
   */
  predictors?: Readonly<Record<string, Predictor>> | undefined;
}

export type SimEventName =
  | 'issued'
  | 'refused'
  | 'called'
  | 'started'
  | 'finished'
  | 'no-show'
  | 'transferred'
  | 'counter-opened'
  | 'counter-paused'
  | 'counter-resumed'
  | 'counter-closed';

/** One row of the event log. */
export interface SimEvent {
  /** Seconds since local midnight. */
  time: number;
  event: SimEventName;
  number: string;
  service: string;
  counter: string;
  priority: Priority | '';
  /** On `called`: seconds waited since issue (or since the transfer); on `refused`: the refusal code. */
  wait: number | string | null;
}

/** One citizen's day, as the summary needs it. */
export interface SimTicket {
  number: string;
  /** The service it was issued for. */
  serviceId: string;
  priority: Priority;
  issuedAt: number;
  /** First call, seconds since midnight; null when never called. */
  calledAt: number | null;
  outcome: 'done' | 'no-show' | 'transferred-unserved' | 'unserved';
  /** The server's own estimate at issue (W4), minutes. */
  estimateMinutes: number | null;
  /** Each requested predictor's estimate at issue, minutes (SimInput.predictors). */
  estimates?: Record<string, number | null>;
}

export interface SimCounter {
  id: string;
  /** Seconds open (state `open`). */
  openSeconds: number;
  /** Seconds holding a ticket (call → finish, no-show or transfer). */
  busySeconds: number;
  tickets: number;
}

export interface SimResult {
  events: SimEvent[];
  tickets: SimTicket[];
  /** Arrivals the core refused (I3–I6), by code. */
  refused: Record<string, number>;
  counters: SimCounter[];
  /** Seconds since midnight of the last event. */
  end: number;
}

const MANAGER: Actor = { kind: 'user', id: 'simulator', clerkId: null };

type Ev =
  | { kind: 'arrival'; a: Arrival }
  | { kind: 'open' | 'pause' | 'resume' | 'close' | 'ready' | 'start' | 'noshow' | 'end'; c: string; token?: number };

/** A binary min-heap of events by (time, insertion order): simultaneous events keep their order. */
class Agenda {
  private heap: { t: number; seq: number; ev: Ev }[] = [];
  private seq = 0;
  get size() {
    return this.heap.length;
  }
  push(t: number, ev: Ev) {
    const h = this.heap;
    h.push({ t, seq: this.seq++, ev });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [h[i], h[p]] = [h[p] as (typeof h)[number], h[i] as (typeof h)[number]];
      i = p;
    }
  }
  pop(): { t: number; ev: Ev } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(l, m)) m = l;
        if (r < h.length && this.less(r, m)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as (typeof h)[number], h[i] as (typeof h)[number]];
        i = m;
      }
    }
    return top;
  }
  private less(i: number, j: number) {
    const a = this.heap[i] as { t: number; seq: number };
    const b = this.heap[j] as { t: number; seq: number };
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }
}

interface CounterSim {
  id: string;
  schedule: CounterSchedule;
  /** idle: open, holding nothing, reaction passed, nobody it may call was waiting at its last call. */
  phase: 'closed' | 'idle' | 'reacting' | 'busy' | 'paused';
  idleSince: number;
  wantPause: { from: number; to: number } | null;
  wantClose: boolean;
  openSince: number;
  openSeconds: number;
  busySince: number;
  busySeconds: number;
  tickets: number;
  /** Invalidates a pending `ready` when the counter pauses or closes meanwhile. */
  token: number;
}

interface TicketSim {
  arrival: Arrival;
  /** Served at the transfer target now. */
  transferred: boolean;
  waitingSince: number;
  out: SimTicket;
}

/**
 * The simulator's input for a plan's day: its hall, hours and delays, the plan's policy, and the arrivals
 * drawn for `seed` (a trace plan: its own); `over` replaces any of them.
 */
export function planInput(plan: ResolvedPlan, seed: number, over: Partial<SimInput> = {}): SimInput {
  return {
    hall: plan.hall,
    date: plan.date,
    arrivals: over.arrivals ?? drawArrivals(plan, seed),
    schedule: plan.schedule,
    reactionSeconds: plan.reactionSeconds,
    walkSeconds: plan.walkSeconds,
    noShowGraceSeconds: plan.noShowGraceSeconds,
    drain: plan.drain,
    enforceHours: plan.enforceHours,
    policy: plan.policy,
    ...over,
  };
}

/** Runs one day. Times in the input and the output are seconds since local midnight. */
export function simulate(input: SimInput): SimResult {
  const config: HallConfig =
    input.policy === undefined
      ? input.hall
      : { ...input.hall, counters: input.hall.counters.map((c) => ({ ...c, policy: input.policy as RoutingPolicyName })) };
  const hall: Hall = buildHall(config, { enforceHours: input.enforceHours ?? false });
  const midnight = startOfBusinessDay(input.date);
  const state: HallState = emptyState(hall, input.date, midnight);
  let ids = 0;
  let now = 0;
  const env = (): Env => ({
    now: midnight + Math.round(now * 1000),
    newId: () => `t${++ids}`,
    newKey: () => `k${ids}`,
    personKey: (x) => x,
  });
  const history = new PredictorHistory();
  const run = <T>(o: Outcome<T>, what: string): T => {
    if (!o.ok) throw new Error(`simulator: ${what} refused at ${clock(now)}: ${o.code}`);
    cmd.apply(hall, state, o.changes);
    // The history behind W3 and W4, fed as the server feeds it (the same function).
    learn(history, o.events, midnight + Math.round(now * 1000));
    return o.value;
  };

  const events: SimEvent[] = [];
  const log = (event: SimEventName, t: TicketRecord | null, counter: string, wait: number | string | null = null) =>
    events.push({
      time: now,
      event,
      number: t?.number ?? '',
      service: t?.serviceId ?? '',
      counter,
      priority: t?.priority ?? '',
      wait,
    });

  // Counters' events first: a counter opening at an arrival's instant is open for it.
  const agenda = new Agenda();
  const counters = new Map<string, CounterSim>();
  for (const c of hall.config.counters) {
    const s = input.schedule.get(c.id);
    if (!s) continue;
    counters.set(c.id, {
      id: c.id,
      schedule: s,
      phase: 'closed',
      idleSince: 0,
      wantPause: null,
      wantClose: false,
      openSince: 0,
      openSeconds: 0,
      busySince: 0,
      busySeconds: 0,
      tickets: 0,
      token: 0,
    });
    agenda.push(s.open, { kind: 'open', c: c.id });
    for (const p of s.pauses) {
      agenda.push(p.from, { kind: 'pause', c: c.id });
      agenda.push(p.to, { kind: 'resume', c: c.id });
    }
    if (Number.isFinite(s.close)) agenda.push(s.close, { kind: 'close', c: c.id });
  }
  for (const a of input.arrivals) agenda.push(a.at, { kind: 'arrival', a });
  const tickets = new Map<string, TicketSim>();
  const out: SimTicket[] = [];
  const refused: Record<string, number> = {};
  /** The ticket each busy counter holds. */
  const holding = new Map<string, string>();
  const predictors = input.predictors;

  const counterOf = (id: string) => counters.get(id) as CounterSim;
  const stopOpen = (c: CounterSim) => {
    c.openSeconds += now - c.openSince;
  };
  const closeNow = (c: CounterSim) => {
    stopOpen(c);
    run(cmd.closeCounter(hall, state, c.id, MANAGER, env()), `close ${c.id}`);
    c.phase = 'closed';
    c.token++;
    log('counter-closed', null, c.id);
  };
  const pauseNow = (c: CounterSim) => {
    stopOpen(c);
    run(cmd.pauseCounter(hall, state, c.id, MANAGER, env()), `pause ${c.id}`);
    c.phase = 'paused';
    c.token++;
    log('counter-paused', null, c.id);
  };
  const someoneWaitsFor = (c: CounterSim) => {
    const config = hall.counters.get(c.id);
    if (!config) return false;
    for (const id of state.waiting) {
      const t = state.tickets.get(id);
      if (t && mayCall(config, t)) return true;
    }
    return false;
  };
  /** The counter calls next now (R4): a ticket → busy; nobody → idle (or closed, when it is past closing). */
  const callNow = (c: CounterSim) => {
    const t = run(cmd.callNext(hall, state, c.id, MANAGER, env()), `call-next at ${c.id}`);
    if (t === null) {
      if (c.wantClose) closeNow(c);
      else {
        c.phase = 'idle';
        c.idleSince = now;
      }
      return;
    }
    const sim = tickets.get(t.id) as TicketSim;
    const wait = now - sim.waitingSince;
    if (!sim.transferred && sim.out.calledAt === null) {
      sim.out.calledAt = now;
      if (predictors) history.called(sim.out.serviceId, wait / 60);
    }
    log('called', t, c.id, Math.round(wait));
    c.phase = 'busy';
    c.busySince = now;
    c.tickets++;
    holding.set(c.id, t.id);
    if (sim.arrival.noShow && !sim.transferred) agenda.push(now + input.noShowGraceSeconds, { kind: 'noshow', c: c.id });
    else {
      const service = sim.transferred && sim.arrival.transfer ? sim.arrival.transfer.serviceSeconds : sim.arrival.serviceSeconds;
      agenda.push(now + input.walkSeconds, { kind: 'start', c: c.id });
      agenda.push(now + input.walkSeconds + service, { kind: 'end', c: c.id });
    }
  };
  /** After a ticket: the pending pause or close, else the clerk's reaction, then the next call. */
  const released = (c: CounterSim) => {
    c.busySeconds += now - c.busySince;
    holding.delete(c.id);
    const p = c.wantPause;
    c.wantPause = null;
    if (p && now < p.to) return pauseNow(c);
    if (c.wantClose && !(input.drain && someoneWaitsFor(c))) return closeNow(c);
    c.phase = 'reacting';
    agenda.push(now + input.reactionSeconds, { kind: 'ready', c: c.id, token: ++c.token });
  };
  /** A ticket waits (issued or transferred): the longest idle counter that may call it calls it now. */
  const wake = (t: TicketRecord) => {
    let best: CounterSim | undefined;
    for (const c of counters.values()) {
      if (c.phase !== 'idle') continue;
      const config = hall.counters.get(c.id);
      if (config && mayCall(config, t) && (best === undefined || c.idleSince < best.idleSince)) best = c;
    }
    if (best) callNow(best);
  };

  for (let next = agenda.pop(); next; next = agenda.pop()) {
    now = next.t;
    const ev = next.ev;
    if (ev.kind === 'arrival') {
      const a = ev.a;
      const o = cmd.issueTicket(hall, state, { serviceId: a.serviceId, priority: a.priority }, env());
      if (!o.ok) {
        refused[o.code] = (refused[o.code] ?? 0) + 1;
        events.push({
          time: now,
          event: 'refused',
          number: '',
          service: a.serviceId,
          counter: '',
          priority: a.priority,
          wait: o.code,
        });
        continue;
      }
      const t = run(o, 'issue');
      const estimate = estimateWait(hall, state, t, history).minutes;
      let estimates: Record<string, number | null> | undefined;
      if (predictors) {
        estimates = {};
        for (const [name, p] of Object.entries(predictors)) estimates[name] = p(hall, state, t, env().now, history);
      }
      const sim: TicketSim = {
        arrival: a,
        transferred: false,
        waitingSince: now,
        out: {
          number: t.number,
          serviceId: t.serviceId,
          priority: t.priority,
          issuedAt: now,
          calledAt: null,
          outcome: 'unserved',
          estimateMinutes: estimate,
          ...(estimates ? { estimates } : {}),
        },
      };
      tickets.set(t.id, sim);
      out.push(sim.out);
      log('issued', t, '');
      wake(t);
      continue;
    }
    const c = counterOf(ev.c);
    switch (ev.kind) {
      case 'open':
        run(cmd.openCounter(hall, state, c.id, MANAGER, env()), `open ${c.id}`);
        c.openSince = now;
        log('counter-opened', null, c.id);
        callNow(c);
        break;
      case 'pause': {
        const p = c.schedule.pauses.find((x) => x.from === now) ?? null;
        if (c.phase === 'closed' || c.phase === 'paused') break;
        if (c.phase === 'busy') c.wantPause = p;
        else pauseNow(c);
        break;
      }
      case 'resume':
        c.wantPause = null;
        if (c.phase !== 'paused') break;
        run(cmd.resumeCounter(hall, state, c.id, MANAGER, env()), `resume ${c.id}`);
        c.openSince = now;
        log('counter-resumed', null, c.id);
        if (c.wantClose && !(input.drain && someoneWaitsFor(c))) closeNow(c);
        else callNow(c);
        break;
      case 'close':
        c.wantClose = true;
        if (c.phase === 'paused') {
          // A paused counter closes at its closing time: open its books to close them (C5 needs no ticket).
          run(cmd.resumeCounter(hall, state, c.id, MANAGER, env()), `resume ${c.id}`);
          c.openSince = now;
          closeNow(c);
        } else if (c.phase === 'idle') closeNow(c);
        else if (c.phase === 'reacting' && !(input.drain && someoneWaitsFor(c))) closeNow(c);
        break;
      case 'ready':
        if (c.phase === 'reacting' && ev.token === c.token) callNow(c);
        break;
      case 'start': {
        const t = run(cmd.start(hall, state, c.id, MANAGER, env()), `start at ${c.id}`);
        log('started', t, c.id);
        break;
      }
      case 'noshow': {
        const t = run(cmd.noShow(hall, state, c.id, MANAGER, env()), `no-show at ${c.id}`);
        (tickets.get(t.id) as TicketSim).out.outcome = 'no-show';
        log('no-show', t, c.id);
        released(c);
        break;
      }
      case 'end': {
        const id = holding.get(c.id) as string;
        const sim = tickets.get(id) as TicketSim;
        if (sim.arrival.transfer && !sim.transferred) {
          const t = run(
            cmd.transfer(hall, state, c.id, { serviceId: sim.arrival.transfer.to }, MANAGER, env()),
            `transfer at ${c.id}`,
          );
          sim.transferred = true;
          sim.waitingSince = now;
          sim.out.outcome = 'transferred-unserved';
          log('transferred', t, c.id);
          released(c);
          wake(t);
        } else {
          const t = run(cmd.finish(hall, state, c.id, MANAGER, env()), `finish at ${c.id}`);
          sim.out.outcome = 'done';
          log('finished', t, c.id);
          released(c);
        }
        break;
      }
    }
  }
  for (const c of counters.values()) if (c.phase !== 'closed' && c.phase !== 'paused') stopOpen(c);
  return {
    events,
    tickets: out,
    refused,
    counters: [...counters.values()].map((c) => ({
      id: c.id,
      openSeconds: c.openSeconds,
      busySeconds: c.busySeconds,
      tickets: c.tickets,
    })),
    end: now,
  };
}

/** Seconds since midnight as HH:MM:SS (hours past 24 keep counting, for multi-day stationary runs). */
export function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** The event log as CSV: time,event,number,service,counter,priority,wait (wait: seconds on `called`). */
export function eventsCsv(events: readonly SimEvent[]): string {
  const rows = ['time,event,number,service,counter,priority,wait'];
  for (const e of events) rows.push([clock(e.time), e.event, e.number, e.service, e.counter, e.priority, e.wait ?? ''].join(','));
  return `${rows.join('\n')}\n`;
}
