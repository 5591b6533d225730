/**
 * A real queue server for the browser tests: `node apps/queue-server/dist/main.js` as a child process on a
 * free port, with a fresh data folder, a small hall and a clock that starts on a working Monday morning
 * (YIMEN_FAKE_TIME), so issuing hours never decide a test. It can be killed and restarted on the same data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(REPO, 'apps/queue-server/dist/main.js');
export const ADMIN_PASSWORD = 'e2e-admin-password';
export const PASSWORD = 'e2e-password-1';

/** The small hall of the browser tests: 3 services, 3 counters, a clerk each, a manager. */
export const HALL = {
  hall: { name: '测试县政务服务中心' },
  settings: { notice: '请保管好您的随身物品，过号请到咨询台重新排队。' },
  services: [
    { id: 'gen-a', prefix: 'A', name: '社会救助申请', department: '民政局', category: '综合服务', defaultServiceMinutes: 8 },
    { id: 'gen-b', prefix: 'A', name: '就业登记', department: '人社局', category: '综合服务', defaultServiceMinutes: 10 },
    {
      id: 're',
      prefix: 'C',
      name: '不动产登记',
      department: '不动产登记管理局',
      category: '不动产登记',
      defaultServiceMinutes: 25,
    },
  ],
  counters: [
    { id: 'w1', number: 1, name: '1号综合窗口', kind: 'comprehensive', serviceIds: ['gen-a', 'gen-b'] },
    { id: 'w2', number: 2, name: '2号综合窗口', kind: 'comprehensive', serviceIds: ['gen-a', 'gen-b'] },
    { id: 'w5', number: 5, name: '5号不动产窗口', kind: 'dedicated', serviceIds: ['re'] },
  ],
  users: [
    { username: 'clerk1', name: '张晓明', role: 'clerk', staffNo: 'GD0101', counterIds: ['w1'], password: PASSWORD },
    { username: 'clerk2', name: '李红', role: 'clerk', staffNo: 'GD0102', counterIds: ['w2'], password: PASSWORD },
    { username: 'clerk5', name: '王芳', role: 'clerk', staffNo: 'GD0105', counterIds: ['w5'], password: PASSWORD },
    { username: 'manager', name: '汪国平', role: 'manager', staffNo: 'GD0001', password: PASSWORD },
  ],
};

export interface E2EServer {
  url: string;
  // biome-ignore lint/suspicious/noExplicitAny: test answers are read loosely
  api: <T = any>(method: string, path: string, token?: string | null, body?: unknown) => Promise<{ status: number; json: T }>;
  login: (username: string, password?: string) => Promise<string>;
  device: (kind: string, counterId?: string) => Promise<string>;
  /** SIGKILL, as a power cut would. */
  kill: () => Promise<void>;
  /** Starts again on the same data and port. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

function launch(dataDir: string, configFile: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: REPO,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        YIMEN_DATA_DIR: dataDir,
        YIMEN_HALL_CONFIG: configFile,
        YIMEN_ADMIN_PASSWORD: ADMIN_PASSWORD,
        YIMEN_FAKE_TIME: '2026-11-30T09:00:00+08:00',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string });
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}):\n${out}`));
    });
  });
}

/** Starts a server on the small hall, or on `opts.hall` (the kiosk tests add guides and categories). */
export async function startServer(opts: { hall?: unknown } = {}): Promise<E2EServer> {
  const dir = mkdtempSync(join(tmpdir(), 'yimen-e2e-'));
  const configFile = join(dir, 'hall.json');
  writeFileSync(configFile, JSON.stringify(opts.hall ?? HALL));
  let { child, url } = await launch(join(dir, 'data'), configFile, 0);
  const port = Number(new URL(url).port);
  let adminToken: string | null = null;
  const api: E2EServer['api'] = async (method, path, token, body) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const r = await fetch(`${url}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  const login = async (username: string, password = username === 'admin' ? ADMIN_PASSWORD : PASSWORD) => {
    const r = await api<{ token: string }>('POST', '/auth/login', null, { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`);
    return r.json.token;
  };
  const stopChild = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    url,
    api,
    login,
    async device(kind, counterId) {
      adminToken ??= await login('admin');
      const r = await api<{ token: string }>('POST', '/devices', adminToken, {
        kind,
        name: `e2e ${kind}`,
        ...(counterId ? { counterId } : {}),
      });
      if (r.status !== 201) throw new Error(`device ${kind}: ${r.status}`);
      return r.json.token;
    },
    kill: () => stopChild('SIGKILL'),
    async restart() {
      ({ child } = await launch(join(dir, 'data'), configFile, port));
    },
    async stop() {
      await stopChild('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
