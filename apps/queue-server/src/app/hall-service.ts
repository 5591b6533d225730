/**
 * The application layer: authorisation, idempotency, the domain core, one transaction per command,
 * then the in-memory state and the ordered facts. HTTP and socket.io both call this and nothing else.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type {
  Audience,
  ClerkOnDuty,
  Clock,
  Counter,
  DeviceFault,
  DevicePresence,
  DeviceReportBody,
  Evaluation,
  EvaluationBody,
  Fact,
  FactMessage,
  GuidesResponse,
  HallInfo,
  IssueTicketBody,
  QueueSummary,
  RecentCall,
  Service,
  Snapshot,
  Ticket,
  TicketView,
  TransferBody,
} from '@yimen/shared';
import { businessDayOf, PROTOCOL_VERSION, toShanghaiIso } from '@yimen/shared';
import type { AuthStore, DeviceRow, Principal } from '../adapters/auth.js';
import { newId } from '../adapters/auth.js';
import type { DeviceFaultRow, EventMeta, HallStore, RequestKey } from '../adapters/db.js';
import type { GroupCommit } from '../adapters/group-commit.js';
import { serviceHours } from '../domain/calendar.js';
import type { Actor, DomainEvent, Env, Outcome } from '../domain/commands.js';
import * as cmd from '../domain/commands.js';
import { estimateWait, queueStates, queueSummaries } from '../domain/estimate.js';
import { learn, PredictorHistory, rebuildHistory } from '../domain/history.js';
import type { CounterRecord, EvaluationRecord, Hall, HallState, TicketRecord } from '../domain/model.js';
import { emptyState } from '../domain/model.js';
import { AppError } from './errors.js';

export type FactListener = (facts: FactMessage[]) => void;
const RECENT_CALLS = 20;

type CounterAction = 'open' | 'close' | 'pause' | 'resume' | 'recall' | 'start' | 'finish' | 'no-show';

export class HallService {
  readonly epoch = randomBytes(6).toString('base64url');
  private seq = 0;
  private readonly listeners = new Set<FactListener>();
  private state: HallState;
  /** The day's calls and counter minutes behind the estimates (W3, W4): fed by every command, rebuilt by `load`. */
  private history = new PredictorHistory();
  private readonly recentCalls: RecentCall[] = [];
  private readonly clerks = new Map<string, ClerkOnDuty | null>();
  private readonly personSecret: Buffer;
  private notice: string;
  private snapshotCache: { key: string; core: Omit<Snapshot, 'audience'> } | null = null;
  /**
   * What the facts have told of each service's queue: its waiting count, people ahead, estimate and oldest
   * ticket. A commit's facts carry every queue that moved since (W5 of one service moves with the others':
   * a counter that serves several, a counter opened or paused).
   */
  private readonly toldQueues = new Map<string, string>();
  /** Publications so far: the last of a commit carries the queues that moved. */
  private published = 0;
  /** Live connections per device, and since when it is online or offline (not persisted: a restart resets it). */
  private readonly presence = new Map<string, { sockets: number; since: number }>();
  private readonly presenceListeners = new Set<(d: DevicePresence) => void>();
  /** Each device's components' current faults, as in the device_faults table. */
  private readonly faults = new Map<string, Map<string, DeviceFaultRow>>();

  constructor(
    readonly hall: Hall,
    private readonly store: HallStore,
    private readonly auth: AuthStore,
    private readonly clock: Clock,
    private readonly commits: GroupCommit,
  ) {
    let secret = store.getMeta('person_key_secret');
    if (!secret) {
      secret = randomBytes(32).toString('base64');
      store.setMeta('person_key_secret', secret);
    }
    this.personSecret = Buffer.from(secret, 'base64');
    this.notice = store.getMeta('notice') ?? hall.settings.notice;
    const now = clock();
    this.state = emptyState(hall, businessDayOf(now), now);
    this.load();
    for (const f of store.deviceFaults()) this.faultsOf(f.deviceId).set(f.component, f);
    this.movedQueues(now); // what a client's snapshot would hold: the baseline of the facts to come
  }

  private faultsOf(deviceId: string): Map<string, DeviceFaultRow> {
    let m = this.faults.get(deviceId);
    if (!m) {
      m = new Map();
      this.faults.set(deviceId, m);
    }
    return m;
  }

  /**
   * After a failed commit the in-memory state has run ahead of the file: start again from what the file
   * holds. The commands of the failed batch were never answered, so nobody saw them as done.
   */
  reset(): void {
    const now = this.clock();
    this.state = emptyState(this.hall, businessDayOf(now), now);
    this.recentCalls.length = 0;
    this.load();
    this.faults.clear();
    for (const f of this.store.deviceFaults()) this.faultsOf(f.deviceId).set(f.component, f);
    // The rebuilt history may estimate otherwise than the lost one: tell the queues that moved.
    const moved = this.movedQueues(now);
    if (moved.length > 0) this.publish([{ type: 'queue:updated', queues: moved }], now);
  }

  /** Resolves once every change made so far is committed; the adapters answer only then. */
  durable(): Promise<void> {
    return this.commits.durable();
  }

  /** Rebuilds the in-memory state from the database: counters, today's tickets and the indexes. */
  private load(): void {
    const s = this.state;
    const counters = this.store.loadCounters().filter((c) => this.hall.counters.has(c.id));
    // Folded in order of finishing, so the recent service times (W3) come out oldest first.
    const tickets = this.store.loadTickets(s.businessDay).sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
    const sequences = new Map<string, number>();
    let issueOrder = 0;
    for (const t of tickets) {
      if (t.businessDay !== s.businessDay) continue;
      sequences.set(t.prefix, Math.max(sequences.get(t.prefix) ?? 0, t.sequence));
      issueOrder = Math.max(issueOrder, Math.floor(t.rankTie));
    }
    cmd.apply(this.hall, s, {
      tickets,
      counters,
      sequences: [...sequences].map(([prefix, value]) => ({ prefix, value })),
      issueOrder,
      evaluation: null,
    });
    this.history = rebuildHistory(tickets.filter((t) => t.businessDay === s.businessDay));
    const called = tickets
      .filter((t) => t.businessDay === s.businessDay && t.calledAt !== null && t.counterId !== null)
      .sort((a, b) => (b.calledAt ?? 0) - (a.calledAt ?? 0))
      .slice(0, RECENT_CALLS);
    for (const t of called) {
      const call = this.callOf(t, false);
      if (call) this.recentCalls.push(call);
    }
  }

  subscribe(listener: FactListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get businessDay(): string {
    return this.state.businessDay;
  }

  // ---------------------------------------------------------------- time

  /** N4: moves to a new business day when the clock has crossed midnight in Asia/Shanghai. */
  tick(): number {
    const now = this.clock();
    const day = businessDayOf(now);
    if (day !== this.state.businessDay) {
      cmd.rollDay(this.state, day);
      this.recentCalls.length = 0;
      // The new day may already have tickets (a clock set back or corrected): continue from the stored ones (N5).
      this.load();
      this.publish([{ type: 'day:changed', businessDay: day }], now);
    }
    return now;
  }

  private env(now: number): Env {
    return {
      now,
      newId: () => newId('tk'),
      newKey: () => randomBytes(24).toString('base64url'),
      personKey: (id) => createHmac('sha256', this.personSecret).update(id).digest('base64url'),
    };
  }

  // ---------------------------------------------------------------- the one way state changes

  private run<T>(
    now: number,
    actor: Principal | null,
    outcome: Outcome<T>,
    requestKey: ((value: T) => RequestKey) | null = null,
  ): T {
    if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
    const meta: EventMeta = {
      at: now,
      businessDay: this.state.businessDay,
      actorKind: actor === null ? 'system' : actor.type,
      actorId: actor === null ? null : actor.type === 'user' ? actor.user.id : actor.device.id,
      deviceId: actor?.type === 'device' ? actor.device.id : null,
    };
    const key = requestKey ? requestKey(outcome.value) : null;
    this.commits.write(() => this.store.commit(outcome.changes, outcome.events, meta, key));
    cmd.apply(this.hall, this.state, outcome.changes);
    learn(this.history, outcome.events, now);
    this.publish(this.factsOf(outcome.events), now);
    return outcome.value;
  }

  /**
   * Facts go out once the changes behind them are committed, numbered in commit order. The last facts of a
   * commit end with the queues that moved (queue:updated), found once for the state the commit left.
   */
  private publish(facts: Fact[], now: number): void {
    if (facts.length === 0) return;
    const mine = ++this.published;
    this.commits.afterCommit(() => {
      const queues = mine === this.published ? this.movedQueues(now) : [];
      const all: Fact[] = queues.length > 0 ? [...facts, { type: 'queue:updated', queues }] : facts;
      const at = toShanghaiIso(now);
      const messages = all.map((f) => ({ ...f, seq: ++this.seq, epoch: this.epoch, at }) as FactMessage);
      for (const l of this.listeners) l(messages);
    });
  }

  /** W5 of every service that moved since the facts last told it (and remembers them as told). */
  private movedQueues(now: number): QueueSummary[] {
    const moved: QueueSummary[] = [];
    for (const { summary: q, oldest } of queueStates(this.hall, this.state, now, this.history)) {
      const told = `${q.waiting}|${q.peopleAhead}|${q.estimatedWaitMinutes}|${oldest}`;
      if (this.toldQueues.get(q.serviceId) === told) continue;
      this.toldQueues.set(q.serviceId, told);
      moved.push(q);
    }
    return moved;
  }

  private factsOf(events: DomainEvent[]): Fact[] {
    const facts: Fact[] = [];
    const counterView = (id: string | null) => (id === null ? null : this.counterViewById(id));
    for (const e of events) {
      if (e.type === 'evaluation:recorded') {
        facts.push({ type: e.type, evaluation: evaluationView(e.after as EvaluationRecord) });
        continue;
      }
      if (e.ticketId === null) {
        const counter = counterView(e.counterId);
        if (counter && e.type.startsWith('counter:')) facts.push({ type: e.type as 'counter:opened', counter });
        continue;
      }
      const t = e.after as TicketRecord;
      const before = e.before as TicketRecord | null;
      const ticket = ticketView(t);
      const counter = counterView(e.counterId);
      switch (e.type) {
        case 'ticket:issued':
        case 'ticket:reactivated':
          facts.push({ type: e.type, ticket });
          break;
        case 'ticket:called':
        case 'ticket:recalled': {
          const call = this.callOf(t, e.type === 'ticket:recalled');
          if (!counter || !call) break;
          this.recentCalls.unshift(call);
          if (this.recentCalls.length > RECENT_CALLS) this.recentCalls.pop();
          facts.push({ type: e.type, ticket, counter, call });
          break;
        }
        case 'ticket:started':
        case 'ticket:finished':
        case 'ticket:no-show':
          if (counter) facts.push({ type: e.type, ticket, counter });
          break;
        case 'ticket:transferred':
          if (counter && before)
            facts.push({ type: e.type, ticket, counter, from: { serviceId: before.serviceId, counterId: counter.id } });
          break;
        case 'ticket:cancelled':
          facts.push({ type: e.type, ticket, counter });
          break;
        default:
          break;
      }
    }
    return facts;
  }

  private callOf(t: TicketRecord, recall: boolean): RecentCall | null {
    const counter = t.counterId === null ? undefined : this.hall.counters.get(t.counterId);
    if (!counter || t.calledAt === null) return null;
    return {
      ticketId: t.id,
      number: t.number,
      serviceId: t.serviceId,
      counterId: counter.id,
      counterNumber: counter.number,
      at: toShanghaiIso(recall ? this.clock() : t.calledAt),
      recall,
    };
  }

  // ---------------------------------------------------------------- views

  private clerk(id: string | null): ClerkOnDuty | null {
    if (id === null) return null;
    let c = this.clerks.get(id);
    if (c === undefined) {
      const u = this.auth.user(id);
      c = u ? { id: u.id, name: u.name, staffNo: u.staffNo } : null;
      this.clerks.set(id, c);
    }
    return c;
  }

  private counterViewById(id: string): Counter | null {
    const r = this.state.counters.get(id);
    return r ? this.counterView(r) : null;
  }

  counterView(r: CounterRecord): Counter | null {
    const c = this.hall.counters.get(r.id);
    if (!c) return null;
    return {
      id: c.id,
      number: c.number,
      name: c.name,
      kind: c.kind,
      serviceIds: c.serviceIds,
      policy: c.policy,
      state: r.state,
      currentTicketId: r.currentTicketId,
      clerk: this.clerk(r.clerkId),
      stateSince: toShanghaiIso(r.stateSince),
    };
  }

  counters(): Counter[] {
    return this.hall.config.counters.map((c) => this.counterViewById(c.id)).filter((c): c is Counter => c !== null);
  }

  services(): Service[] {
    return this.hall.config.services.map((s) => ({
      id: s.id,
      prefix: s.prefix,
      name: s.name,
      department: s.department,
      category: s.category,
      dailyCap: s.dailyCap,
      hours: serviceHours(this.hall, s),
      perPersonDailyLimit: s.perPersonDailyLimit,
      defaultServiceMinutes: s.defaultServiceMinutes,
      suspended: s.suspended,
      description: s.description ?? null,
    }));
  }

  /** The categories and the guides of the services that have one (办事指南, GET /api/v1/guides). */
  guides(): GuidesResponse {
    return {
      categories: this.hall.config.categories.map((c) => ({ id: c.id, name: c.name, icon: c.icon ?? null })),
      guides: this.hall.config.services.flatMap((s) => (s.guide ? [{ serviceId: s.id, guide: s.guide }] : [])),
    };
  }

  hallInfo(): HallInfo {
    return {
      name: this.hall.config.hall.name,
      timezone: this.hall.config.hall.timezone,
      notice: this.notice,
      businessDay: this.state.businessDay,
      ticketFooter: this.hall.settings.ticketFooter,
      voiceTemplate: this.hall.settings.voiceTemplate,
      elderlyAge: this.hall.settings.elderlyAge,
    };
  }

  queues(): QueueSummary[] {
    const now = this.tick();
    return queueSummaries(this.hall, this.state, now, this.history);
  }

  /** A ticket as the HTTP API shows it, with its place in the queue while it waits. */
  ticketFull(t: TicketRecord): Ticket {
    const live = t.status === 'waiting' && t.businessDay === this.state.businessDay && this.state.waiting.has(t.id);
    const est = live ? estimateWait(this.hall, this.state, t, this.history) : null;
    return {
      ...ticketView(t),
      peopleAhead: est ? est.peopleAhead : null,
      estimatedWaitMinutes: est ? est.minutes : null,
      statusPath: `/t/${t.statusKey}`,
    };
  }

  private findTicket(id: string): TicketRecord {
    const t = this.state.tickets.get(id) ?? this.store.ticket(id);
    if (!t) throw new AppError('NOT_FOUND', '该号票不存在。');
    return t;
  }

  getTicket(id: string): Ticket {
    this.tick();
    return this.ticketFull(this.findTicket(id));
  }

  /** The public status page's data: nothing personal, found by the unguessable key only. */
  ticketByStatusKey(key: string): { ticket: Ticket; serviceName: string; counterNumber: number | null; expired: boolean } | null {
    this.tick();
    const stored = this.store.ticketByStatusKey(key);
    if (!stored) return null;
    const t = this.state.tickets.get(stored.id) ?? stored;
    const counter = t.counterId === null ? undefined : this.hall.counters.get(t.counterId);
    return {
      ticket: this.ticketFull(t),
      serviceName: this.hall.services.get(t.serviceId)?.name ?? t.serviceId,
      counterNumber: counter?.number ?? null,
      expired: t.businessDay !== this.state.businessDay && ['waiting', 'called', 'serving'].includes(t.status),
    };
  }

  /**
   * What a screen needs to start (S1). Built once per committed state and second, then shared by every
   * socket that connects meanwhile (300 screens reconnecting after a restart cost one build, not 300).
   */
  snapshot(audience: Audience): Snapshot {
    const now = this.tick();
    const key = `${this.epoch}|${this.seq}|${this.state.businessDay}|${Math.floor(now / 1000)}`;
    let core = this.snapshotCache?.key === key ? this.snapshotCache.core : null;
    if (!core) {
      const tickets: TicketView[] = [];
      for (const t of this.state.tickets.values())
        if (t.status === 'waiting' || t.status === 'called' || t.status === 'serving') tickets.push(ticketView(t));
      tickets.sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
      core = {
        devices: [],
        protocolVersion: PROTOCOL_VERSION,
        epoch: this.epoch,
        seq: this.seq,
        serverTime: toShanghaiIso(now),
        hall: this.hallInfo(),
        services: this.services(),
        counters: this.counters(),
        tickets,
        queues: queueSummaries(this.hall, this.state, now, this.history),
        recentCalls: [...this.recentCalls],
        today: this.store.countsOfDay(this.state.businessDay),
      };
      // Only a committed state is shared: while writes wait, their facts are still to come.
      if (!this.commits.pending) this.snapshotCache = { key, core };
    }
    const staff = audience.type === 'user' && (audience.role === 'admin' || audience.role === 'manager');
    return { ...core, audience, devices: staff ? this.devicePresence() : [] };
  }

  /** Every paired, unrevoked device and whether it is connected now (managers' and admins' snapshots). */
  devicePresence(): DevicePresence[] {
    return this.auth
      .devices()
      .filter((d) => d.revokedAt === null)
      .map((d) => this.presenceOf(d));
  }

  /** Presence changes go to managers and admins outside the numbered facts (S6). */
  onPresence(listener: (d: DevicePresence) => void): () => void {
    this.presenceListeners.add(listener);
    return () => this.presenceListeners.delete(listener);
  }

  private announcePresence(d: DevicePresence): void {
    for (const l of this.presenceListeners) l(d);
  }

  // ---------------------------------------------------------------- authorisation

  private static callerId(p: Principal): string {
    return p.type === 'user' ? p.user.id : p.device.id;
  }

  /** Who may act at a counter: its clerks, its call keypad, managers and admins (A3). */
  private counterActor(p: Principal, counterId: string): Actor {
    if (!this.hall.counters.has(counterId)) throw new AppError('NOT_FOUND', '该窗口不存在。');
    if (p.type === 'device') {
      if (p.device.kind === 'call-keypad' && p.device.counterId === counterId)
        return { kind: 'device', id: p.device.id, clerkId: null };
      throw new AppError('FORBIDDEN', '该设备不能操作这个窗口。');
    }
    if (p.user.role === 'admin' || p.user.role === 'manager') return { kind: 'user', id: p.user.id, clerkId: null };
    if (p.user.counterIds.includes(counterId)) return { kind: 'user', id: p.user.id, clerkId: p.user.id };
    throw new AppError('FORBIDDEN', '您没有被分配到这个窗口。');
  }

  /** Ticket commands (cancel, reactivate): managers, or a clerk whose counters could serve or held the ticket. */
  private requireTicketClerk(p: Principal, t: TicketRecord): void {
    if (p.type === 'device') throw new AppError('FORBIDDEN');
    if (p.user.role === 'admin' || p.user.role === 'manager') return;
    const mine = p.user.counterIds;
    const ok =
      (t.counterId !== null && mine.includes(t.counterId)) ||
      (t.targetCounterId !== null && mine.includes(t.targetCounterId)) ||
      mine.some((c) => this.hall.counters.get(c)?.serviceIds.includes(t.serviceId));
    if (!ok) throw new AppError('FORBIDDEN', '这张号票不属于您的窗口。');
  }

  // ---------------------------------------------------------------- commands

  issue(p: Principal, body: IssueTicketBody): { ticket: Ticket; created: boolean } {
    if (p.type === 'device' && p.device.kind !== 'kiosk') throw new AppError('FORBIDDEN', '该设备不能取号。');
    const now = this.tick();
    const env = this.env(now);
    const priority = body.priority ?? 'none';
    const callerId = HallService.callerId(p);
    const personPart = body.idNumber === undefined ? '' : env.personKey(body.idNumber.toUpperCase());
    const fingerprint = `${body.serviceId}|${priority}|${personPart}`;
    const prior = this.store.requestKey(callerId, this.state.businessDay, 'issue', body.requestId);
    if (prior) {
      if (prior.fingerprint !== fingerprint || prior.ticketId === null) throw new AppError('REQUEST_ID_REUSED');
      return { ticket: this.ticketFull(this.findTicket(prior.ticketId)), created: false };
    }
    const outcome = cmd.issueTicket(this.hall, this.state, { serviceId: body.serviceId, priority, idNumber: body.idNumber }, env);
    const t = this.run(now, p, outcome, (value) => ({
      callerId,
      businessDay: this.state.businessDay,
      scope: 'issue',
      requestId: body.requestId,
      fingerprint,
      ticketId: value.id,
    }));
    return { ticket: this.ticketFull(t), created: true };
  }

  callNext(p: Principal, counterId: string, requestId?: string): Ticket | null {
    const actor = this.counterActor(p, counterId);
    const now = this.tick();
    const callerId = HallService.callerId(p);
    if (requestId !== undefined) {
      const prior = this.store.requestKey(callerId, this.state.businessDay, 'call-next', requestId);
      if (prior) {
        if (prior.fingerprint !== counterId) throw new AppError('REQUEST_ID_REUSED');
        return prior.ticketId === null ? null : this.ticketFull(this.findTicket(prior.ticketId));
      }
    }
    const outcome = cmd.callNext(this.hall, this.state, counterId, actor, this.env(now));
    const t = this.run(
      now,
      p,
      outcome,
      requestId === undefined
        ? null
        : (value) => ({
            callerId,
            businessDay: this.state.businessDay,
            scope: 'call-next',
            requestId,
            fingerprint: counterId,
            ticketId: value?.id ?? null,
          }),
    );
    return t === null ? null : this.ticketFull(t);
  }

  /** C8: call one waiting ticket by its number (a keypad's digits + 呼叫); a requestId makes a retry safe. */
  callNumber(p: Principal, counterId: string, number: string, requestId?: string): Ticket {
    const actor = this.counterActor(p, counterId);
    const now = this.tick();
    const callerId = HallService.callerId(p);
    const fingerprint = `${counterId}:${number.toUpperCase()}`;
    if (requestId !== undefined) {
      const prior = this.store.requestKey(callerId, this.state.businessDay, 'call-number', requestId);
      if (prior) {
        if (prior.fingerprint !== fingerprint || prior.ticketId === null) throw new AppError('REQUEST_ID_REUSED');
        return this.ticketFull(this.findTicket(prior.ticketId));
      }
    }
    const outcome = cmd.callNumber(this.hall, this.state, counterId, number, actor, this.env(now));
    const t = this.run(
      now,
      p,
      outcome,
      requestId === undefined
        ? null
        : (value) => ({
            callerId,
            businessDay: this.state.businessDay,
            scope: 'call-number',
            requestId,
            fingerprint,
            ticketId: value.id,
          }),
    );
    return this.ticketFull(t);
  }

  counterAction(p: Principal, counterId: string, action: 'open' | 'close' | 'pause' | 'resume'): Counter;
  counterAction(p: Principal, counterId: string, action: 'recall' | 'start' | 'finish' | 'no-show'): Ticket;
  counterAction(p: Principal, counterId: string, action: CounterAction): Counter | Ticket {
    const actor = this.counterActor(p, counterId);
    const now = this.tick();
    const env = this.env(now);
    const h = this.hall;
    const s = this.state;
    switch (action) {
      case 'open':
      case 'close':
      case 'pause':
      case 'resume': {
        const fn = { open: cmd.openCounter, close: cmd.closeCounter, pause: cmd.pauseCounter, resume: cmd.resumeCounter }[action];
        const r = this.run(now, p, fn(h, s, counterId, actor, env));
        return this.counterView(r) as Counter;
      }
      case 'recall':
      case 'start':
      case 'finish':
      case 'no-show': {
        const fn = { recall: cmd.recall, start: cmd.start, finish: cmd.finish, 'no-show': cmd.noShow }[action];
        return this.ticketFull(this.run(now, p, fn(h, s, counterId, actor, env)));
      }
    }
  }

  transfer(p: Principal, counterId: string, target: TransferBody): Ticket {
    const actor = this.counterActor(p, counterId);
    const now = this.tick();
    return this.ticketFull(this.run(now, p, cmd.transfer(this.hall, this.state, counterId, target, actor, this.env(now))));
  }

  cancel(p: Principal, ticketId: string): Ticket {
    const now = this.tick();
    const t = this.findTicket(ticketId);
    this.requireTicketClerk(p, t);
    return this.ticketFull(this.run(now, p, cmd.cancel(this.hall, this.state, t, this.env(now))));
  }

  reactivate(p: Principal, ticketId: string): Ticket {
    const now = this.tick();
    const t = this.findTicket(ticketId);
    this.requireTicketClerk(p, t);
    return this.ticketFull(this.run(now, p, cmd.reactivate(this.hall, this.state, t, this.env(now))));
  }

  evaluate(p: Principal, body: EvaluationBody): Evaluation {
    const now = this.tick();
    const t = this.findTicket(body.ticketId);
    const allowed =
      p.type === 'device'
        ? p.device.kind === 'evaluation-pad' && (t.counterId === null || p.device.counterId === t.counterId)
        : p.user.role === 'clerk' && (t.counterId === null || p.user.counterIds.includes(t.counterId));
    if (!allowed) throw new AppError('FORBIDDEN', '只能评价本窗口办理的业务。');
    const outcome = cmd.evaluate(
      this.state,
      t,
      this.store.isEvaluated(t.id),
      { level: body.level, reasons: body.reasons ?? [], comment: body.comment ?? null },
      HallService.callerId(p),
      this.env(now),
    );
    return evaluationView(this.run(now, p, outcome));
  }

  // ---------------------------------------------------------------- device presence (the manager's offline alerts)

  private presenceOf(d: DeviceRow): DevicePresence {
    const p = this.presence.get(d.id);
    return {
      deviceId: d.id,
      kind: d.kind,
      name: d.name,
      counterId: d.counterId,
      online: (p?.sockets ?? 0) > 0,
      revoked: d.revokedAt !== null,
      since: toShanghaiIso(p?.since ?? d.createdAt),
      faults: [...(this.faults.get(d.id)?.values() ?? [])].map(
        (f): DeviceFault => ({
          component: f.component as DeviceFault['component'],
          code: f.code as DeviceFault['code'],
          detail: f.detail,
          since: toShanghaiIso(f.since),
        }),
      ),
    };
  }

  /**
   * A device reports one of its components (D1–D3 of SPEC): a fault, or null once it works again. The current
   * faults are kept in device_faults and every change is an event; managers hear it as a presence update.
   * Repeating the current state changes nothing.
   */
  reportDevice(p: Principal, body: DeviceReportBody): DevicePresence {
    if (p.type !== 'device') throw new AppError('FORBIDDEN', '只有设备可以报告设备状态。');
    const d = p.device;
    const now = this.tick();
    const current = this.faults.get(d.id)?.get(body.component) ?? null;
    const detail = body.detail ?? null;
    const same = body.fault === null ? current === null : current?.code === body.fault && current.detail === detail;
    if (!same) {
      const row = { deviceId: d.id, component: body.component, code: body.fault, detail, since: now };
      const meta: EventMeta = {
        at: now,
        businessDay: this.state.businessDay,
        actorKind: 'device',
        actorId: d.id,
        deviceId: d.id,
      };
      this.commits.write(() => this.store.reportDevice(meta, row, current));
      if (body.fault === null) this.faults.get(d.id)?.delete(body.component);
      else this.faultsOf(d.id).set(body.component, { ...row, code: body.fault });
      const presence = this.presenceOf(d);
      this.commits.afterCommit(() => this.announcePresence(presence));
      return presence;
    }
    return this.presenceOf(d);
  }

  /** A device's socket joined; the first one makes it online. */
  deviceConnected(d: DeviceRow): void {
    const now = this.clock();
    const p = this.presence.get(d.id) ?? { sockets: 0, since: now };
    this.presence.set(d.id, p);
    if (p.sockets++ === 0) {
      p.since = now;
      this.announcePresence(this.presenceOf(d));
    }
  }

  /** A device's socket left; the last one makes it offline. */
  deviceDisconnected(d: DeviceRow): void {
    const p = this.presence.get(d.id);
    if (!p || p.sockets === 0) return;
    const now = this.clock();
    if (--p.sockets === 0) {
      p.since = now;
      this.announcePresence(this.presenceOf(d));
    }
  }

  /** A revoked device leaves the managers' device lists (after its sockets' own offline notices). */
  deviceRevoked(d: DeviceRow): void {
    this.presence.delete(d.id);
    this.faults.delete(d.id);
    this.announcePresence({ ...this.presenceOf(d), online: false, revoked: true });
  }

  setNotice(notice: string): string {
    const now = this.tick();
    this.commits.write(() => this.store.setMeta('notice', notice));
    this.notice = notice;
    this.publish([{ type: 'hall:notice-changed', notice }], now);
    return notice;
  }
}

export function ticketView(t: TicketRecord): TicketView {
  const iso = (ms: number | null) => (ms === null ? null : toShanghaiIso(ms));
  return {
    id: t.id,
    number: t.number,
    serviceId: t.serviceId,
    status: t.status,
    priority: t.priority,
    businessDay: t.businessDay,
    issuedAt: toShanghaiIso(t.issuedAt),
    calledAt: iso(t.calledAt),
    startedAt: iso(t.startedAt),
    finishedAt: iso(t.finishedAt),
    counterId: t.counterId,
    targetCounterId: t.targetCounterId,
    recallCount: t.recallCount,
    transferCount: t.transferCount,
  };
}

export function evaluationView(e: EvaluationRecord): Evaluation {
  return {
    id: e.id,
    ticketId: e.ticketId,
    counterId: e.counterId,
    clerkId: e.clerkId,
    level: e.level,
    reasons: e.reasons,
    comment: e.comment,
    createdAt: toShanghaiIso(e.createdAt),
  };
}
