import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScreenError } from '../screens/window-screen.js';
import { openSerialPort, type Port, socketAsPort } from '../serial/port.js';
import { startSocat } from '../testing/socat.js';
import { OnbonScreen, openOnbon } from './screen.js';
import { OnbonSimulator } from './simulator.js';

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

interface Rig {
  sim: OnbonSimulator;
  screen: OnbonScreen;
  /** The driver's side of the line (shared with the screen), for writing noise into the simulator. */
  raw: Port;
}

const rigs: Record<'serial' | 'tcp', () => Promise<Rig>> = {
  // A real serial line: socat pty pair, serialport at 57600 8N1 on both ends.
  serial: async () => {
    const pair = await startSocat();
    socat = pair.proc;
    const sim = await OnbonSimulator.openSerial(pair.a, { address: 1, width: 192, height: 32 });
    // serialport locks the pty, so the noise writer shares the screen's Port
    const raw = await openSerialPort(pair.b, 57600);
    const screen = new OnbonScreen(raw, { screenAddress: 1, width: 192, height: 32, timeoutMs: TIMEOUT });
    return { sim, screen, raw };
  },
  tcp: async () => {
    const sim = new OnbonSimulator({ address: 1, width: 192, height: 32 });
    await sim.listen(0);
    const socket = net.connect(sim.port, '127.0.0.1');
    await once(socket, 'connect');
    const raw = socketAsPort(socket);
    const screen = new OnbonScreen(raw, { screenAddress: 1, width: 192, height: 32, timeoutMs: TIMEOUT });
    return { sim, screen, raw };
  },
};

describe.each(['serial', 'tcp'] as const)('OnbonScreen against the simulator over %s', (transport) => {
  let rig: Rig;

  beforeAll(async () => {
    try {
      rig = await rigs[transport]();
    } catch (e) {
      killSocat();
      throw e;
    }
  });

  afterAll(async () => {
    try {
      await rig?.screen.close();
      await rig?.sim.close();
    } finally {
      killSocat();
    }
  });

  afterEach(() => rig.sim.clearFaults());

  it('show → the simulator shows the text, in the configured area', async () => {
    await rig.screen.show('请A023号到5号窗口');
    expect(rig.sim.text).toBe('请A023号到5号窗口');
    expect(rig.sim.area).toMatchObject({ x: 0, y: 0, width: 192, height: 32, align: 0x0a, displayMode: 1 });
    expect(rig.sim.history.at(-1)).toMatchObject({ command: 'A3 06', name: 'text', error: 0, applied: true });
    if (transport === 'serial') {
      await mkdir(SHOTS, { recursive: true });
      await writeFile(`${SHOTS}led-onbon.png`, await rig.sim.png());
    }
  });

  it('clear, ping and status', async () => {
    await rig.screen.show('请B001号到3号窗口');
    await rig.screen.clear();
    expect(rig.sim.text).toBe('');
    await rig.screen.ping();
    expect(await rig.screen.status()).toEqual(Buffer.alloc(0));
    expect(rig.sim.history.slice(-3).map((e) => e.command)).toEqual(['A3 10', 'A2 00', 'A1 02']);
  });

  it('writes are serialised: concurrent shows arrive one by one, in order', async () => {
    const before = rig.sim.history.length;
    await Promise.all(['请A001号', '请A002号', '请A003号'].map((t) => rig.screen.show(t)));
    expect(rig.sim.history.slice(before).map((e) => e.text)).toEqual(['请A001号', '请A002号', '请A003号']);
    expect(rig.sim.text).toBe('请A003号');
  });

  it.each([
    ['busy', 'BUSY'],
    ['font-missing', 'FONT_MISSING'],
  ] as const)('an injected %s → SCREEN_REFUSED %s, the text not shown', async (fault, detail) => {
    await rig.screen.show('请A010号');
    rig.sim.inject(fault);
    const e = await refusal(rig.screen.show('请A011号'));
    expect([e.code, e.detail]).toEqual(['SCREEN_REFUSED', detail]);
    expect(rig.sim.text).toBe('请A010号');
    await rig.screen.show('请A011号');
    expect(rig.sim.text).toBe('请A011号');
  });

  it("the screen's CRC error is retried once; twice → SCREEN_REFUSED CRC_ERROR", async () => {
    const before = rig.sim.history.length;
    rig.sim.inject('crc-error');
    await rig.screen.show('请A020号');
    expect(rig.sim.text).toBe('请A020号');
    expect(rig.sim.history.length - before).toBe(2);
    rig.sim.inject('crc-error', 'any', 2);
    const e = await refusal(rig.screen.show('请A021号'));
    expect([e.code, e.detail]).toEqual(['SCREEN_REFUSED', 'CRC_ERROR']);
    expect(rig.sim.text).toBe('请A020号');
  });

  it('no reply → one retry; still none → SCREEN_TIMEOUT after the timeout, twice', async () => {
    rig.sim.inject('no-reply');
    await rig.screen.show('请A030号');
    expect(rig.sim.text).toBe('请A030号');
    rig.sim.inject('no-reply', 'any', 2);
    const t0 = Date.now();
    const e = await refusal(rig.screen.show('请A031号'));
    const took = Date.now() - t0;
    expect([e.code, e.detail]).toEqual(['SCREEN_TIMEOUT', 'NO_REPLY']);
    expect(took).toBeGreaterThanOrEqual(2 * TIMEOUT - 20);
    expect(took).toBeLessThan(2 * TIMEOUT + 1000);
    await rig.screen.ping();
  });

  it('a corrupted reply is counted and retried; twice → SCREEN_TIMEOUT DAMAGED_REPLY', async () => {
    const bad = rig.screen.badFrames;
    rig.sim.inject('corrupt-reply');
    await rig.screen.show('请A040号');
    expect(rig.screen.badFrames).toBe(bad + 1);
    rig.sim.inject('corrupt-reply', 'any', 2);
    const e = await refusal(rig.screen.ping());
    expect([e.code, e.detail]).toEqual(['SCREEN_TIMEOUT', 'DAMAGED_REPLY']);
    await rig.screen.ping();
  });

  it('garbage from the screen is counted and does not stop the next show', async () => {
    const skipped = rig.screen.skippedBytes;
    const bad = rig.screen.badFrames;
    await rig.sim.sendRaw(Buffer.from([0x00, 0x13, 0xa5, 0x99, 0x5a, 0xff, 0xa5, 0x01]));
    rig.sim.inject('garbage');
    await rig.screen.show('请A050号');
    expect(rig.sim.text).toBe('请A050号');
    expect(rig.screen.skippedBytes).toBeGreaterThan(skipped);
    expect(rig.screen.badFrames).toBeGreaterThan(bad);
  });

  it('garbage into the screen is counted and does not stop the next show', async () => {
    const raw = rig.raw;
    const skipped = rig.sim.skippedBytes;
    const bad = rig.sim.badFrames;
    await raw.write(Buffer.from([0x11, 0x22, 0xa5, 0xa5, 0x01, 0x02, 0x5a, 0x33, 0xa5, 0x44]));
    await rig.screen.show('请A060号');
    expect(rig.sim.text).toBe('请A060号');
    expect(rig.sim.skippedBytes - skipped).toBeGreaterThanOrEqual(3);
    expect(rig.sim.badFrames - bad).toBe(2); // A5 A5 01 02 5A (too short) and A5 44 (cut by the next frame)
  });

  it('text outside GB2312 → SCREEN_BAD_TEXT, nothing sent', async () => {
    const before = rig.sim.history.length;
    const e = await refusal(rig.screen.show('请A070号到們窗口'));
    expect([e.code, e.detail]).toEqual(['SCREEN_BAD_TEXT', '們']);
    // more than a controller's 1024-byte packet
    const long = await refusal(rig.screen.show('请'.repeat(600)));
    expect([long.code, long.detail]).toEqual(['SCREEN_BAD_TEXT', 'TOO_LONG']);
    expect(rig.sim.history.length).toBe(before);
  });
});

describe('openOnbon and a closed line', () => {
  it('a serial device path → 57600 8N1 (own socat pair)', async () => {
    const pair = await startSocat();
    try {
      const sim = await OnbonSimulator.openSerial(pair.a, { address: 7 });
      const screen = await openOnbon(pair.b, { screenAddress: 7, width: 192, height: 32, timeoutMs: TIMEOUT });
      await screen.show('请C100号到12号窗口');
      expect(sim.text).toBe('请C100号到12号窗口');
      await screen.close();
      await sim.close();
    } finally {
      pair.proc.kill('SIGKILL');
    }
  });

  it('another screen number on the line does not answer → SCREEN_TIMEOUT', async () => {
    const sim = new OnbonSimulator({ address: 2 });
    await sim.listen(0);
    const screen = await openOnbon(sim.uri, { screenAddress: 1, width: 192, height: 32, timeoutMs: 100 });
    expect((await refusal(screen.ping())).code).toBe('SCREEN_TIMEOUT');
    await screen.close();
    await sim.close();
  });

  it('a broadcast address sends without waiting for a reply', async () => {
    const sim = new OnbonSimulator({ address: 2 });
    await sim.listen(0);
    const screen = await openOnbon(sim.uri, { screenAddress: 0xffff, width: 192, height: 32, timeoutMs: 100 });
    await screen.show('全部窗口暂停服务');
    await expect.poll(() => sim.text).toBe('全部窗口暂停服务');
    expect(sim.history.at(-1)?.error).toBeUndefined();
    await screen.close();
    await sim.close();
  });

  it('a TCP screen that goes away → SCREEN_CLOSED', async () => {
    const sim = new OnbonSimulator();
    await sim.listen(0);
    const screen = await openOnbon(`tcp://127.0.0.1:${sim.port}`, { width: 192, height: 32, timeoutMs: TIMEOUT });
    await screen.show('请A001号');
    await sim.close();
    await new Promise((r) => setTimeout(r, 50));
    const e = await refusal(screen.show('请A002号'));
    expect(e.code).toBe('SCREEN_CLOSED');
    await screen.close();
    expect((await refusal(screen.ping())).code).toBe('SCREEN_CLOSED');
  });

  it('nobody listening → SCREEN_CLOSED', async () => {
    const sim = new OnbonSimulator();
    const port = await sim.listen(0);
    await sim.close();
    const e = await refusal(openOnbon(`tcp://127.0.0.1:${port}`, { width: 192, height: 32 }));
    expect(e.code).toBe('SCREEN_CLOSED');
  });

  it('an area off the 8-LED grid is refused up front', async () => {
    const sim = new OnbonSimulator();
    await sim.listen(0);
    await expect(openOnbon(sim.uri, { width: 100, height: 16 })).rejects.toThrow(RangeError);
    await sim.close();
  });
});
