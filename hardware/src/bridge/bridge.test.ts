/**
 * The device bridge against real parts: a real queue server (port 0, a real SQLite file), the FF 68 bus over
 * a socat pty pair (serialport at 9600) with simulated keypads and evaluators on the far end, the window
 * screens' simulators (Onbon over TCP, CP5200 over its own pty pair).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FactMessage } from '@yimen/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../apps/queue-server/test/fixtures.js';
import { displayCodes, displayText, PROFILES } from '../counter-bus/codec.js';
import { type EvaluatorSimulator, type KeypadSimulator, LineSimulator } from '../counter-bus/simulator.js';
import { Cp5200Simulator } from '../cp5200/simulator.js';
import { OnbonSimulator } from '../onbon/simulator.js';
import { startSocat } from '../testing/socat.js';
import { DeviceBridge, evaluationLevel, fillText } from './bridge.js';
import { type BridgeConfigInput, validateBridgeConfig } from './config.js';
import { openLine, openScreen } from './open.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SCREENS = fileURLToPath(new URL('../../../test-results/screens/', import.meta.url));

interface Rig {
  deviceIds: { k1: string; k2: string; pad1: string };
  onbon: OnbonSimulator;
  cp5200: Cp5200Simulator;
  screenSocat: ChildProcess;
  server: TestServer;
  bridge: DeviceBridge;
  line: LineSimulator;
  keypads: KeypadSimulator[];
  evaluator: EvaluatorSimulator;
  socat: ChildProcess;
  links: [string, string];
  dir: string;
  clerk: string;
  facts: FactMessage[];
}

let rig: Rig | undefined;
afterEach(async () => {
  if (!rig) return;
  await rig.bridge.close();
  await rig.line.close().catch(() => undefined);
  await rig.onbon.close();
  await rig.cp5200.close();
  rig.socat.kill('SIGKILL');
  rig.screenSocat.kill('SIGKILL');
  await rig.server.close();
  rmSync(rig.dir, { recursive: true, force: true });
  rig = undefined;
});

async function setUp(profile: 'jackqchen' | 'hallquefront' = 'jackqchen'): Promise<Rig> {
  const server = await startServer();
  const dir = mkdtempSync(join(tmpdir(), 'yimen-bridge-'));
  const links: [string, string] = [join(dir, 'devices'), join(dir, 'host')];
  const pair = await startSocat(links);
  const line = await LineSimulator.open(links[0], 9600);
  const p = PROFILES[profile];
  const keypads = [line.addKeypad({ address: 1, profile: p }), line.addKeypad({ address: 2, profile: p })];
  const evaluator = line.addEvaluator({ callerAddress: 1, profile: p });
  // Window screens: w1 an Onbon strip over TCP, w2 a CP5200 controller on its own serial line.
  const onbon = new OnbonSimulator({ address: 1, width: 192, height: 32 });
  await onbon.listen(0);
  const screenPair = await startSocat();
  const cp5200 = await Cp5200Simulator.openSerial(screenPair.a, { id: 1 });
  const k1 = await server.device('call-keypad', 'w1');
  const k2 = await server.device('call-keypad', 'w2');
  const pad1 = await server.device('evaluation-pad', 'w1');
  const self = await server.device('hall-display');
  const input: BridgeConfigInput = {
    server: server.url,
    token: self.token,
    lines: [
      {
        port: links[1],
        profile,
        keypads: [
          { address: 1, counter: 'w1', token: k1.token, evaluatorToken: pad1.token },
          { address: 2, counter: 'w2', token: k2.token },
        ],
      },
    ],
    screens: [
      { counter: 'w1', protocol: 'onbon', uri: onbon.uri, address: 1 },
      { counter: 'w2', protocol: 'cp5200', uri: screenPair.b, address: 1 },
    ],
  };
  const bridge = await new DeviceBridge(validateBridgeConfig(input), { openLine, openScreen, backoffMs: [100, 400] }).start();
  await expect.poll(() => bridge.link.view !== null).toBe(true);
  const manager = await server.login('manager');
  const sock = await server.socket(manager);
  const facts: FactMessage[] = [];
  sock.on('sync:facts', (f) => facts.push(...f));
  await new Promise<void>((r) => sock.emit('sync:snapshot', () => r()));
  rig = {
    deviceIds: { k1: k1.id, k2: k2.id, pad1: pad1.id },
    server,
    bridge,
    line,
    keypads,
    evaluator,
    socat: pair.proc,
    links,
    dir,
    clerk: manager,
    facts,
    onbon,
    cp5200,
    screenSocat: screenPair.proc,
  };
  return rig;
}

async function issue(r: Rig, n: number, serviceId = 'gen-a'): Promise<{ id: string; number: string }[]> {
  const kiosk = await r.server.device('kiosk');
  const out = [];
  for (let i = 0; i < n; i++)
    out.push((await r.server.api('POST', '/tickets', kiosk.token, { serviceId, requestId: `b-${serviceId}-${i}` })).json.ticket);
  return out;
}

const shows = (ticket: string | null, waiting: number) => displayText(displayCodes({ ticket, waiting }));
const calledNumbers = (r: Rig) => r.facts.filter((f) => f.type === 'ticket:called').map((f) => f.ticket.number);

describe.each(['jackqchen', 'hallquefront'] as const)('device bridge (%s keypads)', (profile) => {
  it('B1 呼叫 on a closed counter opens it and calls; the keypad shows the number; digits + 呼叫 call that one; 重呼', async () => {
    const r = await setUp(profile);
    const [a1, a2, a3] = await issue(r, 3);
    const [kp1] = r.keypads as [KeypadSimulator];
    // Drawn from the first snapshot: both counters are closed.
    await expect.poll(() => r.onbon.text).toBe('暂停服务');
    await expect.poll(() => r.cp5200.text).toBe('暂停服务');
    await kp1.pressCall();
    await expect.poll(() => calledNumbers(r)).toEqual([a1?.number]);
    await kp1.waitForDisplay(shows('A001', 2));
    await expect.poll(() => r.onbon.text).toBe('请A001号到1号窗口');
    await kp1.press(3, 'call');
    await expect.poll(() => calledNumbers(r)).toEqual([a1?.number, a3?.number]);
    await kp1.waitForDisplay(shows('A003', 1));
    await expect.poll(() => r.onbon.text).toBe('请A003号到1号窗口');
    const shownBefore = r.onbon.history.length;
    await kp1.press('recall');
    await expect.poll(() => r.facts.some((f) => f.type === 'ticket:recalled' && f.ticket.id === a3?.id)).toBe(true);
    await expect.poll(() => r.onbon.history.length).toBeGreaterThan(shownBefore); // shown again for 重呼
    expect((await r.server.api('GET', `/tickets/${a2?.id}`, r.clerk)).json.ticket.status).toBe('waiting');
  });

  it('B2 a keypad resending its frame (no echo heard) calls once; two keypads on one line each see their own', async () => {
    const r = await setUp(profile);
    await issue(r, 3);
    const [kp1, kp2] = r.keypads as [KeypadSimulator, KeypadSimulator];
    await kp1.pressWith({ ignoreEcho: true, maxSends: 4, resendMs: 60 }, 'call');
    await expect.poll(() => calledNumbers(r)).toEqual(['A001']);
    await sleep(300);
    expect(calledNumbers(r)).toEqual(['A001']);
    expect(r.bridge.lineStats()[0]?.duplicates).toBeGreaterThanOrEqual(3);
    await kp2.pressCall();
    await expect.poll(() => calledNumbers(r)).toEqual(['A001', 'A002']);
    await kp1.waitForDisplay(shows('A001', 1));
    await kp2.waitForDisplay(shows('A002', 1));
    await expect.poll(() => r.cp5200.text).toBe('请A002号到2号窗口');
    mkdirSync(SCREENS, { recursive: true });
    writeFileSync(join(SCREENS, `bridge-w2-cp5200-${profile}.png`), await r.cp5200.png());
    writeFileSync(join(SCREENS, `bridge-w1-onbon-${profile}.png`), await r.onbon.png());
  });

  it('B3 办结 starts the evaluator; its key becomes the evaluation, at the mapped level', async () => {
    const r = await setUp(profile);
    const [a1] = await issue(r, 1);
    await r.keypads[0]?.pressCall();
    await expect.poll(() => calledNumbers(r)).toEqual([a1?.number]);
    expect((await r.server.api('POST', '/counters/w1/finish', r.clerk, {})).status).toBe(200);
    await expect.poll(() => r.onbon.text).toBe('1号窗口 欢迎您');
    await r.evaluator.waitForStart(3000);
    await r.evaluator.rate(3);
    await expect
      .poll(() => r.facts.find((f) => f.type === 'evaluation:recorded'))
      .toMatchObject({ evaluation: { ticketId: a1?.id, counterId: 'w1', level: 'very_satisfied' } });
  });

  it('B4 a pulled cable: the line is reopened with backoff and keys work again; 10,000 random bytes break nothing', {
    timeout: 60_000,
  }, async () => {
    const r = await setUp(profile);
    await issue(r, 3);
    const online = async () => {
      const sock = await r.server.socket(r.clerk);
      const snap = await new Promise<{ devices: { deviceId: string; online: boolean }[] }>((res) =>
        sock.emit('sync:snapshot', (a) => res('data' in a ? a.data : { devices: [] })),
      );
      sock.close();
      const ids = Object.values(r.deviceIds);
      return snap.devices.filter((d) => ids.includes(d.deviceId) && d.online).length;
    };
    await expect.poll(online).toBe(3); // both keypads and the evaluator, while their line is open
    r.socat.kill('SIGKILL');
    await r.line.close().catch(() => undefined);
    await expect.poll(() => r.bridge.lineStats()[0]?.open).toBe(false);
    await expect.poll(online).toBe(0); // the manager sees them go offline
    await sleep(300);
    const pair = await startSocat(r.links);
    r.socat = pair.proc;
    r.line = await LineSimulator.open(r.links[0], 9600);
    const kp = r.line.addKeypad({ address: 1, profile: PROFILES[profile] });
    await expect.poll(() => r.bridge.lineStats()[0]?.open, { timeout: 5000 }).toBe(true);
    await expect.poll(online).toBe(3);
    await kp.pressCall();
    await expect.poll(() => calledNumbers(r)).toEqual(['A001']);

    const noise = Buffer.alloc(10_000);
    let seed = 7;
    for (let i = 0; i < noise.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      noise[i] = seed >>> 24;
    }
    const before = r.bridge.lineStats()[0]?.bytesIn ?? 0;
    await r.line.noise(noise);
    // 10,000 bytes take ~10.4 s at 9600 baud.
    await expect
      .poll(() => (r.bridge.lineStats()[0]?.bytesIn ?? 0) - before, { timeout: 20_000, interval: 200 })
      .toBeGreaterThanOrEqual(10_000);
    expect(r.bridge.lineStats()[0]?.badFrames).toBeGreaterThan(0);
    // The same key again within duplicateWindowMs (1 s) is a keypad resending, not a press: wait it out.
    await sleep(1100);
    await kp.pressCall();
    await expect.poll(() => calledNumbers(r), { timeout: 5000 }).toEqual(['A001', 'A002']);
  });
});

describe('device bridge: the server restarts', () => {
  it('B7 the bridge reconnects by itself, resyncs, and its keys work again', { timeout: 60_000 }, async () => {
    const r = await setUp();
    await issue(r, 2);
    await r.keypads[0]?.pressCall();
    await expect.poll(() => calledNumbers(r)).toEqual(['A001']);
    const port = Number(new URL(r.server.url).port);
    await r.server.app.close();
    await expect.poll(() => r.bridge.link.live).toBe(false);
    // While it is down the clerk presses 呼叫 three times: one action waits for the server, the others beep.
    await sleep(1100);
    const beeps = r.keypads[0]?.beeps ?? 0;
    for (let i = 0; i < 3; i++) {
      await r.keypads[0]?.pressCall();
      await sleep(1100); // past the duplicate window: three real presses
    }
    expect((r.keypads[0]?.beeps ?? 0) - beeps).toBe(2);
    const { createApp } = await import('../../../apps/queue-server/src/app.js');
    const { tinyHall, ADMIN_PASSWORD } = await import('../../../apps/queue-server/test/fixtures.js');
    const app = await createApp({
      dbFile: r.server.dbFile,
      hallConfig: tinyHall(),
      clock: r.server.clock,
      adminPassword: ADMIN_PASSWORD,
      logger: false,
    });
    await app.listen(port, '127.0.0.1');
    try {
      await expect.poll(() => r.bridge.link.live, { timeout: 15_000 }).toBe(true);
      const kiosk = await r.server.device('kiosk').catch(() => null);
      expect(kiosk).not.toBeNull();
      await expect
        .poll(
          async () =>
            (await r.server.api('GET', '/queues', kiosk?.token)).json.queues.find(
              (q: { serviceId: string }) => q.serviceId === 'gen-a',
            )?.waiting,
          {
            timeout: 10_000,
          },
        )
        .toBe(0);
      await r.keypads[0]?.waitForDisplay(shows('A002', 0), 5000);
      // Exactly one call landed for the three presses: A001 is done, A002 called, nothing else.
      expect(
        (await r.server.api('GET', '/queues', kiosk?.token)).json.queues.find(
          (q: { serviceId: string }) => q.serviceId === 'gen-a',
        ).waiting,
      ).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe('device bridge: mapping and configuration', () => {
  it('B5 evaluator levels map to the five named levels; texts fill in', () => {
    expect([0, 1, 2, 3].map((l) => evaluationLevel(4, l))).toEqual(['dissatisfied', 'basic', 'satisfied', 'very_satisfied']);
    expect([0, 1, 2, 3, 4].map((l) => evaluationLevel(5, l))).toEqual([
      'very_dissatisfied',
      'dissatisfied',
      'basic',
      'satisfied',
      'very_satisfied',
    ]);
    expect(evaluationLevel(4, 4)).toBeNull();
    expect(fillText('请{number}号到{counter}号窗口', 'A023', 5)).toBe('请A023号到5号窗口');
  });

  it('B6 a bad configuration is refused with the bad entries named', () => {
    const token = 'x'.repeat(32);
    const clash = () =>
      validateBridgeConfig({
        server: 'http://127.0.0.1:8080',
        token,
        lines: [
          {
            port: '/dev/ttyUSB0',
            keypads: [
              { address: 1, counter: 'w1', token },
              { address: 1, counter: 'w2', token },
            ],
          },
          { port: '/dev/ttyUSB0', keypads: [{ address: 3, counter: 'w3', token }] },
        ],
      });
    expect(clash).toThrow(
      /lines\.0\.keypads\.1\.address: address 1 is already used on \/dev\/ttyUSB0 by lines\[0\]\.keypads\[0\]/,
    );
    expect(clash).toThrow(/lines\.1\.port: \/dev\/ttyUSB0 is listed twice/);
    expect(() => validateBridgeConfig({ server: 'http://x:1', token })).toThrow(/nothing to bridge/);
    const bad = () =>
      validateBridgeConfig({
        server: 'ftp://x',
        lines: [
          {
            port: '/dev/ttyUSB0',
            keypads: [
              { address: 1, counter: 'w1', token },
              { address: 1, counter: 'w2', token: 'short' },
            ],
          },
          { port: '/dev/ttyUSB0', profile: 'other', keypads: [{ address: 200, counter: 'w3', token }] },
        ],
        screens: [{ counter: 'w1', protocol: 'led', uri: 'tcp://x' }],
      });
    expect(bad).toThrow(/server/);
    try {
      bad();
    } catch (e) {
      const m = (e as Error).message;
      expect(m).toContain('lines.0.keypads.1.token');
      expect(m).toContain('lines.1.profile');
      expect(m).toContain('lines.1.keypads.0.address');
      expect(m).toContain('screens.0.protocol');
    }
  });
});

describe('device bridge: the process', () => {
  const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
  const run = (args: string[]) =>
    spawn(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });

  it('B8 a bad file stops it with exit code 2 and the bad entry named; a good one runs and stops on SIGTERM', {
    timeout: 30_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yimen-bridge-cli-'));
    try {
      const bad = join(dir, 'bad.yaml');
      writeFileSync(
        bad,
        'server: http://127.0.0.1:9\nlines:\n  - port: /dev/ttyUSB9\n    keypads:\n      - { address: 300, counter: w1, token: t }\n',
      );
      const p = run(['--config', bad]);
      let err = '';
      p.stderr?.on('data', (d: Buffer) => {
        err += d.toString();
      });
      const code = await new Promise<number | null>((res) => p.on('exit', res));
      expect(code).toBe(2);
      expect(err).toContain('lines.0.keypads.0.address');
      expect(err).toContain('lines.0.keypads.0.token');

      const server = await startServer();
      const k = await server.device('call-keypad', 'w1');
      const pair = await startSocat();
      const good = join(dir, 'good.yaml');
      const self = await server.device('hall-display');
      writeFileSync(
        good,
        `server: ${server.url}\ntoken: ${self.token}\nlines:\n  - port: ${pair.b}\n    keypads:\n      - { address: 1, counter: w1, token: ${k.token} }\n`,
      );
      const q = run(['--config', good]);
      let out = '';
      q.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
      });
      await expect.poll(() => out, { timeout: 15_000 }).toContain('device bridge running');
      q.kill('SIGTERM');
      expect(await new Promise<number | null>((res) => q.on('exit', res))).toBe(0);
      pair.proc.kill('SIGKILL');
      await server.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
