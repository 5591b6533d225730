/**
 * The host side of one "FF 68" RS-485 line (call keypads and key evaluators, 9600 8N1): key presses and
 * ratings in, displays / beeps / evaluations out, over any Port (`openSerialPort(path, { baudRate: 9600 })`).
 *
 * - Every key frame from a caller it serves is acknowledged at once by its echo, so the keypad stops
 *   resending. An identical frame from the same address again within `duplicateWindowMs` of the previous
 *   copy is such a resend: echoed again, not emitted, counted in `duplicates`. (The window slides: a
 *   keypad resending every 300 ms for 2 s gives one event. The other side of it: the same key pressed
 *   twice within the window counts once.)
 * - Rating frames are acknowledged in the profile's form and de-duplicated the same way.
 * - Writes are serialised (the line is half duplex), acknowledgements ahead of queued commands, with a
 *   gap of `gapMs` after each frame.
 * - Nothing on the line makes it throw: bad bytes are dropped and counted, listeners that throw are
 *   ignored.
 */
import type { Port } from '../serial/port.js';
import {
  type BusProfile,
  callerAddressOf,
  checkCallerAddress,
  decodeKeyPress,
  decodeRating,
  encodeBeep,
  encodeCallerDisplay,
  encodeEvaluatorAck,
  encodeStars,
  encodeStartEvaluation,
  type Frame,
  FrameParser,
  functionOf,
  isEvaluatorFrame,
  type KeyCode,
  type KeyName,
  keyEcho,
  keyName,
  MAX_CALLER,
  MIN_CALLER,
  type Shown,
} from './codec.js';

export interface KeyEvent {
  address: number;
  digits: number[];
  key: KeyCode;
  /** The key's name ('call', 'recall', 'start', 'transfer', …): `keyName(key)`. */
  name: KeyName;
  /** The function digit's meaning for key 0x0F */
  fn?: string;
  at: number;
}

export interface RatingEvent {
  callerAddress: number;
  level: number;
  at: number;
}

export interface BadFrameInfo {
  /** A FrameParser reason: GARBAGE, BAD_LENGTH, BAD_CHECKSUM, BAD_TAIL. */
  reason: string;
  bytes: Buffer;
}

export interface BusStats {
  /** Valid frames received (duplicates and ignored frames included). */
  frames: number;
  /** Bad-frame reports (runs of garbage, frames failing length / checksum / tail). */
  badFrames: number;
  /** Resent key or rating frames that were acknowledged again but not emitted. */
  duplicates: number;
  bytesIn: number;
  /** Valid frames not acted on: from callers not served, or not a key press / rating. */
  ignored: number;
  /** Writes that failed (acknowledgements included; a failed command also rejects its promise). */
  writeErrors: number;
}

export interface CounterBusOptions {
  profile: BusProfile;
  /** Only these callers (and their evaluators) are answered; frames of others are ignored and counted. */
  addresses?: number[];
  /** Default 1000. */
  duplicateWindowMs?: number;
  /** Default Date.now. */
  clock?: () => number;
  /** Pause after each frame written, ms. Default 5 (about 5 character times at 9600 baud). */
  gapMs?: number;
  /**
   * Set when the adapter hears its own transmissions (some RS-485 adapters do): each frame written is then
   * expected back once and dropped, instead of being taken for a keypad's resend and echoed forever.
   */
  localEcho?: boolean;
}

interface Pending {
  bytes: Buffer;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class CounterBusClosedError extends Error {
  constructor() {
    super('the counter bus is closed');
    this.name = 'CounterBusClosedError';
  }
}

export class CounterBus {
  private readonly profile: BusProfile;
  private readonly addresses: ReadonlySet<number> | null;
  private readonly windowMs: number;
  private readonly clock: () => number;
  private readonly gapMs: number;
  private readonly localEcho: boolean;
  private readonly parser = new FrameParser();
  private readonly unsubscribe: () => void;
  private readonly keyListeners = new Set<(e: KeyEvent) => void>();
  private readonly ratingListeners = new Set<(e: RatingEvent) => void>();
  private readonly badListeners = new Set<(info: BadFrameInfo) => void>();
  /** Last key / rating frame per source ('k3', 'e3'), for resends. */
  private readonly last = new Map<string, { content: string; at: number }>();
  /** With localEcho: frames written and not yet heard back. */
  private readonly expectedEchoes: { hex: string; until: number }[] = [];
  private readonly urgent: Pending[] = [];
  private readonly queue: Pending[] = [];
  private pumping: Promise<void> | null = null;
  private closed = false;
  private readonly counters: BusStats = { frames: 0, badFrames: 0, duplicates: 0, bytesIn: 0, ignored: 0, writeErrors: 0 };

  constructor(
    private readonly port: Port,
    opts: CounterBusOptions,
  ) {
    this.profile = opts.profile;
    this.addresses = opts.addresses ? new Set(opts.addresses) : null;
    this.windowMs = opts.duplicateWindowMs ?? 1000;
    this.clock = opts.clock ?? Date.now;
    this.gapMs = opts.gapMs ?? 5;
    this.localEcho = opts.localEcho ?? false;
    for (const a of opts.addresses ?? []) checkCallerAddress(a);
    this.unsubscribe = port.onData((chunk) => this.onData(chunk));
  }

  onKey(l: (e: KeyEvent) => void): () => void {
    this.keyListeners.add(l);
    return () => this.keyListeners.delete(l);
  }

  onRating(l: (e: RatingEvent) => void): () => void {
    this.ratingListeners.add(l);
    return () => this.ratingListeners.delete(l);
  }

  onBadFrame(l: (info: BadFrameInfo) => void): () => void {
    this.badListeners.add(l);
    return () => this.badListeners.delete(l);
  }

  /** What the caller's display shows: the ticket (digits only, right-aligned) and/or the waiting count (left). */
  async showOnCaller(address: number, shown: { ticket?: string | null; waiting?: number }): Promise<void> {
    const s: Shown = {};
    if (shown.ticket !== undefined) s.ticket = shown.ticket;
    if (shown.waiting !== undefined) s.waiting = shown.waiting;
    await this.write(encodeCallerDisplay(address, s, this.profile.displayPositions));
  }

  async beep(address: number): Promise<void> {
    await this.write(encodeBeep(address));
  }

  /** Tells caller N's evaluator to start an evaluation (to 0x80|N or N, per profile). */
  async startEvaluation(callerAddress: number): Promise<void> {
    await this.write(encodeStartEvaluation(callerAddress, this.profile));
  }

  /** Shows a star level 0–5 on caller N's evaluator. */
  async setStars(callerAddress: number, level: number): Promise<void> {
    await this.write(encodeStars(callerAddress, level, this.profile));
  }

  get stats(): BusStats {
    return { ...this.counters };
  }

  /** Stops listening, lets queued writes finish, closes the port. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    await this.pumping;
    await this.port.close();
  }

  // ---------------------------------------------------------------- in

  private onData(chunk: Buffer): void {
    this.counters.bytesIn += chunk.length;
    let parsed: ReturnType<FrameParser['push']>;
    try {
      parsed = this.parser.push(chunk);
    } catch {
      // The parser does not throw; should it ever, the bytes are lost, not the bus.
      this.parser.reset();
      this.counters.badFrames++;
      return;
    }
    for (const p of parsed) {
      if (p.ok) this.onFrame(p.frame, p.bytes);
      else {
        this.counters.badFrames++;
        emit(this.badListeners, { reason: p.reason, bytes: p.bytes });
      }
    }
  }

  private onFrame(frame: Frame, bytes: Buffer): void {
    if (this.localEcho && this.isOwnEcho(bytes)) return;
    this.counters.frames++;
    const caller = callerAddressOf(this.profile, frame);
    if (caller < MIN_CALLER || caller > MAX_CALLER || (this.addresses && !this.addresses.has(caller))) {
      this.counters.ignored++;
      return;
    }
    const now = this.clock();
    if (isEvaluatorFrame(this.profile, frame)) {
      const rating = decodeRating(frame, this.profile);
      if (!rating) {
        this.counters.ignored++;
        return;
      }
      this.acknowledge(encodeEvaluatorAck(frame, this.profile));
      if (this.isResend(`e${frame.addr}`, frame, now)) return;
      emit(this.ratingListeners, { callerAddress: rating.callerAddress, level: rating.level, at: now });
      return;
    }
    const press = decodeKeyPress(frame, this.profile);
    if (!press) {
      // A key the profile does not know (e.g. 0x11, 一米) is still echoed so that the keypad stops resending.
      if (this.isKeyShaped(frame)) this.acknowledge(keyEcho(bytes));
      this.counters.ignored++;
      return;
    }
    this.acknowledge(keyEcho(bytes));
    if (this.isResend(`k${frame.addr}`, frame, now)) return;
    const event: KeyEvent = { address: frame.addr, digits: press.digits, key: press.key, name: keyName(press.key), at: now };
    const fn = functionOf(press, this.profile);
    if (fn !== undefined) event.fn = fn;
    emit(this.keyListeners, event);
  }

  private isKeyShaped(frame: Frame): boolean {
    if (this.profile.strictKeyCmd && frame.cmd !== this.profile.keyCmd) return false;
    const d = frame.data;
    return d.length >= 1 && (d[d.length - 1] as number) >= 0x0a && d.subarray(0, d.length - 1).every((x) => x <= 9);
  }

  private isResend(source: string, frame: Frame, now: number): boolean {
    const content = `${frame.cmd}:${frame.data.toString('hex')}`;
    const prev = this.last.get(source);
    this.last.set(source, { content, at: now });
    if (prev && prev.content === content && now - prev.at < this.windowMs) {
      this.counters.duplicates++;
      return true;
    }
    return false;
  }

  private isOwnEcho(bytes: Buffer): boolean {
    const now = this.clock();
    while (this.expectedEchoes.length && (this.expectedEchoes[0]?.until ?? 0) < now) this.expectedEchoes.shift();
    const hex = bytes.toString('hex');
    const i = this.expectedEchoes.findIndex((e) => e.hex === hex);
    if (i < 0) return false;
    this.expectedEchoes.splice(i, 1);
    return true;
  }

  // ---------------------------------------------------------------- out

  private acknowledge(bytes: Buffer): void {
    this.enqueue(bytes, true).catch(() => {
      // counted in writeErrors; the device resends and is answered again
    });
  }

  private write(bytes: Buffer): Promise<void> {
    return this.enqueue(bytes, false);
  }

  private enqueue(bytes: Buffer, urgent: boolean): Promise<void> {
    if (this.closed) return Promise.reject(new CounterBusClosedError());
    return new Promise<void>((resolve, reject) => {
      (urgent ? this.urgent : this.queue).push({ bytes, resolve, reject });
      if (!this.pumping) this.pumping = this.pump();
    });
  }

  private async pump(): Promise<void> {
    for (;;) {
      const next = this.urgent.shift() ?? this.queue.shift();
      if (!next) {
        // Cleared in the same turn as the queue was found empty: an enqueue after this starts a new pump.
        this.pumping = null;
        return;
      }
      try {
        if (this.localEcho) this.expectedEchoes.push({ hex: next.bytes.toString('hex'), until: this.clock() + 1000 });
        await this.port.write(next.bytes);
        next.resolve();
      } catch (e) {
        this.counters.writeErrors++;
        next.reject(e);
      }
      if (this.gapMs > 0) await new Promise((r) => setTimeout(r, this.gapMs));
    }
  }
}

function emit<T>(listeners: Set<(e: T) => void>, e: T): void {
  for (const l of listeners) {
    try {
      l(e);
    } catch {
      // a listener's failure is its own
    }
  }
}
