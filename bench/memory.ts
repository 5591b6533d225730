/**
 * Benchmark 3 — resident memory of the server process. `node apps/queue-server/dist/main.js` (the
 * demo hall, real clock, hours not enforced) runs as a child process; VmRSS from /proc/<pid>/status,
 * idle, then with 300 socket.io clients connected after tickets were issued and called. Baselines in the
 * same run: a bare `node -e "setInterval(()=>{},1000)"`, and a bare socket.io server child with the same
 * 300 clients and the same facts broadcast.
 */
import type { FactMessage } from '@yimen/shared';
import type { Socket } from 'socket.io-client';
import { Child, type Memory, settledMemory } from './lib/child.js';
import { createDevices, issueTickets, login } from './lib/hall.js';
import { HttpClient } from './lib/http.js';
import type { BenchOutput } from './lib/report.js';
import type { Scope } from './lib/scope.js';
import { closeAll, connectMany, onFacts } from './lib/sockets.js';
import { mb, ratio, sleep } from './lib/stats.js';

export interface MemoryOptions {
  clients: number;
  devices: number;
  tickets: number;
  calls: number;
}

const BENCH = '3 server memory';
const TARGET_MB = 150;
const ADMIN_PASSWORD = 'bench-admin-password';
const REPO = new URL('../', import.meta.url);
const MAIN = new URL('apps/queue-server/dist/main.js', REPO);
const BARE_IO = new URL('./servers/bare-io.mjs', import.meta.url);
const SETTLE_MS = 1_000;

export interface MemoryData {
  options: MemoryOptions;
  bareNode: Memory;
  bareSocketIo: { idle: Memory; connected: Memory; loaded: Memory };
  /**
   * firstStart: idle after the first start; idle: after a restart; staffIn: after a user was created and 2 logins;
   * connected: then the clients; issued: then the tickets; loaded: then the calls.
   */
  yimen: { firstStart: Memory; idle: Memory; staffIn: Memory; connected: Memory; issued: Memory; loaded: Memory };
  /** (connected − before) ÷ clients. */
  perClientKB: { yimen: number; bareSocketIo: number };
}

async function bareNode(scope: Scope): Promise<Memory> {
  const child = Child.spawn(['-e', 'setInterval(()=>{},1000)']);
  scope.defer('stop the bare node child', () => child.stop());
  await sleep(SETTLE_MS * 1.5);
  const m = await settledMemory(child.pid);
  await child.stop();
  return m;
}

interface Served {
  idle: Memory;
  loaded: Memory;
  facts: FactMessage[];
}

function spawnYimen(scope: Scope, dataDir: string, what: string): Child {
  const child = Child.spawn([MAIN.pathname], {
    cwd: REPO.pathname,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      YIMEN_DATA_DIR: dataDir,
      YIMEN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      YIMEN_ENFORCE_HOURS: '0',
      // As `npm start` runs the server (package.json): a fixed glibc mmap threshold, so the 16 MB blocks of
      // scrypt (password hashing) go back to the system instead of staying in the heap.
      MALLOC_MMAP_THRESHOLD_: '131072',
    },
  });
  scope.defer(`stop the Yimen child (${what})`, () => child.stop());
  return child;
}

async function yimen(
  scope: Scope,
  opts: MemoryOptions,
): Promise<Served & { firstStart: Memory; staffIn: Memory; connected: Memory; issued: Memory }> {
  const dataDir = scope.tempDir('memory');
  // The first start creates the admin and the demo hall's users (one scrypt hash each), then a restart.
  const first = spawnYimen(scope, dataDir, 'first start');
  await first.listening();
  await sleep(SETTLE_MS);
  const firstStart = await settledMemory(first.pid);
  await first.stop();

  const child = spawnYimen(scope, dataDir, 'restart');
  const url = await child.listening();
  await sleep(SETTLE_MS);
  const idle = await settledMemory(child.pid);

  const http = new HttpClient(url);
  scope.defer('close the memory HTTP client', () => http.close());
  const admin = await login(http, 'admin', ADMIN_PASSWORD);
  // A counter of the demo hall and the services it serves without a daily cap.
  const hall = await http.expect<{
    services: { id: string; dailyCap: number | null; suspended: boolean }[];
    counters: { id: string; serviceIds: string[] }[];
  }>(200, 'GET', '/api/v1/hall', admin);
  const open = new Set(hall.body.services.filter((s) => s.dailyCap === null && !s.suspended).map((s) => s.id));
  const counter = hall.body.counters.find((c) => c.serviceIds.some((s) => open.has(s)));
  if (!counter) throw new Error('the demo hall has no counter with an uncapped service');
  const serviceIds = counter.serviceIds.filter((s) => open.has(s));
  await http.expect(201, 'POST', '/api/v1/users', admin, {
    username: 'benchclerk',
    password: 'bench-clerk-password',
    name: '基准测试',
    role: 'clerk',
    counterIds: [counter.id],
  });
  const clerk = await login(http, 'benchclerk', 'bench-clerk-password');
  const displays = await createDevices(http, admin, 'hall-display', opts.devices);
  const [kiosk] = await createDevices(http, admin, 'kiosk', 1);
  await sleep(SETTLE_MS);
  const staffIn = await settledMemory(child.pid);

  const sockets: Socket[] = [];
  scope.defer('close the memory sockets', () => closeAll(sockets));
  await connectMany(url, opts.clients, sockets, { token: (i) => displays[i % displays.length] as string, waitSnapshot: true });
  await sleep(SETTLE_MS);
  const connected = await settledMemory(child.pid);
  await issueTickets(http, kiosk as string, opts.tickets, serviceIds, 'mem');
  await sleep(SETTLE_MS);
  const issued = await settledMemory(child.pid);
  await http.expect(200, 'POST', `/api/v1/counters/${counter.id}/open`, clerk, {});
  const facts: FactMessage[] = [];
  for (let i = 0; i < opts.calls; i++) {
    facts.length = 0;
    const heard = new Promise<void>((resolve) => {
      let n = 0;
      sockets.forEach((s, j) => {
        onFacts(s, (f: FactMessage) => {
          if (j === 0) facts.push(f);
          if (f.type === 'queue:updated' && ++n === sockets.length) resolve();
        });
      });
    });
    await http.expect(200, 'POST', `/api/v1/counters/${counter.id}/call-next`, clerk, {});
    await heard;
    for (const s of sockets) s.off('sync:facts');
  }
  await sleep(SETTLE_MS);
  const loaded = await settledMemory(child.pid);
  closeAll(sockets);
  await child.stop();
  return { firstStart, idle, staffIn, connected, issued, loaded, facts: [...facts] };
}

async function bareSocketIo(
  scope: Scope,
  opts: MemoryOptions,
  facts: FactMessage[],
): Promise<{ idle: Memory; connected: Memory; loaded: Memory }> {
  const child = Child.spawn([BARE_IO.pathname, '0', '127.0.0.1'], { cwd: REPO.pathname, ipc: true });
  scope.defer('stop the bare socket.io child', () => child.stop());
  const url = await child.listening();
  await sleep(SETTLE_MS);
  const idle = await settledMemory(child.pid);
  const sockets: Socket[] = [];
  scope.defer('close the bare memory sockets', () => closeAll(sockets));
  await connectMany(url, opts.clients, sockets);
  await sleep(SETTLE_MS);
  const connected = await settledMemory(child.pid);
  for (let i = 0; i < opts.calls; i++) {
    const heard = new Promise<void>((resolve) => {
      let n = 0;
      for (const s of sockets)
        onFacts(s, (f: FactMessage) => {
          if (f.type === 'queue:updated' && ++n === sockets.length) resolve();
        });
    });
    await child.call({ type: 'broadcast', facts });
    await heard;
    for (const s of sockets) s.off('sync:facts');
  }
  await sleep(SETTLE_MS);
  const loaded = await settledMemory(child.pid);
  closeAll(sockets);
  await child.stop();
  return { idle, connected, loaded };
}

export async function benchMemory(scope: Scope, opts: MemoryOptions): Promise<BenchOutput<MemoryData>> {
  const node = await bareNode(scope);
  const y = await yimen(scope, opts);
  const io = await bareSocketIo(scope, opts, y.facts);
  const perClient = (before: Memory, after: Memory) => Math.round((after.rss - before.rss) / 1024 / opts.clients);
  const data: MemoryData = {
    options: opts,
    bareNode: node,
    bareSocketIo: io,
    yimen: {
      firstStart: y.firstStart,
      idle: y.idle,
      staffIn: y.staffIn,
      connected: y.connected,
      issued: y.issued,
      loaded: y.loaded,
    },
    perClientKB: { yimen: perClient(y.staffIn, y.connected), bareSocketIo: perClient(io.idle, io.connected) },
  };
  const loadedMB = y.loaded.rss / 1024 / 1024;
  const rows = [
    {
      bench: BENCH,
      metric: 'RSS idle, first start vs bare node',
      value: mb(y.firstStart.rss),
      baseline: mb(node.rss),
      vs: ratio(y.firstStart.rss / node.rss),
      target: '',
    },
    {
      bench: BENCH,
      metric: 'RSS idle vs bare node',
      value: mb(y.idle.rss),
      baseline: mb(node.rss),
      vs: ratio(y.idle.rss / node.rss),
      target: '',
    },
    {
      bench: BENCH,
      metric: 'RSS idle vs bare socket.io',
      value: mb(y.idle.rss),
      baseline: mb(io.idle.rss),
      vs: ratio(y.idle.rss / io.idle.rss),
      target: '',
    },
    {
      bench: BENCH,
      metric: 'RSS after 1 user created + 2 logins',
      value: mb(y.staffIn.rss),
      baseline: mb(node.rss),
      vs: ratio(y.staffIn.rss / node.rss),
      target: '',
    },
    {
      bench: BENCH,
      metric: 'RSS per connected client',
      value: `${data.perClientKB.yimen} KB`,
      baseline: `${data.perClientKB.bareSocketIo} KB`,
      vs: data.perClientKB.bareSocketIo > 0 ? ratio(data.perClientKB.yimen / data.perClientKB.bareSocketIo) : '',
      target: '',
    },
    {
      bench: BENCH,
      metric: `RSS growth: ${opts.tickets} tickets + ${opts.calls} calls (broadcasts)`,
      value: `${mb(y.issued.rss - y.connected.rss)} + ${mb(y.loaded.rss - y.issued.rss)}`,
      baseline: `${mb(io.loaded.rss - io.connected.rss)} (broadcasts)`,
      vs: '',
      target: '',
    },
    {
      bench: BENCH,
      metric: `RSS, ${opts.clients} clients connected`,
      value: mb(y.loaded.rss),
      baseline: mb(io.loaded.rss),
      vs: ratio(y.loaded.rss / io.loaded.rss),
      target: `≤ ${TARGET_MB} MB: ${loadedMB <= TARGET_MB ? 'met' : 'NOT met'}`,
    },
    {
      bench: BENCH,
      metric: 'peak RSS (VmHWM)',
      value: mb(y.loaded.hwm),
      baseline: mb(io.loaded.hwm),
      vs: ratio(y.loaded.hwm / io.loaded.hwm),
      target: '',
    },
  ];
  const notes = [
    `Memory: the Yimen child runs the demo hall. Its first start creates the hall's users (a 16 MB scrypt hash each, ` +
      `in libuv threads); the other rows are of a restart on the same data, where creating a clerk and 2 logins ` +
      `(3 scrypt runs) come before the clients. "Connected" = ${opts.clients} clients on ${opts.devices} hall-display devices, ` +
      `after ${opts.tickets} tickets issued and ${opts.calls} call-next (each fact broadcast to every client); the bare ` +
      `socket.io child got the same clients and the same ${opts.calls} broadcasts. RSS is the median of 5 readings over 1 s.`,
  ];
  return { rows, data, notes };
}
