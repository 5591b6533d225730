import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSerialPort, type Port } from '../serial/port.js';
import { startSocat } from '../testing/socat.js';
import { CounterBus, CounterBusClosedError, type KeyEvent, type RatingEvent } from './bus.js';
import { type BusProfile, encodeBeep, encodeCallerDisplay, encodeFrame, encodeKeyPress, KeyCode, PROFILES } from './codec.js';
import { KeypadSimulator, LineSimulator } from './simulator.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** A deterministic byte source (mulberry32). */
function randomBytes(n: number, seed: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

const sockets: ChildProcess[] = [];
process.on('exit', () => {
  for (const s of sockets) if (s.exitCode === null) s.kill('SIGKILL');
});

const SERVED = [1, 2, 3, 5];

describe.each([PROFILES.jackqchen, PROFILES.hallquefront] as BusProfile[])(
  'over a socat pty pair at 9600 baud: $name',
  (profile) => {
    let socat: ChildProcess;
    let line: LineSimulator;
    let bus: CounterBus;
    let keys: KeyEvent[];
    let ratings: RatingEvent[];
    const subs: (() => void)[] = [];

    beforeAll(async () => {
      const pair = await startSocat();
      socat = pair.proc;
      sockets.push(socat);
      line = await LineSimulator.open(pair.a, 9600);
      bus = new CounterBus(await openSerialPort(pair.b, { baudRate: 9600 }), { profile, addresses: SERVED });
    });

    afterAll(async () => {
      try {
        await bus?.close();
        await line?.close();
      } finally {
        if (socat.exitCode === null) socat.kill('SIGKILL');
      }
    });

    beforeEach(() => {
      keys = [];
      ratings = [];
      subs.push(
        bus.onKey((e) => keys.push(e)),
        bus.onRating((e) => ratings.push(e)),
      );
    });

    afterEach(async () => {
      for (const s of subs.splice(0)) s();
      await line.removeAll();
    });

    it('呼叫 on keypad 3 → one onKey with its address and key; the echo stops the keypad', async () => {
      const k = line.addKeypad({ address: 3, profile });
      const r = await k.pressCall();
      expect(r).toEqual({ acked: true, sends: 1, acks: 1 });
      await until(() => keys.length === 1, 'the key event');
      expect(keys[0]).toMatchObject({ address: 3, digits: [], key: KeyCode.call, name: 'call' });
      expect(keys[0]?.fn).toBeUndefined();
      // The echo is the key frame byte for byte.
      expect(line.heard.at(-1)).toEqual({ addr: 3, cmd: profile.keyCmd, data: Buffer.from([KeyCode.call]) });
      await sleep(300);
      expect(keys).toHaveLength(1);
      expect(k.sent).toBe(1);
    });

    it('digits + 转移, and a function digit, mean what the profile says', async () => {
      const k = line.addKeypad({ address: 3, profile });
      expect((await k.press(0, 5, 'transfer')).acked).toBe(true);
      await until(() => keys.length === 1, 'the transfer');
      expect(keys[0]).toMatchObject({ address: 3, digits: [0, 5], key: profile.transferKey });
      expect((await k.press(6, 'function')).acked).toBe(true);
      await until(() => keys.length === 2, 'the function key');
      expect(keys[1]).toMatchObject({ digits: [6], key: KeyCode.function, fn: profile.functionDigits[6] });
      expect(keys[1]?.fn).toBe(profile.name === 'jackqchen' ? 'no-show' : 'call-security');
    });

    it('a keypad that sends 3 copies without waiting for the echo → one onKey, 2 duplicates, every copy echoed', async () => {
      const k = line.addKeypad({ address: 3, profile });
      const before = bus.stats.duplicates;
      const r = await k.pressWith({ ignoreEcho: true, maxSends: 3, resendMs: 40 }, 'recall');
      expect(r.sends).toBe(3);
      await until(() => bus.stats.duplicates === before + 2, 'two duplicates');
      await until(() => k.received.length === 3, 'three echoes');
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ address: 3, key: KeyCode.recall });
      // A new press after the window is a new event.
      await sleep(1050);
      await k.press('recall');
      await until(() => keys.length === 2, 'the second press');
    });

    it('two keypads on one line (1 and 2) each see only their own display and beeps', async () => {
      const k1 = line.addKeypad({ address: 1, profile });
      const k2 = line.addKeypad({ address: 2, profile });
      await bus.showOnCaller(1, { ticket: 'A023' });
      await bus.showOnCaller(2, { waiting: 12 });
      await bus.beep(2);
      await k1.waitForDisplay('   023');
      await k2.waitForDisplay('012   ');
      await until(() => k2.beeps === 1, 'the beep');
      expect(k1.beeps).toBe(0);
      await bus.showOnCaller(2, { ticket: 'B107', waiting: 3 });
      await k2.waitForDisplay('003107');
      await bus.showOnCaller(1, { ticket: null });
      await k1.waitForDisplay('      ');
      expect(k2.display).toBe('003107');
    });

    it('a caller not served is ignored: no echo (the keypad gives up after its resends), no event, counted', async () => {
      const k = line.addKeypad({ address: 9, profile, resendMs: 60, maxSends: 3 });
      const before = bus.stats.ignored;
      const r = await k.pressCall();
      expect(r).toEqual({ acked: false, sends: 3, acks: 0 });
      await until(() => bus.stats.ignored === before + 3, 'the ignored frames');
      expect(keys).toHaveLength(0);
    });

    it('evaluation: startEvaluation → the evaluator starts → rate(3) → onRating 3 → the ack; star levels', async () => {
      const keypad = line.addKeypad({ address: 5, profile });
      const ev = line.addEvaluator({ callerAddress: 5, profile });
      await bus.showOnCaller(5, { ticket: '042' });
      await keypad.waitForDisplay('   042');
      await expect(ev.rate(3)).rejects.toThrow(/not asked/);
      await bus.startEvaluation(5);
      await ev.waitForStart();
      const r = await ev.rate(3);
      expect(r).toMatchObject({ acked: true, sends: 1 });
      await until(() => ratings.length === 1, 'the rating');
      expect(ratings[0]).toMatchObject({ callerAddress: 5, level: 3 });
      expect(ev.evaluating).toBe(false);
      const ack = ev.received.at(-1);
      expect(ack).toEqual(
        profile.evaluatorAck === 'short'
          ? { addr: 0x85, cmd: 0x01, data: Buffer.alloc(0) }
          : { addr: 5, cmd: 0x01, data: Buffer.from([3]) },
      );
      await bus.setStars(5, 4);
      await until(() => ev.stars.length === 1, 'the star level');
      expect(ev.stars).toEqual([4]);
      // The keypad sharing (or neighbouring) the address keeps its display.
      expect(keypad.display).toBe('   042');
      // A resent rating (the ack lost) is acknowledged again, not counted twice.
      await bus.startEvaluation(5);
      await ev.waitForStart();
      const before = bus.stats.duplicates;
      const again = await ev.rate(1, { ignoreEcho: true, maxSends: 2, resendMs: 40 });
      expect(again.acks).toBeGreaterThanOrEqual(1);
      await until(() => bus.stats.duplicates === before + 1, 'the duplicate rating');
      expect(ratings.map((e) => e.level)).toEqual([3, 1]);
    });

    it('10,000 random bytes on the line → no crash, counted as bad; then a key still works', async () => {
      const bad: string[] = [];
      subs.push(bus.onBadFrame((i) => bad.push(i.reason)));
      const before = bus.stats;
      await line.noise(randomBytes(10_000, 20240601));
      await until(() => bus.stats.bytesIn >= before.bytesIn + 10_000, 'the noise to arrive');
      expect(bus.stats.badFrames).toBeGreaterThan(before.badFrames);
      expect(bad.length).toBe(bus.stats.badFrames - before.badFrames);
      expect(keys).toHaveLength(0);
      const k = line.addKeypad({ address: 3, profile });
      expect((await k.pressCall()).acked).toBe(true);
      await until(() => keys.length === 1, 'the key after the noise');
      expect(keys[0]).toMatchObject({ address: 3, key: KeyCode.call });
    });
  },
);

// ---------------------------------------------------------------- without a serial line

/** Two connected in-memory ports; `reflect` makes `a` also hear what it writes (an echoing RS-485 adapter). */
function memoryPair(reflect = false): { a: Port & { writes: Buffer[] }; b: Port } {
  const listeners = { a: new Set<(c: Buffer) => void>(), b: new Set<(c: Buffer) => void>() };
  const deliver = (to: 'a' | 'b', bytes: Uint8Array) =>
    setImmediate(() => {
      for (const l of listeners[to]) l(Buffer.from(bytes));
    });
  const port = (me: 'a' | 'b', other: 'a' | 'b') => ({
    writes: [] as Buffer[],
    async write(bytes: Uint8Array) {
      this.writes.push(Buffer.from(bytes));
      deliver(other, bytes);
      if (reflect && me === 'a') deliver('a', bytes);
    },
    onData(l: (c: Buffer) => void) {
      listeners[me].add(l);
      return () => listeners[me].delete(l);
    },
    async close() {},
  });
  return { a: port('a', 'b'), b: port('b', 'a') };
}

describe('CounterBus without a serial line', () => {
  it('resends within the window are one press; the window slides from the last copy', async () => {
    let now = 0;
    const { a, b } = memoryPair();
    const bus = new CounterBus(a, { profile: PROFILES.jackqchen, clock: () => now, gapMs: 0 });
    const keys: KeyEvent[] = [];
    bus.onKey((e) => keys.push(e));
    const frame = encodeKeyPress(4, [], KeyCode.call);
    for (const t of [0, 500, 1400, 2300, 3400]) {
      now = t;
      await b.write(frame);
      await sleep(1);
    }
    expect(keys.map((e) => e.at)).toEqual([0, 3400]);
    expect(bus.stats.duplicates).toBe(3);
    expect(a.writes).toHaveLength(5); // every copy echoed
    // Another key from the same address is not a duplicate.
    now = 3500;
    await b.write(encodeKeyPress(4, [], KeyCode.recall));
    await sleep(1);
    expect(keys).toHaveLength(3);
    await bus.close();
  });

  it('with localEcho the adapter hearing its own echo does not start an echo loop', async () => {
    const { a, b } = memoryPair(true);
    const bus = new CounterBus(a, { profile: PROFILES.jackqchen, gapMs: 0, localEcho: true });
    const keys: KeyEvent[] = [];
    bus.onKey((e) => keys.push(e));
    await b.write(encodeKeyPress(4, [], KeyCode.call));
    await sleep(20);
    expect(keys).toHaveLength(1);
    expect(a.writes).toHaveLength(1);
    expect(bus.stats).toMatchObject({ frames: 1, duplicates: 0 });
    await bus.close();
  });

  it('a throwing listener, an unknown key, a rating from an evaluator under the wrong profile', async () => {
    const { a, b } = memoryPair();
    const bus = new CounterBus(a, { profile: PROFILES.hallquefront, gapMs: 0 });
    const keys: KeyEvent[] = [];
    bus.onKey(() => {
      throw new Error('listener bug');
    });
    bus.onKey((e) => keys.push(e));
    await b.write(encodeKeyPress(4, [], KeyCode.call));
    // 0x11 (一米) is no key of ours: echoed so that the keypad stops, not emitted.
    await b.write(encodeFrame(4, 0x01, [0x11]));
    // A CMD 0x11 frame from a caller address is not a rating under HallQueFront (evaluators are 0x80|N).
    await b.write(encodeFrame(4, 0x11, [0x03]));
    await sleep(10);
    expect(keys).toHaveLength(1);
    expect(a.writes.map((w) => w.toString('hex'))).toEqual([
      encodeKeyPress(4, [], KeyCode.call).toString('hex'),
      encodeFrame(4, 0x01, [0x11]).toString('hex'),
    ]);
    expect(bus.stats).toMatchObject({ frames: 3, ignored: 2 });
    await bus.close();
  });

  it('writes are serialised with acknowledgements first; failures reject; closed means closed', async () => {
    // The bus listens on b; the "device" writes on a.
    const { a, b } = memoryPair();
    const order: string[] = [];
    let fail = false;
    const port: Port = {
      async write(bytes) {
        order.push(Buffer.from(bytes).toString('hex'));
        await sleep(5);
        if (fail) throw new Error('cable pulled');
      },
      onData: (l) => b.onData(l),
      async close() {},
    };
    const bus = new CounterBus(port, { profile: PROFILES.jackqchen, gapMs: 2 });
    await expect(bus.showOnCaller(0, { ticket: '1' })).rejects.toThrow(RangeError);
    await expect(bus.setStars(1, 9)).rejects.toThrow(RangeError);
    // Three commands queued; a key frame arriving during the first one is echoed before the other two.
    const key = encodeKeyPress(4, [], KeyCode.call);
    const sent = Promise.all([bus.showOnCaller(1, { ticket: '1' }), bus.beep(2), bus.beep(3)]);
    await a.write(key);
    await sent;
    await until(() => order.length === 4, 'the echo');
    expect(order).toEqual([
      encodeCallerDisplay(1, { ticket: '1' }).toString('hex'),
      key.toString('hex'),
      encodeBeep(2).toString('hex'),
      encodeBeep(3).toString('hex'),
    ]);
    fail = true;
    await expect(bus.beep(2)).rejects.toThrow('cable pulled');
    expect(bus.stats.writeErrors).toBe(1);
    fail = false;
    await bus.close();
    await expect(bus.beep(1)).rejects.toBeInstanceOf(CounterBusClosedError);
  });

  it('a standalone KeypadSimulator on its own port', async () => {
    const { a, b } = memoryPair();
    const bus = new CounterBus(a, { profile: PROFILES.hallquefront, gapMs: 0 });
    const k = new KeypadSimulator(b, { address: 7, profile: PROFILES.hallquefront });
    const keys: KeyEvent[] = [];
    bus.onKey((e) => keys.push(e));
    expect(await k.press(1, 2, 3, 'function')).toMatchObject({ acked: true, sends: 1 });
    expect(keys[0]).toMatchObject({ address: 7, digits: [1, 2, 3], key: KeyCode.function, fn: 'login' });
    expect(() => k.keyFrame([10, 'call'])).toThrow(RangeError);
    expect(() => k.keyFrame([])).toThrow(RangeError);
    await k.close();
    await bus.close();
  });
});
