/**
 * Test fixtures: a small hall, a clock tests move by hand, and a real server on port 0 with a real
 * SQLite file in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientToServerEvents, HallConfig, HallConfigInput, ServerToClientEvents } from '@yimen/shared';
import { io, type Socket } from 'socket.io-client';
import { validateHallConfig } from '../src/app/hall-config.js';
import { type App, createApp } from '../src/app.js';

/** A small hall: two comprehensive counters, one service-order counter, a dedicated one, an auxiliary one. */
export function tinyHallInput(): HallConfigInput {
  return {
    hall: { name: '测试县政务服务中心' },
    settings: { notice: '测试公告' },
    services: [
      { id: 'gen-a', prefix: 'A', name: '综合业务甲', department: '民政局', category: '综合服务', defaultServiceMinutes: 8 },
      { id: 'gen-b', prefix: 'A', name: '综合业务乙', department: '人社局', category: '综合服务', defaultServiceMinutes: 10 },
      {
        id: 're',
        prefix: 'C',
        name: '不动产登记',
        department: '不动产登记管理局',
        category: '不动产登记',
        defaultServiceMinutes: 25,
        dailyCap: 3,
        perPersonDailyLimit: 1,
      },
      {
        id: 'fund',
        prefix: 'G',
        name: '公积金提取',
        department: '公积金中心',
        category: '公积金',
        hours: [
          { from: '08:30', to: '11:30' },
          { from: '13:30', to: '16:30' },
        ],
      },
      { id: 'closed', prefix: 'Z', name: '暂停的业务', department: '某局', category: '综合服务', suspended: true },
      { id: 'consult', prefix: 'J', name: '咨询', department: '政务服务中心', category: '咨询服务', defaultServiceMinutes: 3 },
    ],
    counters: [
      { id: 'w1', number: 1, name: '1号综合窗口', kind: 'comprehensive', serviceIds: ['gen-a', 'gen-b'] },
      { id: 'w2', number: 2, name: '2号综合窗口', kind: 'comprehensive', serviceIds: ['gen-a', 'gen-b'] },
      {
        id: 'w3',
        number: 3,
        name: '3号综合窗口',
        kind: 'comprehensive',
        serviceIds: ['gen-b', 'gen-a', 'consult'],
        policy: 'service-order',
      },
      { id: 'w4', number: 4, name: '4号不动产窗口', kind: 'dedicated', serviceIds: ['re', 'fund', 'closed'] },
      { id: 'w5', number: 5, name: '5号咨询窗口', kind: 'auxiliary', serviceIds: ['consult'] },
    ],
    users: [
      { username: 'clerk1', name: '张晓明', role: 'clerk', staffNo: 'T001', counterIds: ['w1'], password: 'clerk-pass-1' },
      { username: 'clerk2', name: '李红', role: 'clerk', staffNo: 'T002', counterIds: ['w2', 'w1'], password: 'clerk-pass-2' },
      { username: 'clerk3', name: '王芳', role: 'clerk', staffNo: 'T003', counterIds: ['w3'], password: 'clerk-pass-3' },
      { username: 'clerk4', name: '赵强', role: 'clerk', staffNo: 'T004', counterIds: ['w4'], password: 'clerk-pass-4' },
      { username: 'clerk5', name: '陈静', role: 'clerk', staffNo: 'T005', counterIds: ['w5'], password: 'clerk-pass-5' },
      { username: 'manager', name: '值班主任', role: 'manager', password: 'manager-pass' },
    ],
  };
}

export function tinyHall(): HallConfig {
  return validateHallConfig(tinyHallInput());
}

/** Monday 2026-11-30 09:00 in Shanghai: a working day, inside the default hours. */
export const MONDAY_9AM = Date.parse('2026-11-30T09:00:00+08:00');

export interface ManualClock {
  (): number;
  set(ms: number | string): void;
  advance(ms: number): void;
}

export function manualClock(start: number | string = MONDAY_9AM): ManualClock {
  let now = typeof start === 'string' ? Date.parse(start) : start;
  const clock = (() => now) as ManualClock;
  clock.set = (ms) => {
    now = typeof ms === 'string' ? Date.parse(ms) : ms;
  };
  clock.advance = (ms) => {
    now += ms;
  };
  return clock;
}

export function tempDir(prefix = 'yimen-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const ADMIN_PASSWORD = 'admin-test-password';

export interface TestServer {
  app: App;
  url: string;
  dbFile: string;
  clock: ManualClock;
  api: (method: string, path: string, token?: string | null, body?: unknown) => Promise<ApiResponse>;
  login: (username: string, password?: string) => Promise<string>;
  admin: () => Promise<string>;
  device: (kind: string, counterId?: string) => Promise<{ id: string; token: string }>;
  socket: (token: string) => Promise<YSocket>;
  close: () => Promise<void>;
}

export interface ApiResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected loosely
  json: any;
  text: string;
  headers: Headers;
}

export type YSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const PASSWORDS: Record<string, string> = Object.fromEntries(
  (tinyHallInput().users ?? []).map((u) => [u.username, u.password as string]),
);

/** Starts a real server on port 0 with a real SQLite file. Reuse `dbFile` to restart on the same file. */
export async function startServer(
  opts: { clock?: ManualClock; config?: HallConfig; dbFile?: string; enforceHours?: boolean; sessionSweepMs?: number } = {},
): Promise<TestServer> {
  const tmp = opts.dbFile ? null : tempDir();
  const dbFile = opts.dbFile ?? join((tmp as { dir: string }).dir, 'yimen.db');
  const clock = opts.clock ?? manualClock();
  const app = await createApp({
    dbFile,
    hallConfig: opts.config ?? tinyHall(),
    clock,
    adminPassword: ADMIN_PASSWORD,
    enforceHours: opts.enforceHours ?? true,
    sessionSweepMs: opts.sessionSweepMs,
    logger: false,
  });
  const url = await app.listen(0, '127.0.0.1');
  const sockets: YSocket[] = [];
  const api: TestServer['api'] = async (method, path, token, body) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(
      `${url}${path.startsWith('/api') || path.startsWith('/t/') || path === '/' ? path : `/api/v1${path}`}`,
      {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      },
    );
    const text = await r.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: r.status, json, text, headers: r.headers };
  };
  const login = async (username: string, password?: string) => {
    const r = await api('POST', '/auth/login', null, { username, password: password ?? PASSWORDS[username] ?? ADMIN_PASSWORD });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`);
    return r.json.token as string;
  };
  let adminToken: string | null = null;
  const admin = async () => {
    adminToken ??= await login('admin', ADMIN_PASSWORD);
    return adminToken;
  };
  const device = async (kind: string, counterId?: string) => {
    const r = await api('POST', '/devices', await admin(), {
      kind,
      name: `${kind}-${counterId ?? 'hall'}`,
      ...(counterId ? { counterId } : {}),
    });
    if (r.status !== 201) throw new Error(`device ${kind}: ${r.status} ${r.text}`);
    return { id: r.json.device.id as string, token: r.json.token as string };
  };
  const socket = (token: string) =>
    new Promise<YSocket>((resolve, reject) => {
      const s: YSocket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      sockets.push(s);
      s.once('connect', () => resolve(s));
      s.once('connect_error', (e) => reject(e));
    });
  return {
    app,
    url,
    dbFile,
    clock,
    api,
    login,
    admin,
    device,
    socket,
    close: async () => {
      for (const s of sockets) s.disconnect();
      await app.close();
      tmp?.cleanup();
    },
  };
}
