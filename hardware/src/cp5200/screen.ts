/**
 * Driver for a window LED screen on a CP5200 controller (shared/reference/hall-devices.md §3) over a serial
 * Port (RS-232/485, 115200 8N1). Text goes out as CC 0x12 (plain text), split into packets when long; each
 * packet waits for the controller's reply.
 */
import { encodeGb2312 } from '../onbon/gb2312.js';
import { ScreenError, type WindowScreen } from '../screens/window-screen.js';
import { openSerialPort, type Port } from '../serial/port.js';
import {
  BROADCAST_ID,
  type Cp5200Packet,
  DEFAULT_MAX_PACKET_DATA,
  DEFAULT_TEXT_PARAMS,
  encodeTextFrames,
  FrameParser,
  RESULT,
  resultName,
  type TextParams,
  TYPE_COMMAND,
  TYPE_REPLY,
} from './codec.js';

export const CP5200_BAUD_RATE = 115200;
/** Line breaks travel as 0D (the document's example: `abc 0D cba`). */
export const CP5200_NEWLINE = 0x0d;

export interface Cp5200ScreenOptions extends Partial<TextParams> {
  /** Controller ID 1–254 (default 1); FF broadcasts without waiting for replies. */
  id?: number;
  /** Per packet (default 1000 ms). */
  timeoutMs?: number;
  /** Further attempts of a packet after no reply, a damaged reply or the controller's checksum error (default 1). */
  retries?: number;
  /** Data bytes per packet (default 200). */
  maxPacketData?: number;
}

/** How an attempt ended: a reply, or the timeout with nothing (or only damaged frames) seen. */
type Attempt = { reply: Cp5200Packet } | { timeout: true } | { damaged: true };

export class Cp5200Screen implements WindowScreen {
  private readonly parser = new FrameParser();
  private readonly unsubscribe: () => void;
  private readonly unsubscribeClose: () => void;
  private readonly id: number;
  private readonly params: TextParams;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly maxPacketData: number;
  private waiter: { done: (a: Attempt) => void; damaged: () => void } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private current = '';

  constructor(
    private readonly port: Port,
    options: Cp5200ScreenOptions = {},
  ) {
    const { id, timeoutMs, retries, maxPacketData, ...params } = options;
    this.id = id ?? 1;
    this.timeoutMs = timeoutMs ?? 1000;
    this.retries = retries ?? 1;
    this.maxPacketData = maxPacketData ?? DEFAULT_MAX_PACKET_DATA;
    this.params = { ...DEFAULT_TEXT_PARAMS, ...definedOnly(params) };
    this.unsubscribe = port.onData((chunk) => this.onData(chunk));
    this.unsubscribeClose = port.onClose?.(() => this.markClosed()) ?? (() => undefined);
  }

  get skippedBytes(): number {
    return this.parser.skipped;
  }

  get badFrames(): number {
    return this.parser.bad;
  }

  /** Shows text; \n (or \r\n) breaks the line. Text outside GB2312 is refused with SCREEN_BAD_TEXT. */
  show(text: string): Promise<void> {
    return this.send(text, this.params, 'show').then(() => {
      this.current = text;
    });
  }

  /** Shows an empty text (the reference has no clear command). */
  clear(): Promise<void> {
    return this.send('', this.params, 'clear').then(() => {
      this.current = '';
    });
  }

  /**
   * The reference defines no query command, so ping sends again what the screen should show (CC 0x12 with
   * effect 0): harmless, and it restores the text after the controller restarted.
   */
  ping(): Promise<void> {
    if (this.id === BROADCAST_ID)
      return Promise.reject(new ScreenError('SCREEN_REFUSED', 'a broadcast ID cannot be pinged', 'BROADCAST'));
    return this.send(this.current, { ...this.params, effect: 0 }, 'ping');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.markClosed();
    await this.port.close();
  }

  private send(text: string, params: TextParams, step: string): Promise<void> {
    let frames: Buffer[];
    try {
      frames = encodeTextFrames(this.id, encodeGb2312(text, { newline: CP5200_NEWLINE }), params, {
        reply: this.id !== BROADCAST_ID,
        maxPacketData: this.maxPacketData,
      });
    } catch (e) {
      if (e instanceof ScreenError) return Promise.reject(e);
      return Promise.reject(new ScreenError('SCREEN_BAD_TEXT', `cannot send "${text}": ${(e as Error).message}`, 'TOO_LONG'));
    }
    const run = this.queue.then(async () => {
      for (const [i, frame] of frames.entries()) await this.packet(frame, `${step} (packet ${i + 1}/${frames.length})`);
    });
    this.queue = run.catch(() => undefined);
    return run;
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

  private async packet(frame: Buffer, step: string): Promise<void> {
    let last = 'no reply';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (this.closed) throw new ScreenError('SCREEN_CLOSED', `${step}: the screen's port is closed`);
      if (this.id === BROADCAST_ID) return this.write(frame, step);
      const result = await this.exchange(frame, step);
      if (this.closed) throw new ScreenError('SCREEN_CLOSED', `${step}: the screen's port is closed`);
      if ('reply' in result) {
        const r = result.reply.flag;
        if (r === RESULT.ok) return;
        if (r === RESULT.checksumError && attempt < this.retries) {
          last = 'CHECKSUM_ERROR';
          continue;
        }
        throw new ScreenError('SCREEN_REFUSED', `${step}: controller ${this.id} answered ${resultName(r)}`, resultName(r));
      }
      last = 'timeout' in result ? 'no reply' : 'a damaged reply';
    }
    throw new ScreenError(
      'SCREEN_TIMEOUT',
      `${step}: ${last} from controller ${this.id} within ${this.timeoutMs} ms (${this.retries + 1} attempts)`,
      last === 'no reply' ? 'NO_REPLY' : 'DAMAGED_REPLY',
    );
  }

  private exchange(frame: Buffer, step: string): Promise<Attempt> {
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
      throw new ScreenError('SCREEN_CLOSED', `${step}: writing to the controller failed: ${(e as Error).message}`);
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
      const p = parsed.packet;
      // Replies start E8 (68 on older firmware). Their PO is not checked: firmware may not echo it.
      if ((p.type === TYPE_REPLY || p.type === TYPE_COMMAND) && p.id === this.id) w.done({ reply: p });
    }
  }
}

/** Opens a CP5200 on a serial device (`/dev/ttyUSB0`, `serial:///dev/ttyUSB0`, `COM3`), 115200 8N1 by default. */
export async function openCp5200(uri: string, options: Cp5200ScreenOptions & { baudRate?: number } = {}): Promise<Cp5200Screen> {
  const { baudRate, ...screen } = options;
  const path = uri.startsWith('serial://') ? uri.slice('serial://'.length) : uri;
  try {
    return new Cp5200Screen(await openSerialPort(path, { baudRate: baudRate ?? CP5200_BAUD_RATE }), screen);
  } catch (e) {
    throw new ScreenError('SCREEN_CLOSED', `cannot open ${path}: ${(e as Error).message}`);
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
