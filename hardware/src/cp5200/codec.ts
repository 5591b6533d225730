/**
 * Pure codec for the CP5200 "External Calls Communication Protocol" of LED controllers, serial form
 * (shared/reference/hall-devices.md §3, the source of truth).
 *
 * Frame:    A5 | escapeBytes(68 32 ID 7B FLAG LL LH PO TP CC… SL SH) | AE
 *           ID 1–254 (FF broadcast); FLAG bit 0 = reply wanted; LL LH = length of CC… (little-endian);
 *           PO / TP = this packet's number / the last packet's number (0 / 0 for a single packet).
 * Checksum: 16-bit sum of every byte from 68 through the last data byte, sent low byte first.
 * Escape:   applied after the checksum: A5 → AA 05, AE → AA 0E, AA → AA 0A.
 * Reply:    E8 (older firmware: 68) in place of 68 and a result byte in place of FLAG
 *           (0 OK, 1 checksum error, 2 sequence error).
 * CC 0x12:  plain text `12 window effect align speed stay_u16BE font R G B text… 00`.
 */
import { DelimitedFrameParser, type Parsed } from '../screens/delimited-parser.js';

export const FRAME_START = 0xa5;
export const FRAME_END = 0xae;
export const ESCAPE = 0xaa;
/** First byte of a command, and of a reply from older firmware. */
export const TYPE_COMMAND = 0x68;
export const TYPE_REPLY = 0xe8;
export const CARD_TYPE = 0x32;
export const PROTOCOL_CODE = 0x7b;
export const BROADCAST_ID = 0xff;
export const FLAG_REPLY = 0x01;
/** 68 32 ID 7B FLAG LL LH PO TP. */
export const HEADER_LENGTH = 9;
/** Largest escaped body the parser buffers before giving up on a frame. */
export const MAX_ESCAPED_BODY = 0x20000;
/** Data bytes per packet when a command is split (200, as a public CP5200 sender splits pictures). */
export const DEFAULT_MAX_PACKET_DATA = 200;

export const CC = { text: 0x12 } as const;

export const RESULT = { ok: 0, checksumError: 1, sequenceError: 2 } as const;

const RESULT_NAMES: Record<number, string> = { 0: 'OK', 1: 'CHECKSUM_ERROR', 2: 'SEQUENCE_ERROR' };

/** 1 → 'CHECKSUM_ERROR', 2 → 'SEQUENCE_ERROR', 9 → 'RESULT_0x09'. */
export function resultName(result: number): string {
  return RESULT_NAMES[result] ?? `RESULT_0x${hex(result)}`;
}

export type FrameErrorCode = 'BAD_ESCAPE' | 'BAD_TYPE' | 'BAD_LENGTH' | 'BAD_CHECKSUM' | 'TRUNCATED' | 'TOO_LONG';

export class FrameError extends Error {
  readonly code: FrameErrorCode;
  constructor(code: FrameErrorCode, message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}

export function checksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum = (sum + (bytes[i] as number)) & 0xffff;
  return sum;
}

export function escapeBytes(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b === 0xa5) out.push(ESCAPE, 0x05);
    else if (b === 0xae) out.push(ESCAPE, 0x0e);
    else if (b === 0xaa) out.push(ESCAPE, 0x0a);
    else out.push(b);
  }
  return Buffer.from(out);
}

/** Reverses escapeBytes(); a delimiter, or AA not followed by 05/0E/0A, is a FrameError BAD_ESCAPE. */
export function unescapeBytes(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === FRAME_START || b === FRAME_END) throw new FrameError('BAD_ESCAPE', `delimiter ${hex(b)} inside a frame at ${i}`);
    if (b !== ESCAPE) {
      out.push(b);
      continue;
    }
    const next = bytes[++i];
    if (next === 0x05) out.push(0xa5);
    else if (next === 0x0e) out.push(0xae);
    else if (next === 0x0a) out.push(0xaa);
    else throw new FrameError('BAD_ESCAPE', `AA at ${i - 1} followed by ${next === undefined ? 'nothing' : hex(next)}`);
  }
  return Buffer.from(out);
}

export interface Cp5200Packet {
  /** 68 (command, or a reply of older firmware) or E8 (reply). */
  type: number;
  /** 32. */
  cardType: number;
  id: number;
  /** 7B. */
  protocol: number;
  /** Command: FLAG (bit 0 = reply wanted). Reply: the result (0 OK, 1 checksum error, 2 sequence error). */
  flag: number;
  packetNo: number;
  lastPacketNo: number;
  data: Buffer;
}

export type Cp5200PacketInit = Pick<Cp5200Packet, 'id' | 'flag' | 'data'> & Partial<Omit<Cp5200Packet, 'id' | 'flag' | 'data'>>;

/** The unescaped body: header, data, checksum. */
export function encodeBody(p: Cp5200PacketInit): Buffer {
  if (p.data.length > 0xffff) throw new RangeError('CP5200 packet data longer than 65535 bytes');
  const b = Buffer.alloc(HEADER_LENGTH + p.data.length + 2);
  b[0] = p.type ?? TYPE_COMMAND;
  b[1] = p.cardType ?? CARD_TYPE;
  b[2] = p.id;
  b[3] = p.protocol ?? PROTOCOL_CODE;
  b[4] = p.flag;
  b.writeUInt16LE(p.data.length, 5);
  b[7] = p.packetNo ?? 0;
  b[8] = p.lastPacketNo ?? 0;
  Buffer.from(p.data).copy(b, HEADER_LENGTH);
  b.writeUInt16LE(checksum(b, 0, b.length - 2), b.length - 2);
  return b;
}

export function encodePacket(p: Cp5200PacketInit): Buffer {
  return Buffer.concat([Buffer.from([FRAME_START]), escapeBytes(encodeBody(p)), Buffer.from([FRAME_END])]);
}

/** Decodes the escaped bytes between A5 and AE. */
export function decodeBody(escaped: Uint8Array): Cp5200Packet {
  const b = unescapeBytes(escaped);
  if (b.length < HEADER_LENGTH + 2)
    throw new FrameError('BAD_LENGTH', `${b.length} bytes are shorter than a header and a checksum`);
  const type = b[0] as number;
  if (type !== TYPE_COMMAND && type !== TYPE_REPLY)
    throw new FrameError('BAD_TYPE', `packet type ${hex(type)} is neither 68 nor E8`);
  const len = b.readUInt16LE(5);
  if (b.length !== HEADER_LENGTH + len + 2) {
    throw new FrameError('BAD_LENGTH', `length ${len} does not match a body of ${b.length} bytes`);
  }
  const sum = checksum(b, 0, b.length - 2);
  const sent = b.readUInt16LE(b.length - 2);
  if (sum !== sent) throw new FrameError('BAD_CHECKSUM', `checksum ${hex(sent, 4)} should be ${hex(sum, 4)}`);
  return {
    type,
    cardType: b[1] as number,
    id: b[2] as number,
    protocol: b[3] as number,
    flag: b[4] as number,
    packetNo: b[7] as number,
    lastPacketNo: b[8] as number,
    data: Buffer.from(b.subarray(HEADER_LENGTH, HEADER_LENGTH + len)),
  };
}

/** Decodes one complete frame A5 … AE. */
export function decodePacket(frame: Uint8Array): Cp5200Packet {
  if (frame[0] !== FRAME_START || frame[frame.length - 1] !== FRAME_END || frame.length < 2) {
    throw new FrameError('TRUNCATED', 'a frame runs from A5 to AE');
  }
  return decodeBody(frame.subarray(1, frame.length - 1));
}

// ---- CC 0x12: plain text ----

export interface TextParams {
  /** Window number (0 = the first). */
  window: number;
  /** Effect code (0 in the document's example). */
  effect: number;
  /** Alignment code (1 in the document's example; read as centred by the simulator; confirm on hardware). */
  align: number;
  speed: number;
  /** Stay time (u16, sent big-endian; seconds). */
  stay: number;
  /** Font code (2 in the document's example). */
  font: number;
  color: readonly [number, number, number];
}

/** The parameters of the document's example. */
export const DEFAULT_TEXT_PARAMS: TextParams = {
  window: 0,
  effect: 0,
  align: 1,
  speed: 0,
  stay: 3,
  font: 2,
  color: [0xff, 0x00, 0x00],
};

/** The CC 0x12 data: `12 window effect align speed stay_u16BE font R G B text… 00`; text must not contain 00. */
export function encodeTextData(text: Uint8Array, params: Partial<TextParams> = {}): Buffer {
  const p = { ...DEFAULT_TEXT_PARAMS, ...params };
  if (text.includes(0)) throw new RangeError('CP5200 text cannot contain 00 (its terminator)');
  const head = Buffer.from([
    CC.text,
    p.window,
    p.effect,
    p.align,
    p.speed,
    (p.stay >> 8) & 0xff,
    p.stay & 0xff,
    p.font,
    ...p.color,
  ]);
  return Buffer.concat([head, Buffer.from(text), Buffer.from([0])]);
}

export function decodeTextData(data: Uint8Array): { params: TextParams; text: Buffer } {
  const d = Buffer.from(data);
  if (d[0] !== CC.text)
    throw new FrameError('BAD_TYPE', `CC ${d[0] === undefined ? 'missing' : hex(d[0])} is not 12 (plain text)`);
  if (d.length < 12 || d[d.length - 1] !== 0) throw new FrameError('BAD_LENGTH', 'plain text data does not end with 00');
  const text = d.subarray(11, d.length - 1);
  if (text.includes(0)) throw new FrameError('BAD_LENGTH', 'plain text data has a 00 before its end');
  return {
    params: {
      window: d[1] as number,
      effect: d[2] as number,
      align: d[3] as number,
      speed: d[4] as number,
      stay: d.readUInt16BE(5),
      font: d[7] as number,
      color: [d[8] as number, d[9] as number, d[10] as number],
    },
    text: Buffer.from(text),
  };
}

export interface CommandOptions {
  /** Ask for a reply (FLAG bit 0; default true). */
  reply?: boolean;
  /** Data bytes per packet (default 200); longer commands go out as packets PO 0…TP. */
  maxPacketData?: number;
}

/**
 * Frames for one command (CC and its data), split into packets of at most maxPacketData bytes when needed:
 * each packet carries the next slice of the data, PO counting up to TP; only the first begins with CC.
 */
export function encodeCommandFrames(id: number, data: Uint8Array, options: CommandOptions = {}): Buffer[] {
  const max = options.maxPacketData ?? DEFAULT_MAX_PACKET_DATA;
  if (!Number.isInteger(max) || max < 1 || max > 0xffff) throw new RangeError(`maxPacketData ${max} is not 1–65535`);
  const count = Math.max(1, Math.ceil(data.length / max));
  if (count > 256) throw new RangeError(`${data.length} bytes need ${count} packets; PO/TP allow 256`);
  const flag = options.reply === false ? 0 : FLAG_REPLY;
  const frames: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const slice = Buffer.from(data.subarray(i * max, (i + 1) * max));
    frames.push(encodePacket({ id, flag, packetNo: i, lastPacketNo: count - 1, data: slice }));
  }
  return frames;
}

/** The frames showing `text` (GB2312 bytes; see encodeGb2312) with CC 0x12. */
export function encodeTextFrames(
  id: number,
  text: Uint8Array,
  params: Partial<TextParams> = {},
  options: CommandOptions = {},
): Buffer[] {
  return encodeCommandFrames(id, encodeTextData(text, params), options);
}

export interface ReplyOptions {
  packetNo?: number;
  lastPacketNo?: number;
  /** Reply data (default none; the simulator echoes the CC). */
  data?: Uint8Array | readonly number[];
  /** E8 (default) or 68 (older firmware). */
  type?: number;
}

export function encodeReply(id: number, result: number, options: ReplyOptions = {}): Buffer {
  return encodePacket({
    type: options.type ?? TYPE_REPLY,
    id,
    flag: result,
    packetNo: options.packetNo ?? 0,
    lastPacketNo: options.lastPacketNo ?? 0,
    data: Buffer.from(options.data ?? new Uint8Array(0)),
  });
}

// ---- reassembly of multi-packet commands (the controller's side) ----

export interface AssemblyStep {
  /** What the controller answers to this packet. */
  result: number;
  /** The whole command (CC and data) once its last packet arrived. */
  complete?: Buffer;
  /** A packet sent again (its reply was lost): acknowledged, not appended. */
  duplicate?: boolean;
}

/**
 * Joins the packets of one command. PO 0 always starts over; the next PO is appended; the previous PO again
 * (a resend after a lost reply) is acknowledged without appending; anything else is a sequence error.
 */
export class PacketAssembler {
  private parts: Buffer[] = [];
  private expected = 0;
  private last = -1;

  push(packetNo: number, lastPacketNo: number, data: Uint8Array): AssemblyStep {
    if (packetNo > lastPacketNo) return this.fail();
    if (packetNo === 0) {
      this.parts = [];
      this.expected = 0;
      this.last = lastPacketNo;
    } else if (lastPacketNo !== this.last) {
      return this.fail();
    } else if (packetNo === this.expected - 1) {
      return { result: RESULT.ok, duplicate: true };
    } else if (packetNo !== this.expected) {
      return this.fail();
    }
    this.parts.push(Buffer.from(data));
    this.expected = packetNo + 1;
    if (packetNo < lastPacketNo) return { result: RESULT.ok };
    const complete = Buffer.concat(this.parts);
    this.parts = [];
    // expected stays at last + 1, so a resend of the last packet is a duplicate
    return { result: RESULT.ok, complete };
  }

  reset(): void {
    this.parts = [];
    this.expected = 0;
    this.last = -1;
  }

  private fail(): AssemblyStep {
    this.reset();
    return { result: RESULT.sequenceError };
  }
}

// ---- the stream parser ----

export type ParsedFrame = Parsed<Cp5200Packet, FrameError>;

/** Finds frames in a byte stream, either direction (screens/delimited-parser.ts): A5 opens, AE closes. */
export class FrameParser extends DelimitedFrameParser<Cp5200Packet, FrameError> {
  constructor() {
    super({
      start: FRAME_START,
      end: FRAME_END,
      maxBody: MAX_ESCAPED_BODY,
      endName: 'AE',
      decode: decodeBody,
      error: (code, message) => new FrameError(code, message),
      isError: (e): e is FrameError => e instanceof FrameError,
    });
  }
}

function hex(n: number, digits = 2): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}
