/**
 * I2: an ID number sent at issue is never returned, never logged and never stored in clear: not in any
 * answer (tickets, queues, hall, counters, evaluations, errors, the status page), not in the log, not in
 * the SQLite file (every text column of every table, events' before/after JSON included, and raw bytes).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { idNumberCheckChar } from '@yimen/shared';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { ADMIN_PASSWORD, manualClock, tempDir, tinyHall } from '../fixtures.js';
import { badCheck, type HallServer, hallServer, idNumber } from './helpers.js';

/** Two people: one number of digits only, one ending in X (sent once in lowercase). */
const PERSON_A = idNumber('19900307', '123');
const PERSON_B = `44030519851231107${idNumberCheckChar('44030519851231107')}`;

/** Every form in which a number would be "in clear": whole, either case, or its first 17 characters. */
function needles(): string[] {
  const list = new Set<string>();
  for (const id of [PERSON_A, PERSON_B]) {
    list.add(id);
    list.add(id.toLowerCase());
    list.add(id.slice(0, 17));
    list.add(id.slice(6, 17)); // birth date and sequence
  }
  return [...list];
}

function expectNoIdNumber(text: string, where: string) {
  for (const n of needles()) expect(text.includes(n), `${where} contains ${n}`).toBe(false);
}

describe('I2 ID numbers are never returned nor stored in clear', () => {
  let s: HallServer;
  const answers: { where: string; text: string }[] = [];
  const call = async (method: string, path: string, token: string | null, body?: unknown) => {
    const r = await s.api(method, path, token, body);
    answers.push({ where: `${method} ${path} → ${r.status}`, text: r.text });
    return r;
  };

  beforeAll(async () => {
    expect(PERSON_B.endsWith('X')).toBe(true);
    s = await hallServer();
    const k = s.t.kiosk;
    await call('POST', '/counters/w1/open', s.t.clerk1);
    await call('POST', '/counters/w4/open', s.t.clerk4);
    // issued with a number; the same key again; the key reused with another number; a bad check digit
    const a = await call('POST', '/tickets', k, { serviceId: 're', requestId: 'pa-1', idNumber: PERSON_A });
    expect(a.status).toBe(201);
    expect((await call('POST', '/tickets', k, { serviceId: 're', requestId: 'pa-1', idNumber: PERSON_A })).status).toBe(200);
    expect((await call('POST', '/tickets', k, { serviceId: 're', requestId: 'pa-1', idNumber: PERSON_B })).status).toBe(409);
    expect((await call('POST', '/tickets', k, { serviceId: 're', requestId: 'pa-2', idNumber: PERSON_A })).status).toBe(422);
    expect((await call('POST', '/tickets', k, { serviceId: 're', requestId: 'pa-3', idNumber: badCheck(PERSON_A) })).status).toBe(
      422,
    );
    const b = await call('POST', '/tickets', s.t.clerk1, {
      serviceId: 'gen-a',
      requestId: 'pb-1',
      idNumber: PERSON_B.toLowerCase(),
      priority: 'elderly',
    });
    expect(b.status).toBe(201);
    const b2 = await call('POST', '/tickets', s.t.manager, { serviceId: 'gen-b', requestId: 'pb-2', idNumber: PERSON_B });
    expect(b2.status).toBe(201);
    // wrong types carrying the number are refused without echoing it
    expect(
      (await call('POST', '/tickets', k, { serviceId: 'gen-a', requestId: 'pb-3', idNumber: Number(PERSON_A) })).status,
    ).toBe(400);
    expect(
      (await call('POST', '/tickets', k, { serviceId: 'gen-a', requestId: 'pb-4', idNumber: `${PERSON_A}${'9'.repeat(20)}` }))
        .status,
    ).toBe(400);
    expect((await call('POST', '/tickets', k, { serviceId: 'gen-a', requestId: 'pb-5', idNumber: [PERSON_A] })).status).toBe(400);
    // the tickets go through their whole life: called, started, transferred, finished, rated, cancelled
    await call('POST', '/counters/w4/call-next', s.t.clerk4, {});
    await call('POST', '/counters/w4/start', s.t.clerk4);
    await call('POST', '/counters/w4/finish', s.t.clerk4);
    await call('POST', '/counters/w1/call-next', s.t.clerk1, {});
    await call('POST', '/counters/w1/transfer', s.t.clerk1, { counterId: 'w2' });
    await call('POST', '/counters/w1/call-next', s.t.clerk1, {});
    await call('POST', '/counters/w1/no-show', s.t.clerk1);
    await call('POST', `/tickets/${b2.json.ticket.id}/reactivate`, s.t.clerk1);
    await call('POST', `/tickets/${b.json.ticket.id}/cancel`, s.t.manager);
    // read everything back
    for (const t of [a, b, b2]) {
      await call('GET', `/tickets/${t.json.ticket.id}`, s.t.hallDisplay);
      await call('GET', t.json.ticket.statusPath, null);
    }
    await call('GET', '/queues', s.t.hallDisplay);
    await call('GET', '/hall', s.t.hallDisplay);
    await call('GET', '/users', s.t.admin);
    await call('GET', '/devices', s.t.admin);
  });
  afterAll(async () => s?.close());

  it('I2 no answer holds the ID number (tickets, errors, queues, hall, status pages)', () => {
    expect(answers.length).toBeGreaterThan(25);
    for (const { where, text } of answers) expectNoIdNumber(text, where);
  });

  it('I2 tickets carry no ID number and no person key', () => {
    const ok = answers.filter((a) => / → 2\d\d$/.test(a.where));
    expect(ok.length).toBeGreaterThan(20);
    for (const { where, text } of ok) expect(text, where).not.toMatch(/idNumber|personKey|person_key/i);
  });

  it('I2 the SQLite file holds no ID number in clear: every text column of every table, raw bytes, after a checkpoint', () => {
    // fold the WAL into the main file so the bytes on disk are the whole database
    const rw = new Database(s.dbFile);
    rw.pragma('wal_checkpoint(TRUNCATE)');
    rw.close();
    const db = new Database(s.dbFile, { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['tickets', 'events', 'request_keys', 'evaluations']));
      let cells = 0;
      for (const { name } of tables) {
        const rows = db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).all() as Record<string, unknown>[];
        for (const row of rows)
          for (const [column, value] of Object.entries(row)) {
            if (typeof value === 'string') {
              cells++;
              expectNoIdNumber(value, `${name}.${column}`);
            } else if (Buffer.isBuffer(value)) expectNoIdNumber(value.toString('latin1'), `${name}.${column}`);
          }
      }
      expect(cells).toBeGreaterThan(100);
      // the limit works from a keyed hash: the tickets issued with a number have one, and it is not the number
      const keyed = db.prepare('SELECT person_key FROM tickets WHERE person_key IS NOT NULL').all() as { person_key: string }[];
      expect(keyed).toHaveLength(3);
      expect(new Set(keyed.map((k) => k.person_key)).size).toBe(2);
      // the events' before/after JSON were scanned above; make sure there are such rows to scan
      const events = db.prepare("SELECT after FROM events WHERE type = 'ticket:issued'").all() as { after: string }[];
      expect(events.length).toBeGreaterThanOrEqual(3);
    } finally {
      db.close();
    }
    const bytes = readFileSync(s.dbFile);
    for (const n of needles()) {
      expect(bytes.includes(Buffer.from(n, 'utf8')), `file holds ${n}`).toBe(false);
      expect(bytes.includes(Buffer.from(n, 'utf16le')), `file holds ${n} (UTF-16)`).toBe(false);
    }
  });
});

describe('I2 ID numbers are never logged', () => {
  let lines = '';
  let close: () => Promise<void> = async () => {};
  let url = '';
  let cleanup = () => {};

  beforeAll(async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines += chunk.toString();
        done();
      },
    });
    const app = await createApp({
      dbFile: join(tmp.dir, 'yimen.db'),
      hallConfig: tinyHall(),
      clock: manualClock(),
      adminPassword: ADMIN_PASSWORD,
      logger: { level: 'trace', stream: sink },
    });
    url = await app.listen(0, '127.0.0.1');
    close = () => app.close();
  });
  afterAll(async () => {
    await close();
    cleanup();
  });

  it('I2 the server log at level trace holds no ID number, even for refused and broken requests', async () => {
    const post = (body: string, token: string | null) =>
      fetch(`${url}/api/v1/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'manager', password: 'manager-pass' }),
    });
    const token = ((await login.json()) as { token: string }).token;
    expect((await post(JSON.stringify({ serviceId: 're', requestId: 'l1', idNumber: PERSON_A }), token)).status).toBe(201);
    expect((await post(JSON.stringify({ serviceId: 're', requestId: 'l2', idNumber: PERSON_A }), token)).status).toBe(422);
    expect((await post(JSON.stringify({ serviceId: 're', requestId: 'l3', idNumber: badCheck(PERSON_B) }), token)).status).toBe(
      422,
    );
    expect((await post(`{"serviceId":"re","requestId":"l4","idNumber":"${PERSON_B}"`, token)).status).toBe(400);
    expect((await post(JSON.stringify({ serviceId: 're', requestId: 'l5', idNumber: PERSON_B }), null)).status).toBe(401);
    expect((await post(JSON.stringify({ serviceId: 're', requestId: 'l6', idNumber: PERSON_B, x: 1 }), token)).status).toBe(400);
    expectNoIdNumber(lines, 'the log');
  });
});
