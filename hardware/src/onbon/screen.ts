/**
 * Driver for an Onbon BX-5K/6K window LED strip (shared/reference/hall-devices.md §2) over any Port:
 * serial 57600 8N1 or TCP (port 5005). One command at a time; each waits for the screen's reply.
 */
import net from 'node:net';
import { RequestReply } from '../screens/request-reply.js';
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
  type OnbonPacket,
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

export class OnbonScreen implements WindowScreen {
  private readonly parser = new FrameParser();
  private readonly link: RequestReply<OnbonPacket, OnbonReply>;
  private readonly address: number;
  private readonly area: DynamicArea;

  constructor(port: Port, options: OnbonScreenOptions) {
    const { screenAddress, width, height, timeoutMs, retries, ...layout } = options;
    this.address = screenAddress ?? 1;
    const x = layout.x ?? 0;
    const y = layout.y ?? 0;
    this.area = { ...DEFAULT_AREA, ...definedOnly(layout), x, y, width: width - x, height: height - y, type: 0, voice: 0 };
    if (this.area.x % 8 !== 0 || this.area.width % 8 !== 0 || this.area.width <= 0 || this.area.height <= 0) {
      throw new RangeError(
        `Onbon area ${this.area.x},${this.area.y} ${this.area.width}×${this.area.height}: x and width must be multiples of 8`,
      );
    }
    this.link = new RequestReply(port, {
      parser: this.parser,
      decode: decodeReply,
      device: 'screen',
      address: this.address,
      broadcast: !this.wantsReply,
      timeoutMs: timeoutMs ?? 1000,
      retries: retries ?? 1,
    });
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
    return this.command(frame, CMD.dynamicText, 'show').then(() => undefined);
  }

  clear(): Promise<void> {
    const frame = encodeClear(this.address, { reply: this.wantsReply });
    return this.command(frame, CMD.clear, 'clear').then(() => undefined);
  }

  ping(): Promise<void> {
    if (!this.wantsReply)
      return Promise.reject(new ScreenError('SCREEN_REFUSED', 'a broadcast address cannot be pinged', 'BROADCAST'));
    return this.command(encodeCommand(this.address, CMD.ping), CMD.ping, 'ping').then(() => undefined);
  }

  /** The status reply's payload, undecoded (its layout is not in the reference). */
  status(): Promise<Buffer> {
    if (!this.wantsReply)
      return Promise.reject(new ScreenError('SCREEN_REFUSED', 'a broadcast address cannot be queried', 'BROADCAST'));
    return this.command(encodeCommand(this.address, CMD.status), CMD.status, 'status').then((r) => r?.payload ?? Buffer.alloc(0));
  }

  close(): Promise<void> {
    return this.link.close();
  }

  private get wantsReply(): boolean {
    return this.address < BROADCAST_SETTING;
  }

  /** Sends a frame, after earlier commands, and waits for the reply of the same CmdGroup/Cmd; undefined for broadcasts. */
  private command(frame: Buffer, [group, cmd]: readonly [number, number], step: string): Promise<OnbonReply | undefined> {
    return this.link.serialised(() =>
      this.link.request({
        frame,
        step,
        matches: (reply) => reply.group === group && reply.cmd === cmd,
        error: ({ error }) =>
          error === ONBON_ERROR.ok ? undefined : { name: errorName(error), lineDamage: error === ONBON_ERROR.crcError },
      }),
    );
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
