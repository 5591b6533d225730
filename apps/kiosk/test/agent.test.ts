/**
 * The kiosk agent against real parts: a real queue server (port 0, a real SQLite file), the virtual ESC/POS
 * printer over real TCP, and the simulated SAM ID-card reader over a socat pty pair.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdCardReaderSimulator } from '@yimen/hardware/id-card/simulator';
import { VirtualPrinter } from '@yimen/hardware/printer/virtual-printer';
import { SAMPLE_ELDER, SAMPLE_YOUNG } from '@yimen/hardware/testing/cards';
import { startSocat } from '@yimen/hardware/testing/socat';
import type { ClientToServerEvents, DevicePresence, ServerToClientEvents } from '@yimen/shared';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../queue-server/test/fixtures.js';
import { type Agent, AgentConfigError, loadAgentConfig, startAgent } from '../src/agent/index.js';
import {
  AGENT_ERRORS,
  type AgentEvent,
  type AgentToRendererEvents,
  type KioskAck,
  type RendererToAgentEvents,
  type TakeNumberResult,
} from '../src/contract.js';

const ELDER = SAMPLE_ELDER;
const YOUNG = SAMPLE_YOUNG;

interface Rig {
  server: TestServer;
  printer: VirtualPrinter;
  agent: Agent;
  token: string;
  deviceId: string;
  events: AgentEvent[];
  sim?: IdCardReaderSimulator;
  socat?: ChildProcess;
}

let rig: Rig | undefined;
afterEach(async () => {
  if (!rig) return;
  await rig.agent.close();
  await rig.sim?.close();
  rig.socat?.kill('SIGKILL');
  await rig.printer.close();
  await rig.server.close();
  rig = undefined;
});

async function setUp(opts: { reader?: boolean; listen?: boolean } = {}): Promise<Rig> {
  const server = await startServer();
  const printer = new VirtualPrinter({ port: 0 });
  await printer.listen();
  const { id, token } = await server.device('kiosk');
  let sim: IdCardReaderSimulator | undefined;
  let socat: ChildProcess | undefined;
  let readerPath: string | null = null;
  if (opts.reader) {
    const pair = await startSocat();
    socat = pair.proc;
    sim = await IdCardReaderSimulator.open(pair.a);
    readerPath = pair.b;
  }
  const agent = await startAgent(
    {
      serverUrl: server.url,
      deviceToken: token,
      printerUri: printer.uri,
      paper: 80,
      readerPath,
      listen: opts.listen ? { host: '127.0.0.1', port: 0, key: 'agent-test-key-0123456789' } : null,
      publicUrl: 'http://yimen.hall.lan:8080',
    },
    { clock: server.clock, cardPollMs: 50, printerPollMs: 100 },
  );
  const events: AgentEvent[] = [];
  agent.subscribe((e) => events.push(e));
  rig = { server, printer, agent, token, deviceId: id, events, ...(sim ? { sim } : {}), ...(socat ? { socat } : {}) };
  return rig;
}

const ok = <T>(r: { data: T } | { error: { code: string; message: string } }): T => {
  if ('error' in r) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
};

async function faultsSeenByManager(r: Rig): Promise<string[]> {
  const manager = await r.server.login('manager');
  const sock = await r.server.socket(manager);
  const snap = await new Promise<{ devices: DevicePresence[] }>((res) =>
    sock.emit('sync:snapshot', (a) => res('data' in a ? a.data : { devices: [] })),
  );
  sock.close();
  return snap.devices.find((d) => d.deviceId === r.deviceId)?.faults.map((f) => f.code) ?? [];
}

describe('kiosk agent: taking a number', () => {
  it('K1 issues at the server, then prints the ticket: the number, the service, the QR of its status page', async () => {
    const r = await setUp();
    const job = r.printer.nextJob();
    const res = ok(await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-1', useCard: false }));
    expect(res.printed).toBe(true);
    expect(res.printError).toBeNull();
    expect(res.ticket.number).toBe('A001');
    expect(res.statusUrl).toBe(`http://yimen.hall.lan:8080${res.ticket.statusPath}`);
    const printed = await job;
    expect(printed.complete).toBe(true);
    const text = printed.decoded.lines.map((l) => l.text).join('\n');
    expect(text).toContain('A001');
    expect(text).toContain('测试县政务服务中心');
    expect(text).toContain('过号请到咨询台重新排队');
    expect(printed.decoded.qrCodes).toEqual([res.statusUrl]);
    const onServer = await r.server.api('GET', `/tickets/${res.ticket.id}`, r.token);
    expect(onServer.json.ticket).toMatchObject({ number: 'A001', status: 'waiting' });
  });

  it('K2 the same requestId again returns the same ticket and issues no second one', async () => {
    const r = await setUp();
    const a = ok(await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-same', useCard: false }));
    const b = ok(await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-same', useCard: false }));
    expect(b.ticket.id).toBe(a.ticket.id);
    const q = await r.server.api('GET', '/queues', r.token);
    expect(q.json.queues.find((x: { serviceId: string }) => x.serviceId === 'gen-a').waiting).toBe(1);
  });

  it('K3 paper out: nothing is issued, the citizen is told, the manager sees the fault; refilled: it works again', async () => {
    const r = await setUp();
    r.printer.setFaults({ paperEnd: true });
    const res = await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-paper', useCard: false });
    expect(res).toEqual({ error: { code: 'PRINTER_PAPER_OUT', message: AGENT_ERRORS.PRINTER_PAPER_OUT } });
    const q = await r.server.api('GET', '/queues', r.token);
    expect(q.json.queues.every((x: { waiting: number }) => x.waiting === 0)).toBe(true);
    // The status says the same as the refusal: one message.
    expect((await r.agent.status()).printer).toMatchObject({ state: 'paper-out', message: AGENT_ERRORS.PRINTER_PAPER_OUT });
    await expect.poll(() => faultsSeenByManager(r)).toEqual(['PAPER_OUT']);
    expect(r.events.some((e) => e.type === 'status:changed' && e.status.printer.state === 'paper-out')).toBe(true);

    r.printer.setFaults({ paperEnd: false });
    const again = ok(await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-paper', useCard: false }));
    expect(again.printed).toBe(true);
    await expect.poll(() => faultsSeenByManager(r)).toEqual([]);
  });

  it.each([
    [{ coverOpen: true }, 'PRINTER_COVER_OPEN', 'COVER_OPEN'],
    [{ offline: true }, 'PRINTER_OFFLINE', 'PRINTER_OFFLINE'],
    [{ error: true }, 'PRINTER_ERROR', 'PRINTER_ERROR'],
  ])('K3 printer %j: refused with %s, reported as %s', async (faults, code, fault) => {
    const r = await setUp();
    r.printer.setFaults(faults);
    const res = await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-x', useCard: false });
    expect('error' in res && res.error.code).toBe(code);
    await expect.poll(() => faultsSeenByManager(r)).toEqual([fault]);
  });

  it('K4 paper near end still issues and prints, and the manager is warned', async () => {
    const r = await setUp();
    r.printer.setFaults({ paperNearEnd: true });
    const res = ok(await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-near', useCard: false }));
    expect(res.printed).toBe(true);
    await expect.poll(() => faultsSeenByManager(r)).toEqual(['PAPER_NEAR_END']);
  });

  it('K5 the connection drops mid-print: the ticket stays valid, the answer says printed: false, the fault is reported', async () => {
    const r = await setUp();
    r.printer.dropNextJobAfter(40);
    const res = ok(await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-drop', useCard: false }));
    expect(res.printed).toBe(false);
    expect(res.printError?.code).toBe('PRINT_FAILED');
    expect(res.printError?.message).toContain('请拍照记下您的号码');
    const onServer = await r.server.api('GET', `/tickets/${res.ticket.id}`, r.token);
    expect(onServer.json.ticket.status).toBe('waiting');
    await expect.poll(() => faultsSeenByManager(r)).toEqual(['PRINT_FAILED']);
    // The kiosk's own screen is told too: the printer is not "fine" while the last print failed.
    expect((await r.agent.status()).printer.lastPrintFailed).toBe(true);
    expect(r.events.some((e) => e.type === 'status:changed' && e.status.printer.lastPrintFailed === true)).toBe(true);
    // The next ticket prints, and the fault is cleared.
    const next = ok(await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-after', useCard: false }));
    expect(next.printed).toBe(true);
    expect((await r.agent.status()).printer.lastPrintFailed).toBe(false);
    await expect.poll(() => faultsSeenByManager(r)).toEqual([]);
  });

  it('K6 server errors pass through with their code and zh-CN message; bad requests are refused', async () => {
    const r = await setUp();
    const unknown = await r.agent.takeNumber({ serviceId: 'no-such', requestId: 'tap-404', useCard: false });
    expect('error' in unknown && unknown.error.code).toBe('NOT_FOUND');
    const bad = await r.agent.takeNumber({ serviceId: 'gen a', requestId: '', useCard: false });
    expect('error' in bad && bad.error.code).toBe('INVALID_REQUEST');
    const noCard = await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-nc', useCard: true });
    expect('error' in noCard && noCard.error.code).toBe('NO_CARD');
    expect(r.printer.jobs).toHaveLength(0);
  });

  it('K7 the server unreachable: SERVER_UNREACHABLE, nothing printed; the reports wait and go once it is back', async () => {
    const r = await setUp();
    const url = r.server.url;
    const port = Number(new URL(url).port);
    const dbFile = r.server.dbFile;
    // Keep the data: close the app without deleting its folder.
    await r.server.app.close();
    r.printer.setFaults({ coverOpen: true });
    await expect.poll(async () => (await r.agent.status()).printer.state).toBe('cover-open');
    r.printer.setFaults({ coverOpen: false });
    const res = await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-down', useCard: false });
    expect('error' in res && res.error.code).toBe('SERVER_UNREACHABLE');
    expect((await r.agent.status()).server.reachable).toBe(false);
    expect(r.printer.jobs).toHaveLength(0);
    r.printer.setFaults({ paperEnd: true });
    await expect.poll(async () => (await r.agent.status()).printer.state).toBe('paper-out');

    // The server comes back on the same port and file: the waiting report arrives.
    const { createApp } = await import('../../queue-server/src/app.js');
    const { tinyHall, ADMIN_PASSWORD } = await import('../../queue-server/test/fixtures.js');
    const app = await createApp({
      dbFile,
      hallConfig: tinyHall(),
      clock: r.server.clock,
      adminPassword: ADMIN_PASSWORD,
      logger: false,
    });
    await app.listen(port, '127.0.0.1');
    try {
      await expect.poll(async () => (await r.agent.status()).server.reachable, { timeout: 15_000 }).toBe(true);
      const sock: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
        auth: { token: await loginAt(url) },
        transports: ['websocket'],
        forceNew: true,
      });
      const faults = () =>
        new Promise<string[]>((res) =>
          sock.emit('sync:snapshot', (a) =>
            res('data' in a ? (a.data.devices.find((d) => d.deviceId === r.deviceId)?.faults.map((f) => f.code) ?? []) : []),
          ),
        );
      await expect.poll(faults, { timeout: 10_000 }).toEqual(['PAPER_OUT']);
      sock.close();
    } finally {
      await app.close();
    }
  });
});

async function loginAt(url: string): Promise<string> {
  const m = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'manager', password: 'manager-pass' }),
  });
  return ((await m.json()) as { token: string }).token;
}

describe('kiosk agent: the ID card (simulated reader over a socat pty pair)', () => {
  it('K8 a card placed is read once: the renderer hears a masked name and elderly; the ticket gets elderly priority', async () => {
    const r = await setUp({ reader: true });
    r.sim?.placeCard({ text: ELDER });
    await expect.poll(() => r.events.find((e) => e.type === 'card:read')).toBeDefined();
    const read = r.events.find((e) => e.type === 'card:read');
    expect(read).toEqual({
      type: 'card:read',
      card: { maskedName: '张*', age: 76, elderly: true, cardType: 'resident', readAt: '2026-11-30T09:00:00.000+08:00' },
    });
    // Lying on the reader, it is not read again and again.
    await new Promise((res) => setTimeout(res, 300));
    expect(r.events.filter((e) => e.type === 'card:read')).toHaveLength(1);
    // Nothing the renderer can see holds the ID number or the full name.
    const seen = JSON.stringify([r.events, await r.agent.status()]);
    expect(seen).not.toContain(ELDER.idNumber);
    expect(seen).not.toContain('张三');

    const res = ok(await r.agent.takeNumber({ serviceId: 'gen-a', requestId: 'tap-card', useCard: true }));
    expect(res.ticket.priority).toBe('elderly');
    expect((await r.agent.status()).card).toBeNull(); // used once, then forgotten
    expect(r.events.at(-1)).toEqual({ type: 'card:cleared' });
  });

  it('K9 a younger card: no priority, the per-person limit applies to the number; removing and placing again reads again', async () => {
    const r = await setUp({ reader: true });
    r.sim?.placeCard({ text: YOUNG });
    await expect.poll(() => r.events.filter((e) => e.type === 'card:read').length).toBe(1);
    expect(r.events.find((e) => e.type === 'card:read')).toMatchObject({ card: { maskedName: '欧***', elderly: false } });
    const first = ok(await r.agent.takeNumber({ serviceId: 're', requestId: 'tap-re-1', useCard: true }));
    expect(first.ticket.priority).toBe('none');
    r.sim?.removeCard();
    await new Promise((res) => setTimeout(res, 200));
    r.sim?.placeCard({ text: YOUNG });
    await expect.poll(() => r.events.filter((e) => e.type === 'card:read').length).toBe(2);
    const second = await r.agent.takeNumber({ serviceId: 're', requestId: 'tap-re-2', useCard: true });
    expect('error' in second && second.error.code).toBe('PERSON_LIMIT_REACHED');
  });

  it('K10 a held card is forgotten after 60 s, or when cleared', async () => {
    const r = await setUp({ reader: true });
    r.sim?.placeCard({ text: ELDER });
    await expect.poll(async () => (await r.agent.status()).card?.maskedName).toBe('张*');
    await r.agent.clearCard();
    expect((await r.agent.status()).card).toBeNull();
    r.sim?.removeCard();
    await new Promise((res) => setTimeout(res, 200));
    r.sim?.placeCard({ text: ELDER });
    await expect.poll(async () => (await r.agent.status()).card?.maskedName).toBe('张*');
    r.server.clock.advance(60_000);
    expect((await r.agent.status()).card).toBeNull();
  });

  it('K11 a read that fails tells the renderer to place the card again', async () => {
    const r = await setUp({ reader: true });
    r.sim?.inject('read-failure', 'read', 10);
    r.sim?.placeCard({ text: ELDER });
    await expect
      .poll(() => r.events.find((e) => e.type === 'card:failed'))
      .toMatchObject({
        error: { code: 'CARD_READ_FAILED', message: expect.stringContaining('重新放置') },
      });
  });
});

describe('kiosk agent: the reader unplugged and plugged back', () => {
  it('K14 the agent notices, reports READER_OFFLINE, reopens the port and reads cards again', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yimen-reader-'));
    const links: [string, string] = [join(dir, 'reader'), join(dir, 'host')];
    let pair = await startSocat(links);
    let sim = await IdCardReaderSimulator.open(links[0]);
    const server = await startServer();
    const printer = new VirtualPrinter({ port: 0 });
    await printer.listen();
    const { id, token } = await server.device('kiosk');
    const agent = await startAgent(
      { serverUrl: server.url, deviceToken: token, printerUri: printer.uri, paper: 80, readerPath: links[1], listen: null },
      { clock: server.clock, cardPollMs: 50, printerPollMs: 200 },
    );
    const events: AgentEvent[] = [];
    agent.subscribe((e) => events.push(e));
    rig = { server, printer, agent, token, deviceId: id, events, sim, socat: pair.proc };
    try {
      expect((await agent.status()).reader.state).toBe('ready');
      pair.proc.kill('SIGKILL');
      await sim.close().catch(() => undefined);
      await expect.poll(async () => (await agent.status()).reader.state, { timeout: 10_000 }).toBe('offline');
      await expect.poll(() => faultsSeenByManager(rig as Rig), { timeout: 10_000 }).toEqual(['READER_OFFLINE']);
      pair = await startSocat(links);
      sim = await IdCardReaderSimulator.open(links[0]);
      rig.sim = sim;
      rig.socat = pair.proc;
      await expect.poll(async () => (await agent.status()).reader.state, { timeout: 15_000 }).toBe('ready');
      sim.placeCard({ text: ELDER });
      await expect.poll(async () => (await agent.status()).card?.maskedName, { timeout: 5000 }).toBe('张*');
      await expect.poll(() => faultsSeenByManager(rig as Rig)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kiosk agent: the browser transport (socket.io on localhost with a key)', () => {
  it('K12 the right key: status, take, events; a wrong key is refused', async () => {
    const r = await setUp({ listen: true });
    const url = r.agent.socket?.url as string;
    const wrong: Socket<AgentToRendererEvents, RendererToAgentEvents> = io(url, {
      auth: { key: 'not-the-key' },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const refused = await new Promise<Error>((res) => wrong.once('connect_error', res));
    expect(refused.message).toContain('未授权');
    wrong.close();

    const s: Socket<AgentToRendererEvents, RendererToAgentEvents> = io(url, {
      auth: { key: 'agent-test-key-0123456789' },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((res) => s.once('connect', () => res()));
    const heard: AgentEvent[] = [];
    s.on('agent:event', (e) => heard.push(e));
    const status = await new Promise<unknown>((res) => s.emit('agent:status', res));
    expect(status).toMatchObject({ data: { printer: { state: 'ready' }, reader: { state: 'absent' }, paper: 80 } });
    const took = await new Promise<KioskAck<TakeNumberResult>>((res) =>
      s.emit('ticket:take', { serviceId: 'gen-b', requestId: 'sock-1', useCard: false }, res),
    );
    expect(ok(took).ticket.number).toBe('A001');
    expect(ok(took).printed).toBe(true);
    const bad = await new Promise<unknown>((res) =>
      s.emit('ticket:take', { serviceId: 'gen-b' } as unknown as { serviceId: string; requestId: string; useCard: boolean }, res),
    );
    expect(bad).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
    r.printer.setFaults({ coverOpen: true });
    await expect.poll(() => heard.some((e) => e.type === 'status:changed' && e.status.printer.state === 'cover-open')).toBe(true);
    s.close();
  });
});

describe('kiosk agent: configuration', () => {
  it('K13 from the environment; bad values are refused with a message naming the key', () => {
    const c = loadAgentConfig({
      YIMEN_SERVER_URL: 'http://10.0.0.2:8080',
      YIMEN_KIOSK_TOKEN: 'x'.repeat(32),
      YIMEN_PRINTER: 'tcp://10.0.0.9:9100',
      YIMEN_PAPER: '58',
      YIMEN_AGENT_PORT: '7700',
      YIMEN_AGENT_KEY: 'k'.repeat(20),
    });
    expect(c).toMatchObject({ paper: 58, readerPath: null, listen: { host: '127.0.0.1', port: 7700 } });
    expect(() => loadAgentConfig({ YIMEN_SERVER_URL: 'ftp://x', YIMEN_KIOSK_TOKEN: 'short' })).toThrow(AgentConfigError);
    expect(() => loadAgentConfig({ YIMEN_SERVER_URL: 'http://x', YIMEN_KIOSK_TOKEN: 'x'.repeat(32), YIMEN_PAPER: '76' })).toThrow(
      /paper/,
    );
    expect(() => loadAgentConfig({}, '/nonexistent/kiosk.json')).toThrow(/配置文件无法读取/);
  });
});
