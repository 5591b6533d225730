/**
 * A simulated CP5200 LED controller speaking shared/reference/hall-devices.md §3 on any Port (one end of a
 * socat pty pair at 115200). It joins multi-packet commands, keeps what it shows, renders it as LED dots, and
 * can answer with injected faults.
 */
import { decodeGb2312 } from '../onbon/gb2312.js';
import { type LedRenderOptions, renderLed } from '../screens/render-led.js';
import { SimLinks } from '../screens/sim-links.js';
import { openSerialPort, type Port } from '../serial/port.js';
import {
  BROADCAST_ID,
  CC,
  type Cp5200Packet,
  decodeTextData,
  encodeReply,
  FLAG_REPLY,
  FrameParser,
  PacketAssembler,
  RESULT,
  type TextParams,
  TYPE_COMMAND,
  TYPE_REPLY,
} from './codec.js';

export type Cp5200Fault =
  /** Answer result 1 (the packet arrived damaged); the packet is discarded. */
  | 'checksum-error'
  /** Answer result 2 (sequence error); the command being joined is discarded. */
  | 'sequence-error'
  /** Drop the packet as if it never arrived. */
  | 'no-reply'
  /** Take the packet, but damage the reply's checksum. */
  | 'corrupt-reply'
  /** Take the packet; send noise before the reply. */
  | 'garbage'
  /** Answer any result; the packet is discarded unless 0. */
  | { result: number };

export interface Cp5200HistoryEntry {
  at: Date;
  /** CC of the completed command. */
  cc: number;
  text?: string;
  params?: TextParams;
  /** Packets it came in. */
  packets: number;
}

export interface Cp5200SimulatorOptions {
  /** Controller ID (default 1); it also takes the broadcast ID FF. */
  id?: number;
  /** LEDs (default 192 × 32). */
  width?: number;
  height?: number;
  /** Reply type byte: E8 (default) or 68 (older firmware). */
  replyType?: number;
}

/** Noise sent before a reply by the 'garbage' fault: no A5, so the next frame is not disturbed. */
const NOISE = Buffer.from([0x00, 0xff, 0x13, 0xae, 0x42, 0xaa]);

export class Cp5200Simulator {
  /** What the screen shows now ('' when cleared); line breaks as \n. */
  text = '';
  params: TextParams | undefined;
  /** Completed commands. */
  readonly history: Cp5200HistoryEntry[] = [];
  /** Every packet received intact, in order. */
  readonly packets: Cp5200Packet[] = [];
  private readonly opts: Required<Cp5200SimulatorOptions>;
  private faults: Cp5200Fault[] = [];
  private readonly hub = new SimLinks<{ parser: FrameParser; assembler: PacketAssembler; off: () => void }>((port) =>
    this.attach(port),
  );

  constructor(options: Cp5200SimulatorOptions = {}) {
    this.opts = {
      id: options.id ?? 1,
      width: options.width ?? 192,
      height: options.height ?? 32,
      replyType: options.replyType ?? TYPE_REPLY,
    };
  }

  static async openSerial(path: string, options: Cp5200SimulatorOptions & { baudRate?: number } = {}): Promise<Cp5200Simulator> {
    const sim = new Cp5200Simulator(options);
    sim.attach(await openSerialPort(path, { baudRate: options.baudRate ?? 115200 }));
    return sim;
  }

  /** Speaks the protocol on a Port; returns a detach function. */
  attach(port: Port): () => void {
    const parser = new FrameParser();
    const assembler = new PacketAssembler();
    const off = port.onData((chunk) => {
      try {
        for (const parsed of parser.push(chunk)) if (parsed.ok) this.handle(port, assembler, parsed.packet);
      } catch {
        // a simulator never crashes on input
      }
    });
    this.hub.links.set(port, { parser, assembler, off });
    return () => this.hub.detach(port);
  }

  /** Also listens on TCP with the serial framing (handy for a desk demo; real CP5200 TCP adds its own header). */
  listen(port = 0, host = '127.0.0.1'): Promise<number> {
    return this.hub.listen(port, host);
  }

  get badFrames(): number {
    return this.hub.badFrames;
  }

  get skippedBytes(): number {
    return this.hub.skippedBytes;
  }

  /** Injects a fault for the next `times` packets. */
  inject(fault: Cp5200Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push(fault);
  }

  clearFaults(): void {
    this.faults = [];
  }

  sendRaw(bytes: Uint8Array): Promise<void> {
    return this.hub.sendRaw(bytes);
  }

  /** The shown text as LED dots (PNG); line breaks are drawn as spaces. */
  png(options: Partial<LedRenderOptions> = {}): Promise<Buffer> {
    const a = this.params?.align ?? 1;
    return renderLed(this.text.replace(/\s*\n\s*/g, ' '), {
      width: this.opts.width,
      height: this.opts.height,
      // Alignment codes are not in the reference: read 0 left, 1 centre, 2 right.
      align: a === 0 ? 'left' : a === 2 ? 'right' : 'center',
      ...options,
    });
  }

  close(): Promise<void> {
    return this.hub.close();
  }

  private handle(port: Port, assembler: PacketAssembler, packet: Cp5200Packet): void {
    if (packet.type !== TYPE_COMMAND) return; // a reply (or our own echo on a bus)
    if (packet.id !== this.opts.id && packet.id !== BROADCAST_ID) return;
    this.packets.push(packet);
    const fault = this.faults.shift();
    if (fault === 'no-reply') return;
    let result: number =
      fault === 'checksum-error'
        ? RESULT.checksumError
        : fault === 'sequence-error'
          ? RESULT.sequenceError
          : typeof fault === 'object'
            ? fault.result
            : RESULT.ok;
    if (fault === 'sequence-error') assembler.reset();
    if (result === RESULT.ok) {
      const step = assembler.push(packet.packetNo, packet.lastPacketNo, packet.data);
      result = step.result;
      if (step.complete) this.apply(step.complete, packet.lastPacketNo + 1);
    }
    if (!(packet.flag & FLAG_REPLY) || packet.id === BROADCAST_ID) return;
    let reply = encodeReply(this.opts.id, result, {
      packetNo: packet.packetNo,
      lastPacketNo: packet.lastPacketNo,
      data: packet.packetNo === 0 ? packet.data.subarray(0, 1) : new Uint8Array(0), // echo CC (the reply's data is not in the reference)
      type: this.opts.replyType,
    });
    if (fault === 'corrupt-reply') {
      reply = Buffer.from(reply);
      const i = reply.length - 2; // inside the checksummed, escaped body
      reply[i] = reply[i] === 0x77 ? 0x78 : 0x77;
    }
    if (fault === 'garbage') reply = Buffer.concat([NOISE, reply]);
    void port.write(reply).catch(() => undefined);
  }

  private apply(command: Buffer, packets: number): void {
    const entry: Cp5200HistoryEntry = { at: new Date(), cc: command[0] ?? -1, packets };
    if (command[0] === CC.text) {
      try {
        const { params, text } = decodeTextData(command);
        this.text = decodeGb2312(text, { newline: 0x0d });
        this.params = params;
        entry.text = this.text;
        entry.params = params;
      } catch {
        // malformed text data: recorded, not shown
      }
    }
    this.history.push(entry);
  }
}
