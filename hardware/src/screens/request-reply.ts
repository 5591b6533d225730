/**
 * The request/reply machinery the window-screen drivers share over a Port: one request at a time, each
 * waiting for its reply (one waiter), a timeout per attempt, and further attempts after line damage (no
 * reply, a damaged reply, the device's own checksum error). Frames, reply matching and decoding and the
 * device's error codes stay with each driver.
 */
import type { Port } from '../serial/port.js';
import { ScreenError } from './window-screen.js';

/** A frame parser: valid packets, and damaged frames as `{ ok: false }`. */
export interface ReplyParser<Packet> {
  push(chunk: Buffer): Iterable<{ ok: true; packet: Packet } | { ok: false }>;
}

export interface RequestReplyOptions<Packet, Reply> {
  parser: ReplyParser<Packet>;
  /** Turns a valid packet into a reply; a throw counts as a damaged reply. */
  decode: (packet: Packet) => Reply;
  /** What the device is called in messages ("screen", "controller"). */
  device: string;
  /** Its address, named in messages ("screen 1"). */
  address: number;
  /** Broadcast: requests are written without waiting for a reply. */
  broadcast: boolean;
  /** Per attempt. */
  timeoutMs: number;
  /** Further attempts after line damage. */
  retries: number;
}

export interface Request<Reply> {
  frame: Buffer;
  /** Names the request in messages ("show", "ping"…). */
  step: string;
  /** Whether a reply answers this request (others are late replies of earlier requests: keep waiting). */
  matches: (reply: Reply) => boolean;
  /** The device's error in a reply, undefined when it accepted the request; `lineDamage` errors are retried. */
  error: (reply: Reply) => { name: string; lineDamage: boolean } | undefined;
}

/** How an attempt ended: a matching reply, or the timeout with nothing (or only damaged frames) seen. */
type Attempt<Reply> = { reply: Reply } | { timeout: true } | { damaged: true };

interface Waiter<Reply> {
  matches: (reply: Reply) => boolean;
  done: (a: Attempt<Reply>) => void;
  damaged: () => void;
}

export class RequestReply<Packet, Reply> {
  private readonly unsubscribe: () => void;
  private readonly unsubscribeClose: () => void;
  private waiter: Waiter<Reply> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly port: Port,
    private readonly options: RequestReplyOptions<Packet, Reply>,
  ) {
    this.unsubscribe = port.onData((chunk) => this.onData(chunk));
    this.unsubscribeClose = port.onClose?.(() => this.markClosed()) ?? (() => undefined);
  }

  /** Runs after every earlier run has settled. */
  serialised<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Sends a request and waits for its accepted reply; undefined for broadcasts. */
  async request({ frame, step, matches, error }: Request<Reply>): Promise<Reply | undefined> {
    const { device, address, broadcast, timeoutMs, retries } = this.options;
    let last = 'no reply';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (this.closed) throw new ScreenError('SCREEN_CLOSED', `${step}: the screen's port is closed`);
      if (broadcast) {
        await this.write(frame, step);
        return undefined;
      }
      const result = await this.exchange(frame, matches, step);
      if (this.closed) throw new ScreenError('SCREEN_CLOSED', `${step}: the screen's port is closed`);
      if ('reply' in result) {
        const e = error(result.reply);
        if (e === undefined) return result.reply;
        if (e.lineDamage && attempt < retries) {
          last = e.name;
          continue;
        }
        throw new ScreenError('SCREEN_REFUSED', `${step}: ${device} ${address} answered ${e.name}`, e.name);
      }
      last = 'timeout' in result ? 'no reply' : 'a damaged reply';
    }
    throw new ScreenError(
      'SCREEN_TIMEOUT',
      `${step}: ${last} from ${device} ${address} within ${timeoutMs} ms (${retries + 1} attempts)`,
      last === 'no reply' ? 'NO_REPLY' : 'DAMAGED_REPLY',
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.markClosed();
    await this.port.close();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.unsubscribeClose();
    const w = this.waiter;
    this.waiter = null;
    w?.done({ timeout: true });
  }

  private exchange(frame: Buffer, matches: (reply: Reply) => boolean, step: string): Promise<Attempt<Reply>> {
    return new Promise<Attempt<Reply>>((resolve, reject) => {
      // A damaged frame does not end the attempt (it may be noise, not our reply): a valid reply still can.
      let damaged = false;
      const timer = setTimeout(() => finish(damaged ? { damaged: true } : { timeout: true }), this.options.timeoutMs);
      const finish = (a: Attempt<Reply>) => {
        clearTimeout(timer);
        if (this.waiter?.done === finish) this.waiter = null;
        resolve(a);
      };
      this.waiter = {
        matches,
        done: finish,
        damaged: () => {
          damaged = true;
        },
      };
      this.write(frame, step).catch((e: unknown) => {
        clearTimeout(timer);
        if (this.waiter?.done === finish) this.waiter = null;
        reject(e);
      });
    });
  }

  private async write(frame: Buffer, step: string): Promise<void> {
    try {
      await this.port.write(frame);
    } catch (e) {
      this.markClosed();
      throw new ScreenError('SCREEN_CLOSED', `${step}: writing to the ${this.options.device} failed: ${(e as Error).message}`);
    }
  }

  private onData(chunk: Buffer): void {
    for (const parsed of this.options.parser.push(chunk)) {
      const w = this.waiter;
      if (!w) continue; // late or unsolicited
      if (!parsed.ok) {
        w.damaged();
        continue;
      }
      let reply: Reply;
      try {
        reply = this.options.decode(parsed.packet);
      } catch {
        w.damaged();
        continue;
      }
      if (w.matches(reply)) w.done({ reply });
      // else: the late reply of an earlier request; keep waiting
    }
  }
}
