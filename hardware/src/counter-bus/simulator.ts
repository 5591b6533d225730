/**
 * Simulated devices of the "FF 68" bus (shared/reference/hall-devices.md §1) on a Port, e.g. one end of a
 * socat pty pair: call keypads that resend a key frame until the host echoes it, evaluators that rate and
 * wait for the acknowledgement, and a LineSimulator hosting several of them on one line, each answering
 * only to its own address (as on a real RS-485 line, every device hears every frame).
 */
import { openSerialPort, type Port } from '../serial/port.js';
import {
  type BusProfile,
  CMD,
  checkCallerAddress,
  DEFAULT_PROFILE,
  displayText,
  encodeFrame,
  encodeRating,
  evaluatorAddress,
  type Frame,
  FrameParser,
  isEvaluatorAck,
  isStartEvaluation,
  KeyCode,
  type KeyName,
} from './codec.js';

/** A digit 0–9, or (last) the key: a name ('transfer' is the profile's transfer key) or a key code. */
export type Key = number | KeyName;

export interface SendOptions {
  /** Time between two sends of the same frame, ms (default 150). */
  resendMs: number;
  /** Sends at most, the first included (default 3). */
  maxSends: number;
  /**
   * Send all `maxSends` copies whatever the host answers (a keypad that missed the echoes): the host must
   * take the copies for one press.
   */
  ignoreEcho: boolean;
}

export interface SendResult {
  /** Whether the host's acknowledgement arrived (before the sending stopped). */
  acked: boolean;
  /** Copies sent. */
  sends: number;
  /** Acknowledgements received for this frame until the sending stopped. */
  acks: number;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Content of a frame, whatever its wake-up byte: what an echo is compared on. */
function content(f: Frame): string {
  return `${f.addr}:${f.cmd}:${f.data.toString('hex')}`;
}

/** Shared by the devices: parsing what the host sends, sending with resends until acknowledged. */
abstract class Device {
  private readonly parser = new FrameParser();
  private readonly unsubscribe: () => void;
  private waiters: { match: (f: Frame) => boolean; hit: () => void }[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  /** Frames from the host addressed to this device, in order. */
  readonly received: Frame[] = [];
  /** Frames this device sent, resends included. */
  sent = 0;
  protected readonly defaults: SendOptions;

  protected constructor(
    protected readonly port: Port,
    readonly address: number,
    readonly profile: BusProfile,
    opts: Partial<SendOptions>,
  ) {
    this.defaults = { resendMs: opts.resendMs ?? 150, maxSends: opts.maxSends ?? 3, ignoreEcho: opts.ignoreEcho ?? false };
    this.unsubscribe = port.onData((chunk) => {
      for (const p of this.parser.push(chunk)) {
        if (!p.ok || p.frame.addr !== this.address) continue;
        this.received.push(p.frame);
        for (const w of this.waiters) if (w.match(p.frame)) w.hit();
        this.onFrame(p.frame);
      }
    });
  }

  protected abstract onFrame(frame: Frame): void;

  /** Sends `frame`, then again every resendMs until `isAck` matches a frame from the host (or maxSends). */
  protected sendUntilAcked(frame: Buffer, isAck: (f: Frame) => boolean, opts: Partial<SendOptions> = {}): Promise<SendResult> {
    const o = { ...this.defaults, ...opts };
    const run = async (): Promise<SendResult> => {
      let acks = 0;
      let wake: (() => void) | null = null;
      const waiter = {
        match: isAck,
        hit: () => {
          acks++;
          wake?.();
        },
      };
      this.waiters.push(waiter);
      let sends = 0;
      try {
        while (sends < o.maxSends && (o.ignoreEcho || acks === 0)) {
          await this.write(frame);
          sends++;
          this.sent++;
          if (o.ignoreEcho) await delay(o.resendMs);
          else if (acks === 0) {
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, o.resendMs);
              wake = () => {
                clearTimeout(t);
                resolve();
              };
            });
            wake = null;
          }
        }
        return { acked: acks > 0, sends, acks };
      } finally {
        this.waiters = this.waiters.filter((w) => w !== waiter);
      }
    };
    // One frame at a time, like the device.
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Resolves when `cond` holds after a frame from the host (or at once if it holds already). */
  protected waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        match: () => true,
        hit: () => {
          // onFrame runs after the waiters: look once it has.
          queueMicrotask(() => {
            if (!cond()) return;
            clearTimeout(t);
            this.waiters = this.waiters.filter((w) => w !== waiter);
            resolve();
          });
        },
      };
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`${what}: timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  protected async write(bytes: Uint8Array): Promise<void> {
    try {
      await this.port.write(bytes);
    } catch {
      // the line went away; a real device would not notice either
    }
  }

  /** Stops listening and closes the device's port (a no-op for the ports a LineSimulator hands out). */
  async close(): Promise<void> {
    this.unsubscribe();
    await this.port.close();
  }
}

export interface KeypadOptions extends Partial<SendOptions> {
  address: number;
  profile?: BusProfile;
}

/** A call keypad (呼叫器) with its display. */
export class KeypadSimulator extends Device {
  private codes: string;
  /** Beep commands received. */
  beeps = 0;

  constructor(port: Port, opts: KeypadOptions) {
    checkCallerAddress(opts.address);
    super(port, opts.address, opts.profile ?? DEFAULT_PROFILE, opts);
    this.codes = ' '.repeat(this.profile.displayPositions);
  }

  static async open(path: string, opts: KeypadOptions, baudRate = 9600): Promise<KeypadSimulator> {
    return new KeypadSimulator(await openSerialPort(path, { baudRate }), opts);
  }

  /** What the display shows: one character per position, a digit or ' ' (blank). */
  get display(): string {
    return this.codes;
  }

  /** Types digits and presses a key, e.g. `press(0, 5, 'transfer')`, `press('call')`, `press(6, KeyCode.function)`. */
  press(...keys: Key[]): Promise<SendResult> {
    return this.pressWith({}, ...keys);
  }

  pressCall(): Promise<SendResult> {
    return this.press('call');
  }

  /** `press` with other resend options for this press, e.g. `{ ignoreEcho: true }`. */
  pressWith(opts: Partial<SendOptions>, ...keys: Key[]): Promise<SendResult> {
    const frame = this.keyFrame(keys);
    const sent = content(frameOf(frame));
    // The echo is the frame itself (compared without the wake-up byte).
    return this.sendUntilAcked(frame, (f) => content(f) === sent, opts);
  }

  /** The key frame `press` sends for these keys. */
  keyFrame(keys: Key[]): Buffer {
    if (keys.length === 0) throw new RangeError('press needs a key');
    const last = keys[keys.length - 1] as Key;
    const digits = keys.slice(0, -1).map((d) => {
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 9) throw new RangeError(`digit must be 0…9, got ${d}`);
      return d;
    });
    const key = typeof last === 'number' ? last : last === 'transfer' ? this.profile.transferKey : KeyCode[last];
    if (!Number.isInteger(key) || key < 0x0a || key > 0xff) throw new RangeError(`not a key: ${String(last)}`);
    return encodeFrame(this.address, this.profile.keyCmd, [...digits, key]);
  }

  /** Resolves when the display shows `text` (e.g. '   023'). */
  waitForDisplay(text: string, timeoutMs = 2000): Promise<void> {
    return this.waitFor(() => this.codes === text, timeoutMs, `display of caller ${this.address} to show "${text}"`);
  }

  protected onFrame(frame: Frame): void {
    if (frame.cmd === CMD.beep) this.beeps++;
    else if (frame.cmd === CMD.display) {
      // With 'cmd-0x11' addressing the evaluator shares this address: a one-byte 02 frame is its star level.
      if (this.profile.evaluatorAddressing === 'cmd-0x11' && frame.data.length === 1) return;
      this.codes = displayText(frame.data);
    }
  }
}

export interface EvaluatorOptions extends Partial<SendOptions> {
  /** The caller this evaluator belongs to; its bus address follows the profile (0x80|N or N). */
  callerAddress: number;
  profile?: BusProfile;
}

/** A key evaluator (评价器) of one caller. */
export class EvaluatorSimulator extends Device {
  readonly callerAddress: number;
  /** Between a "start evaluation" and an acknowledged rating. */
  evaluating = false;
  /** "Start evaluation" frames received. */
  starts = 0;
  /** Star levels received, in order. */
  readonly stars: number[] = [];

  constructor(port: Port, opts: EvaluatorOptions) {
    const profile = opts.profile ?? DEFAULT_PROFILE;
    super(port, evaluatorAddress(profile, opts.callerAddress), profile, opts);
    this.callerAddress = opts.callerAddress;
  }

  static async open(path: string, opts: EvaluatorOptions, baudRate = 9600): Promise<EvaluatorSimulator> {
    return new EvaluatorSimulator(await openSerialPort(path, { baudRate }), opts);
  }

  /**
   * The customer presses a key: sends the result (CMD 0x11, one byte) and resends it until the host
   * acknowledges it in the profile's form. Only while evaluating (after "start evaluation").
   */
  async rate(level: number, opts: Partial<SendOptions> = {}): Promise<SendResult> {
    if (!this.evaluating) throw new Error(`evaluator of caller ${this.callerAddress} was not asked to evaluate`);
    const frame = encodeRating(this.callerAddress, level, this.profile);
    const sent = frameOf(frame);
    const result = await this.sendUntilAcked(frame, (f) => isEvaluatorAck(f, sent, this.profile), opts);
    if (result.acked) this.evaluating = false;
    return result;
  }

  waitForStart(timeoutMs = 2000): Promise<void> {
    return this.waitFor(() => this.evaluating, timeoutMs, `evaluator of caller ${this.callerAddress} to start`);
  }

  protected onFrame(frame: Frame): void {
    // With 'cmd-0x11' addressing the host's echo of a bare 评价 key (`ADDR 01 0B`) is this same frame: the
    // evaluator starts by itself when the keypad's 评价 key is acknowledged, as JackQChen notes of real ones.
    if (isStartEvaluation(frame)) {
      this.evaluating = true;
      this.starts++;
    } else if (frame.cmd === CMD.stars && frame.data.length === 1) {
      this.stars.push(frame.data[0] as number);
    }
  }
}

function frameOf(bytes: Buffer): Frame {
  const o = bytes[0] === 0xff ? 1 : 0;
  return { addr: bytes[o + 4] as number, cmd: bytes[o + 5] as number, data: bytes.subarray(o + 6, bytes.length - 2) };
}

/**
 * One RS-485 line with several simulated devices on it: owns the port; every device hears every frame and
 * answers only to its own address. Writes of the devices are serialised.
 */
export class LineSimulator {
  private readonly keypads = new Map<number, KeypadSimulator>();
  private readonly evaluators = new Map<number, EvaluatorSimulator>();
  private readonly parser = new FrameParser();
  private readonly unsubscribe: () => void;
  private tail: Promise<void> = Promise.resolve();
  /** Every valid frame the host sent on the line, whatever its address. */
  readonly heard: Frame[] = [];

  constructor(private readonly port: Port) {
    this.unsubscribe = port.onData((chunk) => {
      for (const p of this.parser.push(chunk)) if (p.ok) this.heard.push(p.frame);
    });
  }

  static async open(path: string, baudRate = 9600): Promise<LineSimulator> {
    return new LineSimulator(await openSerialPort(path, { baudRate }));
  }

  addKeypad(opts: KeypadOptions): KeypadSimulator {
    if (this.keypads.has(opts.address)) throw new Error(`a keypad already has address ${opts.address}`);
    const k = new KeypadSimulator(this.devicePort(), opts);
    this.keypads.set(opts.address, k);
    return k;
  }

  addEvaluator(opts: EvaluatorOptions): EvaluatorSimulator {
    if (this.evaluators.has(opts.callerAddress)) throw new Error(`caller ${opts.callerAddress} already has an evaluator`);
    const e = new EvaluatorSimulator(this.devicePort(), opts);
    this.evaluators.set(opts.callerAddress, e);
    return e;
  }

  keypad(address: number): KeypadSimulator | undefined {
    return this.keypads.get(address);
  }

  evaluator(callerAddress: number): EvaluatorSimulator | undefined {
    return this.evaluators.get(callerAddress);
  }

  /** Takes every device off the line. */
  async removeAll(): Promise<void> {
    await Promise.all([...this.keypads.values(), ...this.evaluators.values()].map((d) => d.close()));
    this.keypads.clear();
    this.evaluators.clear();
  }

  /** Raw bytes on the line (noise, a foreign device, a hand-made frame). */
  noise(bytes: Uint8Array): Promise<void> {
    return this.write(bytes);
  }

  async close(): Promise<void> {
    await this.removeAll();
    this.unsubscribe();
    await this.tail;
    await this.port.close();
  }

  private write(bytes: Uint8Array): Promise<void> {
    const next = this.tail.then(() => this.port.write(bytes));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** A device's view of the line: the line's bytes in, serialised writes out; closing it closes nothing. */
  private devicePort(): Port {
    return {
      write: (bytes) => this.write(bytes),
      onData: (listener) => this.port.onData(listener),
      close: async () => {},
    };
  }
}
