/**
 * Driver for a window LED screen on a CP5200 controller (shared/reference/hall-devices.md §3) over a serial
 * Port (RS-232/485, 115200 8N1). Text goes out as CC 0x12 (plain text), split into packets when long; each
 * packet waits for the controller's reply.
 */
import { encodeGb2312 } from '../onbon/gb2312.js';
import { RequestReply } from '../screens/request-reply.js';
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

export class Cp5200Screen implements WindowScreen {
  private readonly parser = new FrameParser();
  private readonly link: RequestReply<Cp5200Packet, Cp5200Packet>;
  private readonly id: number;
  private readonly params: TextParams;
  private readonly maxPacketData: number;
  private current = '';

  constructor(port: Port, options: Cp5200ScreenOptions = {}) {
    const { id, timeoutMs, retries, maxPacketData, ...params } = options;
    this.id = id ?? 1;
    this.maxPacketData = maxPacketData ?? DEFAULT_MAX_PACKET_DATA;
    this.params = { ...DEFAULT_TEXT_PARAMS, ...definedOnly(params) };
    this.link = new RequestReply(port, {
      parser: this.parser,
      decode: (p: Cp5200Packet) => p,
      device: 'controller',
      address: this.id,
      broadcast: this.id === BROADCAST_ID,
      timeoutMs: timeoutMs ?? 1000,
      retries: retries ?? 1,
    });
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

  close(): Promise<void> {
    return this.link.close();
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
    return this.link.serialised(async () => {
      for (const [i, frame] of frames.entries()) {
        await this.link.request({
          frame,
          step: `${step} (packet ${i + 1}/${frames.length})`,
          // Replies start E8 (68 on older firmware). Their PO is not checked: firmware may not echo it.
          matches: (p) => (p.type === TYPE_REPLY || p.type === TYPE_COMMAND) && p.id === this.id,
          error: ({ flag }) =>
            flag === RESULT.ok ? undefined : { name: resultName(flag), lineDamage: flag === RESULT.checksumError },
        });
      }
    });
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
