import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScreenError } from '../screens/window-screen.js';
import { openSerialPort, type Port, socketAsPort } from '../serial/port.js';
import { startSocat } from '../testing/socat.js';
import { Cp5200Screen, openCp5200 } from './screen.js';
import { Cp5200Simulator } from './simulator.js';

const TIMEOUT = 250;
const SHOTS = fileURLToPath(new URL('../../../test-results/screens/', import.meta.url));

async function refusal(p: Promise<unknown>): Promise<ScreenError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ScreenError) return e;
    throw e;
  }
  throw new Error('expected a ScreenError');
}

let socat: ChildProcess | undefined;
const killSocat = () => {
  if (socat && socat.exitCode === null) socat.kill('SIGKILL');
};
process.on('exit', killSocat);

const LONG = '请A023号到5号窗口办理，请携带身份证原件和复印件，谢谢配合';

describe('Cp5200Screen against the simulator over a real socat pty pair (115200 8N1)', () => {
  let sim: Cp5200Simulator;
  let raw: Port;
  let screen: Cp5200Screen;

  beforeAll(async () => {
    const pair = await startSocat();
    socat = pair.proc;
    try {
      sim = await Cp5200Simulator.openSerial(pair.a, { id: 3, width: 192, height: 32 });
      // serialport locks the pty, so the noise writer shares the screen's Port
      raw = await openSerialPort(pair.b, 115200);
      screen = new Cp5200Screen(raw, { id: 3, timeoutMs: TIMEOUT, maxPacketData: 32 });
    } catch (e) {
      killSocat();
      throw e;
    }
  });

  afterAll(async () => {
    try {
      await screen?.close();
      await sim?.close();
    } finally {
      killSocat();
    }
  });

  afterEach(() => sim.clearFaults());

  it('show → the simulator shows the text, with the document’s parameters', async () => {
    await screen.show('请A023号到5号窗口');
    expect(sim.text).toBe('请A023号到5号窗口');
    expect(sim.params).toEqual({ window: 0, effect: 0, align: 1, speed: 0, stay: 3, font: 2, color: [255, 0, 0] });
    expect(sim.history.at(-1)).toMatchObject({ cc: 0x12, packets: 1 });
    await mkdir(SHOTS, { recursive: true });
    await writeFile(`${SHOTS}led-cp5200.png`, await sim.png());
  });

  it('a long text goes out in several packets and is joined', async () => {
    await screen.show(LONG);
    expect(sim.text).toBe(LONG);
    const last = sim.history.at(-1);
    expect(last?.packets).toBeGreaterThan(2);
    const n = last?.packets ?? 0;
    expect(sim.packets.slice(-n).map((p) => [p.packetNo, p.lastPacketNo])).toEqual(
      Array.from({ length: n }, (_, i) => [i, n - 1]),
    );
  });

  it('line breaks travel as 0D', async () => {
    await screen.show('请A023号\n到5号窗口');
    expect(sim.text).toBe('请A023号\n到5号窗口');
    expect(sim.packets.at(-1)?.data.includes(0x0d)).toBe(true);
  });

  it('clear and ping', async () => {
    await screen.show('请B002号');
    await screen.ping();
    expect(sim.text).toBe('请B002号');
    await screen.clear();
    expect(sim.text).toBe('');
    await screen.ping();
    expect(sim.text).toBe('');
  });

  it('writes are serialised: concurrent shows arrive one by one, in order', async () => {
    const before = sim.history.length;
    await Promise.all(['请A001号', LONG, '请A003号'].map((t) => screen.show(t)));
    expect(sim.history.slice(before).map((e) => e.text)).toEqual(['请A001号', LONG, '请A003号']);
    expect(sim.text).toBe('请A003号');
  });

  it("the controller's checksum error is retried once; twice → SCREEN_REFUSED CHECKSUM_ERROR", async () => {
    await screen.show('请A010号');
    sim.inject('checksum-error');
    await screen.show('请A011号');
    expect(sim.text).toBe('请A011号');
    sim.inject('checksum-error', 2);
    const e = await refusal(screen.show('请A012号'));
    expect([e.code, e.detail]).toEqual(['SCREEN_REFUSED', 'CHECKSUM_ERROR']);
    expect(sim.text).toBe('请A011号');
  });

  it('a sequence error → SCREEN_REFUSED SEQUENCE_ERROR', async () => {
    sim.inject('sequence-error');
    const e = await refusal(screen.show('请A013号'));
    expect([e.code, e.detail]).toEqual(['SCREEN_REFUSED', 'SEQUENCE_ERROR']);
    await screen.show('请A013号');
    expect(sim.text).toBe('请A013号');
  });

  it('no reply → one retry; still none → SCREEN_TIMEOUT after the timeout, twice', async () => {
    sim.inject('no-reply');
    await screen.show('请A030号');
    expect(sim.text).toBe('请A030号');
    sim.inject('no-reply', 2);
    const t0 = Date.now();
    const e = await refusal(screen.show('请A031号'));
    const took = Date.now() - t0;
    expect([e.code, e.detail]).toEqual(['SCREEN_TIMEOUT', 'NO_REPLY']);
    expect(took).toBeGreaterThanOrEqual(2 * TIMEOUT - 20);
    expect(took).toBeLessThan(2 * TIMEOUT + 1000);
    await screen.ping();
  });

  it('a lost or damaged reply in the middle of a long text: the packet is sent again and taken once', async () => {
    await screen.show('请A040号');
    const bad = screen.badFrames;
    // packet 1 answered damaged: the controller has it, the resend is a duplicate
    sim.inject('garbage');
    sim.inject('corrupt-reply');
    await screen.show(LONG);
    expect(sim.text).toBe(LONG);
    expect(screen.badFrames).toBe(bad + 1);
    const n = sim.history.at(-1)?.packets ?? 0;
    expect(sim.packets.slice(-(n + 1)).map((p) => p.packetNo)).toEqual([0, 1, ...Array.from({ length: n - 1 }, (_, i) => i + 1)]);
    sim.inject('corrupt-reply', 2);
    const e = await refusal(screen.show('请A041号'));
    expect([e.code, e.detail]).toEqual(['SCREEN_TIMEOUT', 'DAMAGED_REPLY']);
    await screen.show('请A041号');
  });

  it('garbage in both directions is counted and does not stop the next show', async () => {
    const s = {
      driverSkipped: screen.skippedBytes,
      driverBad: screen.badFrames,
      simSkipped: sim.skippedBytes,
      simBad: sim.badFrames,
    };
    await sim.sendRaw(Buffer.from([0x00, 0x13, 0xa5, 0x99, 0xae, 0xff, 0xa5, 0x01]));
    await raw.write(Buffer.from([0x11, 0x22, 0xa5, 0x68, 0x32, 0xae, 0x33, 0xa5, 0x44]));
    await screen.show('请A050号');
    expect(sim.text).toBe('请A050号');
    expect(screen.skippedBytes).toBeGreaterThan(s.driverSkipped);
    expect(screen.badFrames).toBeGreaterThan(s.driverBad);
    expect(sim.skippedBytes - s.simSkipped).toBeGreaterThanOrEqual(3);
    expect(sim.badFrames - s.simBad).toBe(2); // A5 68 32 AE (too short) and A5 44 (cut by the next frame)
  });

  it('text outside GB2312 → SCREEN_BAD_TEXT, nothing sent', async () => {
    const before = sim.packets.length;
    const e = await refusal(screen.show('請A070號'));
    expect([e.code, e.detail]).toEqual(['SCREEN_BAD_TEXT', '請']);
    expect(sim.packets.length).toBe(before);
  });
});

describe('openCp5200 and other firmware', () => {
  it('a serial device path → 115200 8N1 (own socat pair)', async () => {
    const pair = await startSocat();
    try {
      const sim = await Cp5200Simulator.openSerial(pair.a, { id: 9 });
      const screen = await openCp5200(pair.b, { id: 9, timeoutMs: TIMEOUT });
      await screen.show('请C100号到12号窗口');
      expect(sim.text).toBe('请C100号到12号窗口');
      await screen.close();
      await sim.close();
    } finally {
      pair.proc.kill('SIGKILL');
    }
  });

  it('older firmware answering with 68 instead of E8', async () => {
    const sim = new Cp5200Simulator({ id: 1, replyType: 0x68 });
    const port = await sim.listen(0);
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const screen = new Cp5200Screen(socketAsPort(socket), { id: 1, timeoutMs: TIMEOUT });
    await screen.show('请A001号');
    expect(sim.text).toBe('请A001号');
    await screen.close();
    await sim.close();
  });

  it('a controller with another ID does not answer → SCREEN_TIMEOUT', async () => {
    const sim = new Cp5200Simulator({ id: 2 });
    const port = await sim.listen(0);
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const screen = new Cp5200Screen(socketAsPort(socket), { id: 1, timeoutMs: 100 });
    expect((await refusal(screen.show('请A001号'))).code).toBe('SCREEN_TIMEOUT');
    expect(sim.text).toBe('');
    await screen.close();
    await sim.close();
  });

  it('the line closing → SCREEN_CLOSED', async () => {
    const sim = new Cp5200Simulator({ id: 1 });
    const port = await sim.listen(0);
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const screen = new Cp5200Screen(socketAsPort(socket), { id: 1, timeoutMs: TIMEOUT });
    await screen.show('请A001号');
    await sim.close();
    await new Promise((r) => setTimeout(r, 50));
    expect((await refusal(screen.show('请A002号'))).code).toBe('SCREEN_CLOSED');
    await screen.close();
  });
});
