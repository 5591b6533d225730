/**
 * A power cut, as near as a test gets: the server runs as a child process and is SIGKILLed in the middle
 * of a stream of issues and calls, then restarted on the same data folder (P1–P3, I8, N5).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/adapters/db.js';
import { startServer, tempDir, tinyHallInput } from '../fixtures.js';
import {
  ADMIN_PW,
  type Api,
  apiAt,
  type Child,
  deviceAt,
  killAllChildren,
  loginAt,
  ok,
  parallel,
  prefixOf,
  seeded,
  seqOf,
  spawnServer,
  writeConfig,
} from './helpers.js';

const SEED = 20261130;
const ROUNDS = 4;
const BASE = Date.parse('2026-11-30T09:00:00+08:00');
/** Each start's YIMEN_FAKE_TIME: ten minutes after the one before, so the clock never runs back. */
const fakeTime = (round: number) => new Date(BASE + round * 10 * 60_000).toISOString();

const COUNTERS = { w1: 'clerk1', w2: 'clerk2', w3: 'clerk3', w5: 'clerk5' } as const;
type CounterId = keyof typeof COUNTERS;
const PASSWORDS = Object.fromEntries((tinyHallInput().users ?? []).map((u) => [u.username, u.password as string]));
const ISSUE_SERVICES = ['gen-a', 'gen-b', 'gen-a', 'consult', 'gen-b', 're'];

interface Held {
  ticketId: string | null;
  status: 'called' | 'serving' | null;
}
type Op = 'call-next' | 'start' | 'finish';

let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir('yimen-crash-');
});
afterEach(async () => killAllChildren());
afterAll(() => tmp?.cleanup());

describe('crash and restart', { timeout: 90_000 }, () => {
  it(`P1 P2 P3 I8 N5 SIGKILL at ${ROUNDS} seeded points mid-stream loses no acknowledged ticket, repeats no number`, async () => {
    const killPoints = seeded(SEED); // where each round is cut off: the same every run
    const rng = seeded(SEED + 1); // the commands (their interleaving depends on timing)
    const dataDir = join(tmp.dir, 'data');
    const configFile = writeConfig(tmp.dir, tinyHallInput());
    const dbFile = join(dataDir, 'yimen.db');

    /** Every ticket with a 2xx answer: id → number. */
    const acked = new Map<string, string>();
    /** What each counter holds by the answers received; the command whose answer never came. */
    const held = new Map<CounterId, Held>();
    const inFlight = new Map<CounterId, Op | null>();
    /** The requestIds whose answers never came: retried after the restart (I7). */
    const callKeys = new Map<CounterId, string>();
    const issueKeys: { kiosk: number; serviceId: string; requestId: string }[] = [];
    for (const c of Object.keys(COUNTERS) as CounterId[]) {
      held.set(c, { ticketId: null, status: null });
      inFlight.set(c, null);
    }

    let server: Child = await spawnServer({ dataDir, configFile, fakeTime: fakeTime(0) });
    let api: Api = apiAt(server.url);
    const admin = await loginAt(api, 'admin', ADMIN_PW);
    const kiosks = await Promise.all([0, 1, 2].map(() => deviceAt(api, admin, 'kiosk')));
    const clerks = new Map<CounterId, string>();
    for (const [c, user] of Object.entries(COUNTERS) as [CounterId, string][]) {
      const token = await loginAt(api, user, PASSWORDS[user] as string);
      clerks.set(c, token);
      ok(await api('POST', `/counters/${c}/open`, token), 200, `open ${c}`);
    }
    // P2: WAL mode; the write-ahead log is beside the database while the server runs.
    expect(existsSync(`${dbFile}-wal`)).toBe(true);

    for (let round = 0; round < ROUNDS; round++) {
      const killAfter = 15 + Math.floor(killPoints() * 90);
      let answered = 0;
      let killed = false;
      const maxBefore = new Map<string, number>();
      for (const n of acked.values()) maxBefore.set(prefixOf(n), Math.max(maxBefore.get(prefixOf(n)) ?? 0, seqOf(n)));
      const firstAfterRestart = new Map<string, number>();

      const answer = () => {
        answered++;
        if (!killed && answered >= killAfter) {
          killed = true;
          server.proc.kill('SIGKILL');
        }
      };
      const kioskWorker = async (k: number) => {
        for (let i = 0; !killed; i++) {
          const serviceId = ISSUE_SERVICES[Math.floor(rng() * ISSUE_SERVICES.length)] as string;
          const requestId = `r${round}-k${k}-${i}`;
          let r: Awaited<ReturnType<Api>>;
          try {
            r = await api('POST', '/tickets', kiosks[k]?.token, { serviceId, requestId });
          } catch {
            issueKeys.push({ kiosk: k, serviceId, requestId });
            return; // killed mid-request: no answer; the kiosk retries after the restart
          }
          if (r.status === 201 || r.status === 200) {
            const { id, number } = r.json.ticket;
            expect(acked.has(id)).toBe(false);
            acked.set(id, number);
            if (!firstAfterRestart.has(prefixOf(number))) firstAfterRestart.set(prefixOf(number), seqOf(number));
          } else expect(r.json.error.code).toBe('DAILY_CAP_REACHED'); // 're' has a cap of 3
          answer();
        }
      };
      const clerkWorker = async (c: CounterId) => {
        const token = clerks.get(c) as string;
        for (let i = 0; !killed; i++) {
          const x = rng();
          const op: Op = x < 0.7 ? 'call-next' : x < 0.85 ? 'start' : 'finish';
          inFlight.set(c, op);
          const requestId = `r${round}-${c}-${i}`;
          if (op === 'call-next') callKeys.set(c, requestId);
          let r: Awaited<ReturnType<Api>>;
          try {
            r = await api('POST', `/counters/${c}/${op}`, token, op === 'call-next' ? { requestId } : undefined);
          } catch {
            return; // the answer never came: inFlight keeps the command
          }
          inFlight.set(c, null);
          callKeys.delete(c);
          if (r.status === 204) held.set(c, { ticketId: null, status: null });
          else if (r.status === 200) {
            const t = r.json.ticket;
            expect(t.counterId).toBe(c);
            if (op === 'finish') held.set(c, { ticketId: null, status: null });
            else held.set(c, { ticketId: t.id, status: t.status });
          } else expect(['NO_CURRENT_TICKET', 'TICKET_ALREADY_SERVING']).toContain(r.json.error.code);
          answer();
        }
      };
      await Promise.all([
        ...kiosks.map((_, k) => kioskWorker(k)),
        ...(Object.keys(COUNTERS) as CounterId[]).map((c) => clerkWorker(c)),
      ]);
      expect(await server.exited).toBe('SIGKILL');

      // N5: the numbers issued after the previous restart continued the sequences.
      for (const [prefix, first] of firstAfterRestart) expect(first, prefix).toBeGreaterThan(maxBefore.get(prefix) ?? 0);

      // ---- restart on the same folder
      server = await spawnServer({ dataDir, configFile, fakeTime: fakeTime(round + 1) });
      api = apiAt(server.url);
      const token = clerks.get('w1') as string; // sessions survive the restart

      // P3: every acknowledged ticket is there, with its number.
      const ids = [...acked.keys()];
      const found = await parallel(8, ids.length, async (i) => {
        const t = ok(await api('GET', `/tickets/${ids[i]}`, token), 200, `ticket ${ids[i]}`).ticket;
        return [t.id, t.number];
      });
      expect(new Map(found as [string, string][])).toEqual(acked);
      expect(new Set(acked.values()).size).toBe(acked.size); // V1, N5: no number twice

      // P3: each counter holds what it held (or what the command cut off mid-way did, if it committed).
      const hall = ok(await api('GET', '/hall', token), 200);
      for (const c of Object.keys(COUNTERS) as CounterId[]) {
        const counter = hall.counters.find((x: { id: string }) => x.id === c);
        expect(counter.state, c).toBe('open');
        const was = held.get(c) as Held;
        const op = inFlight.get(c);
        const now: string | null = counter.currentTicketId;
        if (op === null || op === 'start') expect(now, `${c} after ${op}`).toBe(was.ticketId);
        else if (op === 'finish') expect([was.ticketId, null], `${c} after finish`).toContain(now);
        else if (now !== was.ticketId && was.ticketId !== null) {
          // the cut-off call-next committed: it finished the ticket held before
          const before = ok(await api('GET', `/tickets/${was.ticketId}`, token), 200).ticket;
          expect(before.status).toBe('done');
        }
        if (now !== null) {
          const t = ok(await api('GET', `/tickets/${now}`, token), 200).ticket;
          expect(t.counterId).toBe(c);
          expect(['called', 'serving']).toContain(t.status);
          if (op === null && now === was.ticketId) expect(t.status).toBe(was.status);
          held.set(c, { ticketId: now, status: t.status });
        } else held.set(c, { ticketId: null, status: null });

        // I7 across the crash: the clerk retries the call-next whose answer never came, with its key.
        const key = callKeys.get(c);
        if (op === 'call-next' && key !== undefined) {
          const r = ok(await api('POST', `/counters/${c}/call-next`, clerks.get(c), { requestId: key }), [200, 204], c);
          const answer: string | null = r?.ticket?.id ?? null;
          // It had committed (the counter moved on): the retry answers what it did, and calls no one else.
          if (now !== was.ticketId) expect(answer, `${c} retry of ${key}`).toBe(now);
          const after = ok(await api('GET', '/hall', token), 200).counters.find((x: { id: string }) => x.id === c);
          expect(after.currentTicketId, `${c} after the retry`).toBe(answer);
          held.set(c, { ticketId: answer, status: answer === null ? null : 'called' });
          if (answer !== null && answer !== now) expect(r.ticket.status).toBe('called');
        }
        inFlight.set(c, null);
        callKeys.delete(c);
      }

      // I7 across the crash: each kiosk retries the issue whose answer never came: one ticket per key.
      for (const { kiosk, serviceId, requestId } of issueKeys.splice(0)) {
        const r = await api('POST', '/tickets', kiosks[kiosk]?.token, { serviceId, requestId });
        if (r.status === 422) {
          expect(r.json.error.code).toBe('DAILY_CAP_REACHED');
          continue;
        }
        const t = ok(r, [200, 201], `retry ${requestId}`).ticket;
        expect(acked.has(t.id)).toBe(false);
        acked.set(t.id, t.number);
        const again = ok(await api('POST', '/tickets', kiosks[kiosk]?.token, { serviceId, requestId }), 200).ticket;
        expect(again.id).toBe(t.id);
      }
      expect(new Set(acked.values()).size).toBe(acked.size);
    }

    // ---- a clean stop; then the file itself
    expect(await server.kill('SIGTERM')).toBe(0);
    const db = new Database(dbFile);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const rows = db.prepare('SELECT id, number, prefix, sequence, business_day AS day FROM tickets').all() as {
        id: string;
        number: string;
        prefix: string;
        sequence: number;
        day: string;
      }[];
      expect(rows.length).toBeGreaterThanOrEqual(acked.size);
      const stored = new Map(rows.map((r) => [r.id, r.number]));
      for (const [id, number] of acked) expect(stored.get(id), id).toBe(number);
      // N2, N5: per prefix and day, the stored sequences are 1…n without a gap or a repeat.
      const groups = new Map<string, number[]>();
      for (const r of rows) {
        expect(r.number).toBe(`${r.prefix}${String(r.sequence).padStart(3, '0')}`);
        const key = `${r.day}|${r.prefix}`;
        groups.set(key, [...(groups.get(key) ?? []), r.sequence]);
      }
      for (const [key, seqs] of groups)
        expect(
          seqs.sort((a, b) => a - b),
          key,
        ).toEqual(Array.from({ length: seqs.length }, (_, k) => k + 1));
      // P1: each ticket row came with its event in the same transaction.
      const issuedEvents = db
        .prepare("SELECT ticket_id AS id, count(*) AS n FROM events WHERE type = 'ticket:issued' GROUP BY ticket_id")
        .all() as {
        id: string;
        n: number;
      }[];
      expect(new Map(issuedEvents.map((e) => [e.id, e.n]))).toEqual(new Map(rows.map((r) => [r.id, 1])));
      // V3: a held ticket is called or serving, at exactly that counter.
      const heldRows = db
        .prepare(
          'SELECT c.id AS counter, t.counter_id AS ticketCounter, t.status FROM counters c JOIN tickets t ON t.id = c.current_ticket_id',
        )
        .all() as { counter: string; ticketCounter: string; status: string }[];
      for (const h of heldRows) {
        expect(h.ticketCounter).toBe(h.counter);
        expect(['called', 'serving']).toContain(h.status);
      }
      const busy = db.prepare("SELECT count(*) AS n FROM tickets WHERE status IN ('called', 'serving')").get() as { n: number };
      expect(busy.n).toBe(heldRows.length);
    } finally {
      db.close();
    }
  });

  it('P1 P2 the server’s connection is WAL with synchronous=FULL; events are append-only', async () => {
    const server = await startServer();
    try {
      const kiosk = await server.device('kiosk');
      ok(await server.api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'x1' }), 201);
      // The running server's own connection (HallService keeps its store privately).
      const conn = (server.app.service as unknown as { store: { db: Database.Database } }).store.db;
      expect(conn.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(conn.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(existsSync(`${server.dbFile}-wal`)).toBe(true);

      // Another connection to the same file: the triggers refuse to change or delete an event.
      const other = new Database(server.dbFile);
      try {
        const n = (other.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
        expect(n).toBeGreaterThan(0);
        expect(() => other.prepare("UPDATE events SET type = 'forged'").run()).toThrow(/append-only/);
        expect(() => other.prepare('DELETE FROM events').run()).toThrow(/append-only/);
        expect((other.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBe(n);
        expect(other.prepare("SELECT count(*) AS n FROM events WHERE type = 'forged'").get()).toEqual({ n: 0 });
      } finally {
        other.close();
      }
    } finally {
      await server.close();
    }

    // openDb, which every server start uses, sets the same on any connection it opens.
    const t = tempDir();
    try {
      const db = openDb(join(t.dir, 'x.db'));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      db.close();
    } finally {
      t.cleanup();
    }
  });
});
