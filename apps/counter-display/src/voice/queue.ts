/**
 * The hall's voice queue: every call is announced once (a recall is a new call), in the order the calls
 * came, one at a time — calls that arrive together wait their turn; none is dropped, none overlaps another.
 * An engine that hangs (no audio device, a speech voice that never ends) is stopped after a generous
 * deadline, so one bad announcement never silences the rest of the day.
 *
 * What it announced is kept in `record` (window.__yimenVoice on the hall screen) for tests and for the
 * hall's IT: `received` as enqueued, `announced` as started, `log` with start and end of each.
 */
import type { Announcement } from './announce.js';

export interface VoiceEngine {
  readonly name: string;
  /** Says one announcement; resolves when it has been said (or failed). */
  say(a: Announcement): Promise<void>;
  /** Stops what it is saying now (after the deadline). */
  stop?(): void;
}

export interface VoiceLogEntry {
  key: string;
  text: string;
  engine: string;
  recall: boolean;
  /** performance.now() when it started and ended; ended is null while it is being said. */
  startedAt: number;
  endedAt: number | null;
  outcome: 'said' | 'failed' | 'timed-out' | null;
}

export interface VoiceRecord {
  received: string[];
  announced: string[];
  log: VoiceLogEntry[];
  playing: boolean;
  pending: number;
}

export interface VoiceQueueOptions {
  now?: () => number;
  /** How long one announcement may take at most before it is stopped (ms). */
  deadline?: (a: Announcement) => number;
  /** How many entries the record keeps (a screen runs all day). */
  keep?: number;
  /** Pause between two announcements (ms). */
  gapMs?: number;
}

const defaultDeadline = (a: Announcement) => 5000 + 800 * a.clips.length;

export class VoiceQueue {
  readonly record: VoiceRecord = { received: [], announced: [], log: [], playing: false, pending: 0 };
  private readonly waiting: Announcement[] = [];
  private readonly seen = new Set<string>();
  private readonly seenOrder: string[] = [];
  private running = false;
  private current: VoiceEngine | null = null;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private readonly now: () => number;
  private readonly deadline: (a: Announcement) => number;
  private readonly keep: number;
  private readonly gapMs: number;

  constructor(
    private readonly engine: () => VoiceEngine,
    opts: VoiceQueueOptions = {},
  ) {
    this.now = opts.now ?? (() => performance.now());
    this.deadline = opts.deadline ?? defaultDeadline;
    this.keep = opts.keep ?? 200;
    this.gapMs = opts.gapMs ?? 300;
  }

  /** Whether this call (by its key) was already taken: each call is announced once. */
  has(key: string): boolean {
    return this.seen.has(key);
  }

  /** Marks a call as known without announcing it (the calls already on screen when it loads). */
  remember(key: string): void {
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.seenOrder.push(key);
    if (this.seenOrder.length > this.keep * 5) this.seen.delete(this.seenOrder.shift() as string);
  }

  /** Queues an announcement; a call already taken is ignored. Returns whether it was queued. */
  enqueue(a: Announcement): boolean {
    if (this.closed || this.seen.has(a.key)) return false;
    this.remember(a.key);
    this.waiting.push(a);
    this.record.received.push(a.text);
    trim(this.record.received, this.keep);
    this.record.pending = this.waiting.length;
    if (!this.running) void this.run();
    return true;
  }

  /** Resolves once nothing is queued or being said. */
  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops: what is being said is cut, what waits is not said. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
    this.record.pending = 0;
    this.current?.stop?.();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      let first = true;
      for (let a = this.waiting.shift(); a && !this.closed; a = this.waiting.shift()) {
        this.record.pending = this.waiting.length;
        if (!first && this.gapMs > 0) await sleep(this.gapMs);
        first = false;
        await this.sayOne(a);
      }
    } finally {
      this.running = false;
      this.record.playing = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async sayOne(a: Announcement): Promise<void> {
    let engine: VoiceEngine | null = null;
    const entry: VoiceLogEntry = {
      key: a.key,
      text: a.text,
      engine: '',
      recall: a.recall,
      startedAt: this.now(),
      endedAt: null,
      outcome: null,
    };
    this.record.playing = true;
    this.record.announced.push(a.text);
    this.record.log.push(entry);
    trim(this.record.announced, this.keep);
    trim(this.record.log, this.keep);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      engine = this.engine();
      this.current = engine;
      entry.engine = engine.name;
      const timedOut = new Promise<'timed-out'>((resolve) => {
        timer = setTimeout(() => resolve('timed-out'), this.deadline(a));
      });
      const said = engine.say(a).then(() => 'said' as const);
      entry.outcome = await Promise.race([said, timedOut]);
      if (entry.outcome === 'timed-out') engine.stop?.();
    } catch {
      entry.outcome = 'failed';
    } finally {
      if (timer) clearTimeout(timer);
      this.current = null;
      entry.endedAt = this.now();
      this.record.playing = false;
    }
  }
}

function trim<T>(list: T[], keep: number): void {
  if (list.length > keep) list.splice(0, list.length - keep);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
