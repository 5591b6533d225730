/**
 * The server as `npm start` runs it: a child process configured by environment variables (API.md,
 * "Running the server"). Bad configurations stop it with a message; SIGTERM stops it cleanly.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, tinyHallInput } from '../fixtures.js';
import { ADMIN_PW, apiAt, deviceAt, killAllChildren, loginAt, ok, spawnServer, waitFor, writeConfig } from './helpers.js';

let tmp: ReturnType<typeof tempDir>;
let config: string;
let n = 0;
const freshDir = () => join(tmp.dir, `data-${++n}`);
beforeAll(() => {
  tmp = tempDir('yimen-start-');
  config = writeConfig(tmp.dir, tinyHallInput());
});
afterEach(async () => killAllChildren());
afterAll(() => tmp?.cleanup());

async function failsToStart(env: Record<string, string | undefined>, dataDir = freshDir()) {
  const child = await spawnServer({ dataDir, configFile: config, env, waitListening: false });
  const code = await child.exited;
  expect(code, child.stderr()).not.toBe(0);
  expect(child.stdout()).not.toContain('listening on');
  return child.stderr();
}

describe('start-up', { timeout: 60_000 }, () => {
  it('an invalid YIMEN_HALL_CONFIG stops the start with a message naming the bad entry', async () => {
    const input = tinyHallInput();
    (input.counters[1] as { serviceIds: string[] }).serviceIds = ['gen-a', 'no-such-service'];
    const bad = writeConfig(tmp.dir, input, 'bad-counter.json');
    const err = await failsToStart({ YIMEN_HALL_CONFIG: bad });
    expect(err).toContain('counters[1] (id "w2"): serviceIds[1]: unknown service "no-such-service"');
    expect(err).toContain(bad);

    const wrongShape = tinyHallInput();
    (wrongShape.services[2] as { prefix: string }).prefix = 'c';
    const err2 = await failsToStart({ YIMEN_HALL_CONFIG: writeConfig(tmp.dir, wrongShape, 'bad-prefix.json') });
    expect(err2).toContain('services[2] (id "re")');
    expect(err2).toContain('prefix');

    expect(await failsToStart({ YIMEN_HALL_CONFIG: join(tmp.dir, 'missing.yaml') })).toContain('missing.yaml');
    expect(await failsToStart({ PORT: 'eighty' })).toContain('PORT');
  });

  it('P4 a database of a newer schema than the server refuses to start', async () => {
    const dataDir = freshDir();
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, 'yimen.db'));
    db.pragma('user_version = 999');
    db.close();
    expect(await failsToStart({}, dataDir)).toMatch(/999/);
  });

  it('PORT=0 picks a free port; SIGTERM stops the server cleanly (exit 0), open connections included', async () => {
    const dataDir = freshDir();
    const child = await spawnServer({ dataDir, configFile: config, fakeTime: '2026-11-30T09:00:00+08:00' });
    expect(child.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(child.url).not.toMatch(/:0$/);
    const api = apiAt(child.url);
    expect(ok(await api('GET', '/health'), 200)).toMatchObject({ status: 'ok' });
    const admin = await loginAt(api, 'admin', ADMIN_PW);
    const kiosk = await deviceAt(api, admin, 'kiosk');
    ok(await api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'x' }), 201);
    const socket = io(child.url, { auth: { token: admin }, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      await waitFor(() => socket.connected, 'the socket');
      expect(existsSync(join(dataDir, 'yimen.db-wal'))).toBe(true);
      expect(await child.kill('SIGTERM')).toBe(0);
      await waitFor(() => !socket.connected, 'the socket to close');
    } finally {
      socket.close();
    }
    expect(child.stderr()).not.toMatch(/error/i);
    // The last connection closed cleanly: SQLite checkpointed the log into the file.
    expect(existsSync(join(dataDir, 'yimen.db-wal'))).toBe(false);
  });

  it('two servers with two data folders run side by side', async () => {
    const [one, two] = await Promise.all(
      [freshDir(), freshDir()].map((dataDir) =>
        spawnServer({ dataDir, configFile: config, fakeTime: '2026-11-30T09:00:00+08:00' }),
      ),
    );
    if (!one || !two) throw new Error('two servers');
    expect(one.url).not.toBe(two.url);
    const tickets = [];
    for (const child of [one, two]) {
      const api = apiAt(child.url);
      const admin = await loginAt(api, 'admin', ADMIN_PW);
      const kiosk = await deviceAt(api, admin, 'kiosk');
      tickets.push(ok(await api('POST', '/tickets', kiosk.token, { serviceId: 'gen-a', requestId: 'same' }), 201).ticket);
    }
    // Each has its own file: both issued A001; neither knows the other's ticket or tokens.
    expect(tickets.map((t) => t.number)).toEqual(['A001', 'A001']);
    const api1 = apiAt(one.url);
    const admin1 = await loginAt(api1, 'admin', ADMIN_PW);
    expect((await api1('GET', `/tickets/${tickets[1].id}`, admin1)).status).toBe(404);
    expect((await apiAt(two.url)('GET', '/hall', admin1)).status).toBe(401);
    expect(await Promise.all([one.kill('SIGTERM'), two.kill('SIGTERM')])).toEqual([0, 0]);
  });

  it('first start without YIMEN_ADMIN_PASSWORD prints a generated admin password once', async () => {
    const dataDir = freshDir();
    const first = await spawnServer({ dataDir, configFile: config, env: { YIMEN_ADMIN_PASSWORD: undefined } });
    const m = /password (\S+)\s+\(generated/.exec(first.stdout());
    expect(m).not.toBeNull();
    const password = m?.[1] as string;
    expect(ok(await apiAt(first.url)('POST', '/auth/login', null, { username: 'admin', password }), 200).user.role).toBe('admin');
    expect(await first.kill('SIGTERM')).toBe(0);
    const second = await spawnServer({ dataDir, configFile: config, env: { YIMEN_ADMIN_PASSWORD: undefined } });
    expect(second.stdout()).not.toContain(password);
    expect(second.stdout()).not.toContain('generated');
    expect((await apiAt(second.url)('POST', '/auth/login', null, { username: 'admin', password })).status).toBe(200);
    expect(await second.kill('SIGTERM')).toBe(0);
  });
});
