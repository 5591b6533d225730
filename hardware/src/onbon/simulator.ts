/**
 * A simulated Onbon BX-5K/6K window strip speaking shared/reference/hall-devices.md §2 over TCP (listen on
 * port 0 for tests, 5005 like the real one) and over any Port (one end of a socat pty pair at 57600).
 * It keeps what it shows, renders it as LED dots, and can answer with injected faults.
 */
import { type LedRenderOptions, renderLed } from '../screens/render-led.js';
import { SimLinks } from '../screens/sim-links.js';
import { openSerialPort, type Port } from '../serial/port.js';
import {
  ALIGN,
  BROADCAST_SETTING,
  CMD,
  type DynamicArea,
  decodeCommand,
  decodeDynamicTextPayload,
  encodeReply,
  FrameParser,
  ONBON_ERROR,
  type OnbonCommand,
  type OnbonPacket,
} from './codec.js';
import { decodeGb2312 } from './gb2312.js';

export type OnbonFault =
  /** Answer CmdError 3 (busy); the command is not carried out. */
  | 'busy'
  /** Answer CmdError 5 (the frame arrived damaged); not carried out. */
  | 'crc-error'
  /** Answer CmdError 0x0C (font missing); not carried out. */
  | 'font-missing'
  /** Drop the command as if it never arrived: no reply, not carried out. */
  | 'no-reply'
  /** Carry it out, but damage the reply's CRC. */
  | 'corrupt-reply'
  /** Carry it out; send noise before the reply. */
  | 'garbage'
  /** Answer any CmdError; not carried out unless 0. */
  | { error: number };

export type OnbonCommandName = 'text' | 'clear' | 'ping' | 'status' | 'any';

export interface OnbonHistoryEntry {
  at: Date;
  /** 'A3 06' etc. */
  command: string;
  name: OnbonCommandName;
  /** For text: what was shown (decoded from GB2312). */
  text?: string;
  area?: DynamicArea;
  /** CmdError answered (undefined when no reply was sent). */
  error?: number;
  /** Whether the screen now shows it. */
  applied: boolean;
}

export interface OnbonSimulatorOptions {
  /** Screen number it answers to (default 1), besides the broadcast addresses FFFE/FFFF. */
  address?: number;
  /** LEDs (default 192 × 32). */
  width?: number;
  height?: number;
  /** DeviceType in its replies (default 0x51, a BX-5K1; the host sends the FE wildcard). */
  deviceType?: number;
  /** Status reply payload (its layout is not in the reference; default empty). */
  statusPayload?: Uint8Array;
}

/** Noise sent before a reply by the 'garbage' fault: no A5, so the next frame is not disturbed. */
const NOISE = Buffer.from([0x00, 0xff, 0x13, 0x5a, 0x42, 0x10]);

export class OnbonSimulator {
  /** What the screen shows now ('' when cleared). */
  text = '';
  /** The area the text was shown in. */
  area: DynamicArea | undefined;
  readonly history: OnbonHistoryEntry[] = [];
  private readonly opts: Required<Omit<OnbonSimulatorOptions, 'statusPayload'>> & { statusPayload: Uint8Array };
  private faults: { fault: OnbonFault; on: OnbonCommandName }[] = [];
  private readonly hub = new SimLinks<{ parser: FrameParser; off: () => void }>((port) => this.attach(port));

  constructor(options: OnbonSimulatorOptions = {}) {
    this.opts = {
      address: options.address ?? 1,
      width: options.width ?? 192,
      height: options.height ?? 32,
      deviceType: options.deviceType ?? 0x51,
      statusPayload: options.statusPayload ?? new Uint8Array(0),
    };
  }

  /** A simulator answering on a serial line (e.g. one end of a socat pair). */
  static async openSerial(path: string, options: OnbonSimulatorOptions & { baudRate?: number } = {}): Promise<OnbonSimulator> {
    const sim = new OnbonSimulator(options);
    sim.attach(await openSerialPort(path, { baudRate: options.baudRate ?? 57600 }));
    return sim;
  }

  /** Speaks the protocol on a Port; returns a detach function. */
  attach(port: Port): () => void {
    const parser = new FrameParser();
    const off = port.onData((chunk) => {
      try {
        for (const parsed of parser.push(chunk)) if (parsed.ok) this.handle(port, parsed.packet);
      } catch {
        // a simulator never crashes on input
      }
    });
    this.hub.links.set(port, { parser, off });
    return () => this.hub.detach(port);
  }

  /** Listens on TCP (port 0: any free port); resolves with the port. */
  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return this.hub.listen(port, host);
  }

  get port(): number {
    const port = this.hub.port;
    if (port === undefined) throw new Error('the Onbon simulator is not listening');
    return port;
  }

  get uri(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  /** Damaged frames received (bad escape, length, CRC, cut short), on every link so far. */
  get badFrames(): number {
    return this.hub.badFrames;
  }

  /** Noise bytes received outside frames. */
  get skippedBytes(): number {
    return this.hub.skippedBytes;
  }

  /** Injects a fault for the next `times` matching commands. */
  inject(fault: OnbonFault, on: OnbonCommandName = 'any', times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ fault, on });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Sends raw bytes to every link (noise on the line). */
  sendRaw(bytes: Uint8Array): Promise<void> {
    return this.hub.sendRaw(bytes);
  }

  /** The shown text as LED dots (PNG). */
  png(options: Partial<LedRenderOptions> = {}): Promise<Buffer> {
    const h = (this.area?.align ?? ALIGN.center) & 0x03;
    return renderLed(this.text.replace(/\s*\n\s*/g, ' '), {
      width: this.opts.width,
      height: this.opts.height,
      align: h === ALIGN.hCenter ? 'center' : h === ALIGN.right ? 'right' : 'left',
      ...options,
    });
  }

  close(): Promise<void> {
    return this.hub.close();
  }

  private takeFault(name: OnbonCommandName): OnbonFault | undefined {
    const i = this.faults.findIndex((f) => f.on === 'any' || f.on === name);
    return i < 0 ? undefined : this.faults.splice(i, 1)[0]?.fault;
  }

  private handle(port: Port, packet: OnbonPacket): void {
    if (packet.dst !== this.opts.address && packet.dst < BROADCAST_SETTING) return; // another screen on the bus
    let command: OnbonCommand;
    try {
      command = decodeCommand(packet);
    } catch {
      return;
    }
    const code = `${hex(command.group)} ${hex(command.cmd)}`;
    const name = commandName(command);
    const entry: OnbonHistoryEntry = { at: new Date(), command: code, name, applied: false };
    this.history.push(entry);
    const fault = this.takeFault(name);
    if (fault === 'no-reply') return;
    const injected =
      fault === 'busy'
        ? ONBON_ERROR.busy
        : fault === 'crc-error'
          ? ONBON_ERROR.crcError
          : fault === 'font-missing'
            ? ONBON_ERROR.fontMissing
            : typeof fault === 'object'
              ? fault.error
              : undefined;
    let error: number = injected ?? ONBON_ERROR.ok;
    if (injected === undefined || injected === ONBON_ERROR.ok) error = this.apply(command, entry);
    if (!command.replyWanted) return;
    entry.error = error;
    const payload = name === 'status' && error === ONBON_ERROR.ok ? this.opts.statusPayload : undefined;
    let reply = encodeReply(this.opts.address, [command.group, command.cmd], error, payload, {
      dst: packet.src,
      deviceType: this.opts.deviceType,
    });
    if (fault === 'corrupt-reply') {
      reply = Buffer.from(reply);
      // Any change inside the body that does not make a new A5 is detected (see codec.test.ts).
      const i = reply.length - 2;
      reply[i] = reply[i] === 0x77 ? 0x78 : 0x77;
    }
    if (fault === 'garbage') reply = Buffer.concat([NOISE, reply]);
    void port.write(reply).catch(() => undefined);
  }

  /** Carries a command out; returns the CmdError to answer. */
  private apply(command: OnbonCommand, entry: OnbonHistoryEntry): number {
    switch (entry.name) {
      case 'ping':
      case 'status':
        entry.applied = true;
        return ONBON_ERROR.ok;
      case 'clear':
        this.text = '';
        entry.applied = true;
        return ONBON_ERROR.ok;
      case 'text': {
        let decoded: ReturnType<typeof decodeDynamicTextPayload>;
        try {
          decoded = decodeDynamicTextPayload(command.payload);
        } catch {
          return ONBON_ERROR.noSuchCommand; // a sound frame whose payload does not parse: a host bug, not the line
        }
        const update = decoded.updates[decoded.updates.length - 1];
        if (update) {
          this.text = decodeGb2312(update.text);
          this.area = update.area;
          entry.text = this.text;
          entry.area = update.area;
        }
        entry.applied = true;
        return ONBON_ERROR.ok;
      }
      default:
        return ONBON_ERROR.noSuchCommand;
    }
  }
}

function commandName(c: OnbonCommand): OnbonCommandName {
  const is = ([g, k]: readonly [number, number]) => c.group === g && c.cmd === k;
  if (is(CMD.dynamicText)) return 'text';
  if (is(CMD.clear)) return 'clear';
  if (is(CMD.ping)) return 'ping';
  if (is(CMD.status)) return 'status';
  return 'any';
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
