/**
 * Helpers of the system tests: the server as a child process (as `npm start` runs it), HTTP against any
 * URL, socket clients that record everything from the first message on, a seeded random source.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DevicePresence, FactMessage, HallConfigInput, Snapshot } from '@yimen/shared';
import { io } from 'socket.io-client';
import type { ApiResponse, YSocket } from '../fixtures.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const MAIN_TS = join(REPO_ROOT, 'apps/queue-server/src/main.ts');
/** YIMEN_SYSTEM_DIST=1 runs the built server (what `npm start` runs; build it first) instead of the sources. */
export const MAIN_JS = join(REPO_ROOT, 'apps/queue-server/dist/main.js');
const USE_DIST = process.env.YIMEN_SYSTEM_DIST === '1';
export const ADMIN_PW = 'system-admin-pass';

// ---------------------------------------------------------------- HTTP

/** HTTP against a server's base URL; a network failure (the server killed mid-request) rejects. */
export function apiAt(url: string) {
  return async (method: string, path: string, token?: string | null, body?: unknown): Promise<ApiResponse> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${url}${path.startsWith('/api') ? path : `/api/v1${path}`}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await r.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: r.status, json, text, headers: r.headers };
  };
}
export type Api = ReturnType<typeof apiAt>;

/** Expects a status and returns the JSON body, with the response in the failure message. */
// biome-ignore lint/suspicious/noExplicitAny: test responses are inspected loosely
export function ok(r: ApiResponse, status: number | number[], what = ''): any {
  const want = Array.isArray(status) ? status : [status];
  if (!want.includes(r.status)) throw new Error(`${what}: expected ${want.join('|')}, got ${r.status} ${r.text}`);
  return r.json;
}

// ---------------------------------------------------------------- the server as a child process

export interface Child {
  proc: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  kill: (signal?: NodeJS.Signals) => Promise<number | string>;
}

const children = new Set<ChildProcess>();

/** Kills every child still running (SIGKILL): for afterEach/afterAll, also after a failure. */
export async function killAllChildren(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const p of children) {
    if (p.exitCode === null && p.signalCode === null) {
      waits.push(new Promise((r) => p.once('exit', r)));
      p.kill('SIGKILL');
    }
  }
  children.clear();
  await Promise.all(waits);
}

export interface SpawnOptions {
  dataDir: string;
  configFile?: string;
  fakeTime?: string;
  env?: Record<string, string | undefined>;
  /** false: do not wait for "listening on" (for a start that must fail). */
  waitListening?: boolean;
  /** Command-line arguments, e.g. ['--demo']. */
  args?: string[];
}

/**
 * Starts `src/main.ts` under tsx (the entry point `npm start` runs from dist; see MAIN_JS) with PORT=0 and
 * HOST=127.0.0.1, and resolves once it prints "listening on http://…" (the URL is parsed from that line).
 */
export function spawnServer(opts: SpawnOptions): Promise<Child> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('YIMEN_')) env[k] = v;
  Object.assign(env, {
    PORT: '0',
    HOST: '127.0.0.1',
    YIMEN_DATA_DIR: opts.dataDir,
    YIMEN_ADMIN_PASSWORD: ADMIN_PW,
    LOG_LEVEL: 'warn',
    ...(opts.configFile ? { YIMEN_HALL_CONFIG: opts.configFile } : {}),
    ...(opts.fakeTime ? { YIMEN_FAKE_TIME: opts.fakeTime } : {}),
  });
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // --conditions=source: @yimen/shared resolves to its TypeScript sources, as in the tests.
  const args = [...(USE_DIST ? [MAIN_JS] : ['--conditions=source', '--import', 'tsx', MAIN_TS]), ...(opts.args ?? [])];
  const proc = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(proc);
  let out = '';
  let err = '';
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<number | string>((resolve) => {
    proc.once('exit', (code, signal) => {
      children.delete(proc);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const kill = (signal: NodeJS.Signals = 'SIGKILL') => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    return exited;
  };
  const child = (url: string): Child => ({ proc, url, stdout: () => out, stderr: () => err, exited, kill });
  if (opts.waitListening === false) return Promise.resolve(child(''));
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      void kill('SIGKILL');
      reject(new Error(`the server did not start within 20 s\nstdout: ${out}\nstderr: ${err}`));
    }, 20_000);
    const onData = () => {
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      proc.stdout?.off('data', onData);
      resolve(child(m[1] as string));
    };
    proc.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening\nstdout: ${out}\nstderr: ${err}`));
    });
  });
}

export function writeConfig(dir: string, config: HallConfigInput, name = 'hall.json'): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export async function loginAt(api: Api, username: string, password: string): Promise<string> {
  return ok(await api('POST', '/auth/login', null, { username, password }), 200, `login ${username}`).token as string;
}

export async function deviceAt(api: Api, adminToken: string, kind: string, counterId?: string) {
  const j = ok(
    await api('POST', '/devices', adminToken, {
      kind,
      name: `${kind}-${counterId ?? 'hall'}`,
      ...(counterId ? { counterId } : {}),
    }),
    201,
    `device ${kind}`,
  );
  return { id: j.device.id as string, token: j.token as string };
}

// ---------------------------------------------------------------- realtime

export interface Recorder {
  socket: YSocket;
  snapshots: Snapshot[];
  facts: FactMessage[];
  /** Device presence notices (managers and admins only). */
  presence: DevicePresence[];
  /** Every event in arrival order, by name (sync:snapshot, sync:fact, session:revoked, device:presence, disconnect). */
  log: string[];
}

/**
 * A socket client that records its snapshot and facts from the first message on (the listeners are in
 * place before it connects). Resolves on connect; rejects with the connect_error.
 */
export function record(url: string, token: string | undefined): Promise<Recorder> {
  const socket: YSocket = io(url, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  const rec: Recorder = { socket, snapshots: [], facts: [], presence: [], log: [] };
  socket.on('sync:snapshot', (s) => {
    rec.snapshots.push(s);
    rec.log.push('sync:snapshot');
  });
  socket.on('sync:facts', (batch) => {
    for (const f of batch) {
      rec.facts.push(f);
      rec.log.push('sync:fact');
    }
  });
  socket.on('session:revoked', () => rec.log.push('session:revoked'));
  socket.on('device:presence', (d) => {
    rec.presence.push(d);
    rec.log.push('device:presence');
  });
  socket.on('disconnect', (reason) => rec.log.push(`disconnect:${reason}`));
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(rec));
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
    socket.connect();
  });
}

/** Polls until `cond` holds (every 10 ms), failing after `ms` with `what`. */
export async function waitFor(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// ---------------------------------------------------------------- data

/** mulberry32: a small seeded random source, so every run kills at the same points. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A valid 居民身份证 number (GB 11643, ISO 7064 MOD 11-2) from its first 17 digits. */
export function idNumber(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (w[i] as number);
  return first17 + '10X98765432'[sum % 11];
}

/** The sequence part of a number: A012 → 12. */
export function seqOf(number: string): number {
  return Number(number.replace(/^[A-Z]+/, ''));
}
export function prefixOf(number: string): string {
  return number.replace(/\d+$/, '');
}

/** Runs `n` workers over `count` jobs in parallel; each job gets its index. */
export async function parallel<T>(workers: number, count: number, job: (i: number, worker: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      while (next < count) {
        const i = next++;
        out[i] = await job(i, w);
      }
    }),
  );
  return out;
}
