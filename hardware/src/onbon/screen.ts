/**
 * Driver for an Onbon BX-5K/6K window LED strip (shared/reference/hall-devices.md §2) over any Port:
 * serial 57600 8N1 or TCP (port 5005). One command at a time; each waits for the screen's reply.
 */
import net from 'node:net';
import { ScreenError, type WindowScreen } from '../screens/window-screen.js';
import { openSerialPort, type Port, socketAsPort } from '../serial/port.js';
import {
  BROADCAST_SETTING,
  CMD,
  DEFAULT_AREA,
  type DynamicArea,
  decodeReply,
  encodeClear,
  encodeCommand,
  encodeDynamicText,
  errorName,
  FrameParser,
  ONBON_ERROR,
  type OnbonReply,
} from './codec.js';
import { encodeGb2312 } from './gb2312.js';

/** Onbon Ethernet controllers listen here. */
export const ONBON_TCP_PORT = 5005;
export const ONBON_BAUD_RATE = 57600;

/** The area fields a screen can be set up with (geometry defaults to the whole screen). */
export type OnbonLayout = Omit<DynamicArea, 'type' | 'width' | 'height' | 'voice'>;

export interface OnbonScreenOptions extends Partial<OnbonLayout> {
  /** Screen number (DstAddr), default 1. FFFE/FFFF broadcast: commands go out without waiting for a reply. */
  screenAddress?: number;
  /** LEDs across (a multiple of 8) and down. */
  width: number;
  height: number;
  /** Per attempt (default 1000 ms). */
  timeoutMs?: number;
  /** Further attempts after no reply, a damaged reply or the screen's CRC error (default 1). */
  retries?: number;
}

/** How an attempt ended: a matching reply, or the timeout with nothing (or only damaged frames) seen. */
type Attempt = { reply: OnbonReply } | { timeout: true } | { damaged: true };

export class OnbonScreen implements WindowScreen {
  private readonly parser = new FrameParser();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeClose: () => void;
  private readonly address: number;
  private readonly area: DynamicArea;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private waiter: { group: number; cmd: number; done: (a: Attempt) => void; damaged: () => void } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly port: Port,
    options: OnbonScreenOptions,
  ) {
    const { screenAddress, width, height, timeoutMs, retries, ...layout } = options;
    this.address = screenAddress ?? 1;
    this.timeoutMs = timeoutMs ?? 1000;
    this.retries = retries ?? 1;
    const x = layout.x ?? 0;
    const y = layout.y ?? 0;
    this.area = { ...DEFAULT_AREA, ...definedOnly(layout), x, y, width: width - x, height: height - y, type: 0, voice: 0 };
    if (this.area.x % 8 !== 0 || this.area.width % 8 !== 0 || this.area.width <= 0 || this.area.height <= 0) {
      throw new RangeError(
        `Onbon area ${this.area.x},${this.area.y} ${this.area.width}×${this.area.height}: x and width must be multiples of 8`,
      );
    }
    this.unsubscribe = port.onData((chunk) => this.onData(chunk));
    this.unsubscribeClose = port.onClose?.(() => this.markClosed()) ?? (() => undefined);
  }

  /** Bytes of noise between frames seen so far. */
  get skippedBytes(): number {
    return this.parser.skipped;
  }

  /** Damaged frames seen so far. */
  get badFrames(): number {
    return this.parser.bad;
  }

  show(text: string): Promise<void> {
    let frame: Buffer;
    try {
      const bytes = encodeGb2312(text);
      frame = encodeDynamicText(this.address, bytes, this.area, { reply: this.wantsReply });
    } catch (e) {
      if (e instanceof ScreenError) return Promise.reject(e);
      return Promise.reject(new ScreenError('SCREEN_BAD_TEXT', `cannot send "${text}": ${(e as Error).message}`, 'TOO_LONG'));
    }
    return this.serialised(() => this.command(frame, CMD.dynamicText, 'show')).then(() => undefined);
  }

  clear(): Promise<void> {
    const frame = encodeClear(this.address, { reply: this.wantsReply });
    return this.serialised(() => this.command(frame, CMD.clear, 'clear')).then(() => undefined);
  }

  ping(): Promise<void> {
    if (!this.wantsReply)
      return Promise.reject(new ScreenError('SCREEN_REFUSED', 'a broadcast address cannot be pinged', 'BROADCAST'));
    return this.serialised(() => this.command(encodeCommand(this.address, CMD.ping), CMD.ping, 'ping')).then(() => undefined);
  }

  /** The status reply's payload, undecoded (its layout is not in the reference). */
  status(): Promise<Buffer> {
    if (!this.wantsReply)
      return Promise.reject(new ScreenError('SCREEN_REFUSED', 'a broadcast address cannot be queried', 'BROADCAST'));
    return this.serialised(() => this.command(encodeCommand(this.address, CMD.status), CMD.status, 'status')).then(
      (r) => r?.payload ?? Buffer.alloc(0),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.markClosed();
    await this.port.close();
  }

  private get wantsReply(): boolean {
    return this.address < BROADCAST_SETTING;
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

  private serialised<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Sends a frame and waits for the reply of the same CmdGroup/Cmd; undefined for broadcasts. */
  private async command(frame: Buffer, [group, cmd]: readonly [number, number], step: string): Promise<OnbonReply | undefined> {
    let last = 'no reply';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (this.closed) throw new ScreenError('SCREEN_CLOSED', `${step}: the screen's port is closed`);
      if (!this.wantsReply) {
        await this.write(frame, step);
        return undefined;
      }
      const result = await this.exchange(frame, group, cmd, step);
      if (this.closed) throw new ScreenError('SCREEN_CLOSED', `${step}: the screen's port is closed`);
      if ('reply' in result) {
        const { error } = result.reply;
        if (error === ONBON_ERROR.ok) return result.reply;
        if (error === ONBON_ERROR.crcError && attempt < this.retries) {
          last = 'CRC_ERROR';
          continue;
        }
        throw new ScreenError('SCREEN_REFUSED', `${step}: screen ${this.address} answered ${errorName(error)}`, errorName(error));
      }
      last = 'timeout' in result ? 'no reply' : 'a damaged reply';
    }
    throw new ScreenError(
      'SCREEN_TIMEOUT',
      `${step}: ${last} from screen ${this.address} within ${this.timeoutMs} ms (${this.retries + 1} attempts)`,
      last === 'no reply' ? 'NO_REPLY' : 'DAMAGED_REPLY',
    );
  }

  private exchange(frame: Buffer, group: number, cmd: number, step: string): Promise<Attempt> {
    return new Promise<Attempt>((resolve, reject) => {
      // A damaged frame does not end the attempt (it may be noise, not our reply): a valid reply still can.
      let damaged = false;
      const timer = setTimeout(() => finish(damaged ? { damaged: true } : { timeout: true }), this.timeoutMs);
      const finish = (a: Attempt) => {
        clearTimeout(timer);
        if (this.waiter?.done === finish) this.waiter = null;
        resolve(a);
      };
      this.waiter = {
        group,
        cmd,
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
      throw new ScreenError('SCREEN_CLOSED', `${step}: writing to the screen failed: ${(e as Error).message}`);
    }
  }

  private onData(chunk: Buffer): void {
    for (const parsed of this.parser.push(chunk)) {
      const w = this.waiter;
      if (!w) continue; // late or unsolicited
      if (!parsed.ok) {
        w.damaged();
        continue;
      }
      let reply: OnbonReply;
      try {
        reply = decodeReply(parsed.packet);
      } catch {
        w.damaged();
        continue;
      }
      if (reply.group === w.group && reply.cmd === w.cmd) w.done({ reply });
      // else: the late reply of an earlier command; keep waiting
    }
  }
}

export interface OpenOnbonOptions extends Omit<OnbonScreenOptions, 'width' | 'height'> {
  width: number;
  height: number;
  /** Serial only (default 57600). */
  baudRate?: number;
  /** TCP connect timeout (default timeoutMs, or 3000 ms). */
  connectTimeoutMs?: number;
}

/**
 * Opens a screen from a URI: `tcp://host[:port]` (port 5005 by default) or a serial device path
 * (`/dev/ttyUSB0`, `serial:///dev/ttyUSB0`, `COM3`) at 57600 8N1.
 */
export async function openOnbon(uri: string, options: OpenOnbonOptions): Promise<OnbonScreen> {
  const { baudRate, connectTimeoutMs, ...screen } = options;
  if (uri.startsWith('tcp://')) {
    const u = new URL(uri);
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const port = u.port === '' ? ONBON_TCP_PORT : Number(u.port);
    const socket = await connectTcp(host, port, connectTimeoutMs ?? options.timeoutMs ?? 3000);
    return new OnbonScreen(socketAsPort(socket), screen);
  }
  const path = uri.startsWith('serial://') ? uri.slice('serial://'.length) : uri;
  try {
    return new OnbonScreen(await openSerialPort(path, { baudRate: baudRate ?? ONBON_BAUD_RATE }), screen);
  } catch (e) {
    throw new ScreenError('SCREEN_CLOSED', `cannot open ${path}: ${(e as Error).message}`);
  }
}

function connectTcp(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ScreenError('SCREEN_TIMEOUT', `no connection to ${host}:${port} within ${timeoutMs} ms`, 'CONNECT'));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.on('error', () => undefined); // reported through close
      resolve(socket);
    });
    const onError = (e: Error) => {
      clearTimeout(timer);
      reject(new ScreenError('SCREEN_CLOSED', `cannot connect to ${host}:${port}: ${e.message}`, 'CONNECT'));
    };
    socket.once('error', onError);
  });
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
