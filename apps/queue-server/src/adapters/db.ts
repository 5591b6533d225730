/**
 * SQLite persistence (better-sqlite3, one file, WAL, synchronous=FULL). Every state change is written
 * in one transaction together with its append-only event rows, before anyone hears of it.
 */
import Database from 'better-sqlite3';
import type { Changes, DomainEvent } from '../domain/commands.js';
import type { CounterRecord, TicketRecord } from '../domain/model.js';

export type Db = Database.Database;

/** Versioned migrations: index i brings the schema from version i to i + 1. Never edit a shipped one. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    status_key TEXT NOT NULL UNIQUE,
    number TEXT NOT NULL,
    prefix TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    service_id TEXT NOT NULL,
    issued_service_id TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL,
    business_day TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    called_at INTEGER,
    started_at INTEGER,
    finished_at INTEGER,
    counter_id TEXT,
    target_counter_id TEXT,
    clerk_id TEXT,
    recall_count INTEGER NOT NULL DEFAULT 0,
    transfer_count INTEGER NOT NULL DEFAULT 0,
    rank_at REAL NOT NULL,
    rank_tie REAL NOT NULL,
    person_key TEXT,
    UNIQUE (business_day, number)
  );
  CREATE INDEX tickets_day ON tickets (business_day);
  CREATE TABLE counters (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    clerk_id TEXT,
    current_ticket_id TEXT,
    state_since INTEGER NOT NULL
  );
  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    business_day TEXT NOT NULL,
    type TEXT NOT NULL,
    ticket_id TEXT,
    counter_id TEXT,
    actor_kind TEXT NOT NULL,
    actor_id TEXT,
    device_id TEXT,
    before TEXT,
    after TEXT NOT NULL
  );
  CREATE INDEX events_day ON events (business_day, type);
  CREATE INDEX events_ticket ON events (ticket_id);
  CREATE TRIGGER events_append_only_u BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TRIGGER events_append_only_d BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
  CREATE TABLE request_keys (
    caller_id TEXT NOT NULL,
    business_day TEXT NOT NULL,
    scope TEXT NOT NULL,
    request_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    ticket_id TEXT,
    PRIMARY KEY (caller_id, business_day, scope, request_id)
  );
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    staff_no TEXT,
    counter_ids TEXT NOT NULL DEFAULT '[]',
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    counter_id TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE evaluations (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL UNIQUE,
    counter_id TEXT NOT NULL,
    clerk_id TEXT,
    level TEXT NOT NULL,
    reasons TEXT NOT NULL,
    comment TEXT,
    created_at INTEGER NOT NULL,
    submitted_by TEXT NOT NULL
  );
  `,
  // 2: a device's components' current faults (a kiosk's printer out of paper…); history is in events.
  `
  CREATE TABLE device_faults (
    device_id TEXT NOT NULL,
    component TEXT NOT NULL,
    code TEXT NOT NULL,
    detail TEXT,
    since INTEGER NOT NULL,
    PRIMARY KEY (device_id, component)
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openDb(file: string): Db {
  const db = new Database(file);
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal' && file !== ':memory:') {
    db.close();
    throw new Error(`the database ${file} cannot use a WAL journal (got "${String(mode)}"): put YIMEN_DATA_DIR on a local disk`);
  }
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length)
    throw new Error(
      `the database is of schema version ${version}, newer than this server (${MIGRATIONS.length}): upgrade the server`,
    );
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

// ------------------------------------------------------------------ rows ↔ records

interface TicketRow {
  id: string;
  status_key: string;
  number: string;
  prefix: string;
  sequence: number;
  service_id: string;
  issued_service_id: string;
  status: TicketRecord['status'];
  priority: TicketRecord['priority'];
  business_day: string;
  issued_at: number;
  called_at: number | null;
  started_at: number | null;
  finished_at: number | null;
  counter_id: string | null;
  target_counter_id: string | null;
  clerk_id: string | null;
  recall_count: number;
  transfer_count: number;
  rank_at: number;
  rank_tie: number;
  person_key: string | null;
}

export function ticketFromRow(r: TicketRow): TicketRecord {
  return {
    id: r.id,
    statusKey: r.status_key,
    number: r.number,
    prefix: r.prefix,
    sequence: r.sequence,
    serviceId: r.service_id,
    issuedServiceId: r.issued_service_id,
    status: r.status,
    priority: r.priority,
    businessDay: r.business_day,
    issuedAt: r.issued_at,
    calledAt: r.called_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    counterId: r.counter_id,
    targetCounterId: r.target_counter_id,
    clerkId: r.clerk_id,
    recallCount: r.recall_count,
    transferCount: r.transfer_count,
    rankAt: r.rank_at,
    rankTie: r.rank_tie,
    personKey: r.person_key,
  };
}

function ticketParams(t: TicketRecord) {
  return {
    id: t.id,
    status_key: t.statusKey,
    number: t.number,
    prefix: t.prefix,
    sequence: t.sequence,
    service_id: t.serviceId,
    issued_service_id: t.issuedServiceId,
    status: t.status,
    priority: t.priority,
    business_day: t.businessDay,
    issued_at: t.issuedAt,
    called_at: t.calledAt,
    started_at: t.startedAt,
    finished_at: t.finishedAt,
    counter_id: t.counterId,
    target_counter_id: t.targetCounterId,
    clerk_id: t.clerkId,
    recall_count: t.recallCount,
    transfer_count: t.transferCount,
    rank_at: t.rankAt,
    rank_tie: t.rankTie,
    person_key: t.personKey,
  };
}

export interface EventMeta {
  at: number;
  businessDay: string;
  actorKind: 'user' | 'device' | 'system';
  actorId: string | null;
  deviceId: string | null;
}

export interface RequestKey {
  callerId: string;
  businessDay: string;
  scope: 'issue' | 'call-next' | 'call-number';
  requestId: string;
  fingerprint: string;
  ticketId: string | null;
}

export interface DeviceFaultRow {
  deviceId: string;
  component: string;
  code: string;
  detail: string | null;
  since: number;
}

/** The hall's prepared statements. */
export class HallStore {
  private readonly upsertTicket;
  private readonly upsertCounter;
  private readonly insertEvent;
  private readonly insertRequestKey;
  private readonly insertEvaluation;
  private readonly selectTicket;
  private readonly selectTicketByKey;
  private readonly selectRequestKey;
  private readonly selectEvaluationOf;
  readonly commit: (changes: Changes, events: DomainEvent[], meta: EventMeta, requestKey: RequestKey | null) => void;

  constructor(readonly db: Db) {
    this.upsertTicket = db.prepare(`
      INSERT INTO tickets (id, status_key, number, prefix, sequence, service_id, issued_service_id, status, priority,
        business_day, issued_at, called_at, started_at, finished_at, counter_id, target_counter_id, clerk_id,
        recall_count, transfer_count, rank_at, rank_tie, person_key)
      VALUES (@id, @status_key, @number, @prefix, @sequence, @service_id, @issued_service_id, @status, @priority,
        @business_day, @issued_at, @called_at, @started_at, @finished_at, @counter_id, @target_counter_id, @clerk_id,
        @recall_count, @transfer_count, @rank_at, @rank_tie, @person_key)
      ON CONFLICT (id) DO UPDATE SET service_id = excluded.service_id, status = excluded.status,
        called_at = excluded.called_at, started_at = excluded.started_at, finished_at = excluded.finished_at,
        counter_id = excluded.counter_id, target_counter_id = excluded.target_counter_id, clerk_id = excluded.clerk_id,
        recall_count = excluded.recall_count, transfer_count = excluded.transfer_count,
        rank_at = excluded.rank_at, rank_tie = excluded.rank_tie`);
    this.upsertCounter = db.prepare(`
      INSERT INTO counters (id, state, clerk_id, current_ticket_id, state_since)
      VALUES (@id, @state, @clerkId, @currentTicketId, @stateSince)
      ON CONFLICT (id) DO UPDATE SET state = excluded.state, clerk_id = excluded.clerk_id,
        current_ticket_id = excluded.current_ticket_id, state_since = excluded.state_since`);
    this.insertEvent = db.prepare(`
      INSERT INTO events (at, business_day, type, ticket_id, counter_id, actor_kind, actor_id, device_id, before, after)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertRequestKey = db.prepare(`
      INSERT INTO request_keys (caller_id, business_day, scope, request_id, fingerprint, ticket_id)
      VALUES (@callerId, @businessDay, @scope, @requestId, @fingerprint, @ticketId)`);
    this.insertEvaluation = db.prepare(`
      INSERT INTO evaluations (id, ticket_id, counter_id, clerk_id, level, reasons, comment, created_at, submitted_by)
      VALUES (@id, @ticketId, @counterId, @clerkId, @level, @reasons, @comment, @createdAt, @submittedBy)`);
    this.selectTicket = db.prepare('SELECT * FROM tickets WHERE id = ?');
    this.selectTicketByKey = db.prepare('SELECT * FROM tickets WHERE status_key = ?');
    this.selectRequestKey = db.prepare(
      'SELECT fingerprint, ticket_id AS ticketId FROM request_keys WHERE caller_id = ? AND business_day = ? AND scope = ? AND request_id = ?',
    );
    this.selectEvaluationOf = db.prepare('SELECT id FROM evaluations WHERE ticket_id = ?');

    this.commit = db.transaction((changes: Changes, events: DomainEvent[], meta: EventMeta, requestKey: RequestKey | null) => {
      for (const t of changes.tickets) this.upsertTicket.run(ticketParams(t));
      for (const c of changes.counters) this.upsertCounter.run(c);
      if (changes.evaluation) {
        const e = changes.evaluation;
        this.insertEvaluation.run({ ...e, reasons: JSON.stringify(e.reasons) });
      }
      for (const e of events)
        this.insertEvent.run(
          meta.at,
          meta.businessDay,
          e.type,
          e.ticketId,
          e.counterId,
          meta.actorKind,
          meta.actorId,
          meta.deviceId,
          e.before === null ? null : JSON.stringify(e.before),
          JSON.stringify(e.after),
        );
      if (requestKey) this.insertRequestKey.run(requestKey);
    });
  }

  ticket(id: string): TicketRecord | undefined {
    const r = this.selectTicket.get(id) as TicketRow | undefined;
    return r && ticketFromRow(r);
  }

  ticketByStatusKey(key: string): TicketRecord | undefined {
    const r = this.selectTicketByKey.get(key) as TicketRow | undefined;
    return r && ticketFromRow(r);
  }

  requestKey(callerId: string, businessDay: string, scope: RequestKey['scope'], requestId: string) {
    return this.selectRequestKey.get(callerId, businessDay, scope, requestId) as
      | { fingerprint: string; ticketId: string | null }
      | undefined;
  }

  isEvaluated(ticketId: string): boolean {
    return this.selectEvaluationOf.get(ticketId) !== undefined;
  }

  /** Today's tickets and every ticket a counter still holds. */
  loadTickets(businessDay: string): TicketRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM tickets WHERE business_day = ?
         UNION SELECT t.* FROM tickets t JOIN counters c ON c.current_ticket_id = t.id`,
      )
      .all(businessDay) as TicketRow[];
    return rows.map(ticketFromRow);
  }

  loadCounters(): CounterRecord[] {
    return (
      this.db
        .prepare(
          'SELECT id, state, clerk_id AS clerkId, current_ticket_id AS currentTicketId, state_since AS stateSince FROM counters',
        )
        .all() as CounterRecord[]
    ).map((c) => ({ ...c }));
  }

  /** Finished tickets and no-shows per counter on a business day, counted from the events (as the facts were). */
  countsOfDay(businessDay: string): { counterId: string; served: number; noShows: number }[] {
    return this.db
      .prepare(
        `SELECT counter_id AS counterId,
                sum(type = 'ticket:finished') AS served,
                sum(type = 'ticket:no-show') AS noShows
         FROM events WHERE business_day = ? AND type IN ('ticket:finished', 'ticket:no-show') AND counter_id IS NOT NULL
         GROUP BY counter_id ORDER BY counter_id`,
      )
      .all(businessDay) as { counterId: string; served: number; noShows: number }[];
  }

  /** Every device's current faults. */
  deviceFaults(): DeviceFaultRow[] {
    return this.db
      .prepare('SELECT device_id AS deviceId, component, code, detail, since FROM device_faults ORDER BY since')
      .all() as DeviceFaultRow[];
  }

  /** Sets (or with code null clears) a component's fault, and appends the report to the events. */
  reportDevice(
    meta: EventMeta,
    row: Omit<DeviceFaultRow, 'code'> & { code: string | null },
    before: DeviceFaultRow | null,
  ): void {
    if (row.code === null)
      this.db.prepare('DELETE FROM device_faults WHERE device_id = ? AND component = ?').run(row.deviceId, row.component);
    else
      this.db
        .prepare(
          `INSERT INTO device_faults (device_id, component, code, detail, since) VALUES (@deviceId, @component, @code, @detail, @since)
           ON CONFLICT (device_id, component) DO UPDATE SET code = excluded.code, detail = excluded.detail, since = excluded.since`,
        )
        .run(row);
    this.insertEvent.run(
      meta.at,
      meta.businessDay,
      'device:reported',
      null,
      null,
      meta.actorKind,
      meta.actorId,
      meta.deviceId,
      before === null ? null : JSON.stringify(before),
      JSON.stringify(row),
    );
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }
}
