/**
 * Pure codec for the Onbon BX-5K/6K "字库卡" protocol of window LED strips
 * (shared/reference/hall-devices.md §2, the source of truth).
 *
 * Frame:  A5 ×8 | escapeBytes(header ‖ data ‖ CRC16) | 5A
 * Header: 14 bytes little-endian: DstAddr u16, SrcAddr u16 (host 0x8000), 6 reserved bytes (3 reserved, barcode,
 *         check mode, display mode), DeviceType (FE = any), ProtocolVersion (02), DataLen u16.
 * Data:   command `CmdGroup Cmd Reply(01 reply / 02 none) R R payload…`; reply `CmdGroup Cmd CmdError R R payload…`.
 * CRC:    CRC-16/ARC (poly 0xA001 reflected, init 0) over header ‖ data, sent low byte first.
 * Escape: A5 → A6 02, A6 → A6 01, 5A → 5B 02, 5B → 5B 01 (so A5 and 5A only ever delimit frames).
 */
import { DelimitedFrameParser, type Parsed } from '../screens/delimited-parser.js';

export const FRAME_START = 0xa5;
export const FRAME_END = 0x5a;
/** A5 bytes sent before each frame; the parser accepts any run of one or more. */
export const PREAMBLE_LENGTH = 8;
export const HEADER_LENGTH = 14;
/** Source address of the host (PC); replies are addressed to it. */
export const HOST_ADDRESS = 0x8000;
/** Destination addresses every screen accepts (FFFF: broadcast for timing, FFFE: broadcast for settings). */
export const BROADCAST_TIMING = 0xffff;
export const BROADCAST_SETTING = 0xfffe;
/** DeviceType wildcard: any controller model. */
export const DEVICE_TYPE_ANY = 0xfe;
export const PROTOCOL_VERSION = 0x02;
/** Largest escaped body the parser buffers before giving up on a frame (controllers take ≤ 1024 unescaped). */
export const MAX_ESCAPED_BODY = 4096;
/** Largest header ‖ data ‖ CRC a controller accepts (its receive buffer, per BX4K.h). */
export const MAX_PACKET = 1024;

/** Commands as [CmdGroup, Cmd]. */
export const CMD = {
  /** A2 00: ping, the screen answers. */
  ping: [0xa2, 0x00],
  /** A1 02: status query. */
  status: [0xa1, 0x02],
  /** A3 10: clear the screen. */
  clear: [0xa3, 0x10],
  /** A3 06: dynamic-area text (实时显示区域). */
  dynamicText: [0xa3, 0x06],
} as const satisfies Record<string, readonly [number, number]>;

export const REPLY_WANTED = 0x01;
export const REPLY_NONE = 0x02;

/** CmdError values of a reply (BX-5K documentation; BX4K.h). */
export const ONBON_ERROR = {
  ok: 0x00,
  badCommandGroup: 0x01,
  noSuchCommand: 0x02,
  busy: 0x03,
  outOfMemory: 0x04,
  crcError: 0x05,
  fileNotFound: 0x06,
  flashError: 0x07,
  fileDownloadError: 0x08,
  badFileName: 0x09,
  badFileType: 0x0a,
  fileCrcError: 0x0b,
  fontMissing: 0x0c,
  firmwareMismatch: 0x0d,
  badDateTime: 0x0e,
  fileExists: 0x0f,
  badFileBlock: 0x10,
} as const;

const ERROR_NAMES: Record<number, string> = {
  0: 'OK',
  1: 'BAD_COMMAND_GROUP',
  2: 'NO_SUCH_COMMAND',
  3: 'BUSY',
  4: 'OUT_OF_MEMORY',
  5: 'CRC_ERROR',
  6: 'FILE_NOT_FOUND',
  7: 'FLASH_ERROR',
  8: 'FILE_DOWNLOAD_ERROR',
  9: 'BAD_FILE_NAME',
  10: 'BAD_FILE_TYPE',
  11: 'FILE_CRC_ERROR',
  12: 'FONT_MISSING',
  13: 'FIRMWARE_MISMATCH',
  14: 'BAD_DATE_TIME',
  15: 'FILE_EXISTS',
  16: 'BAD_FILE_BLOCK',
};

/** The name of a CmdError, e.g. 3 → 'BUSY', 0x0C → 'FONT_MISSING', 0x42 → 'ERROR_0x42'. */
export function errorName(code: number): string {
  return ERROR_NAMES[code] ?? `ERROR_0x${hex(code)}`;
}

export type FrameErrorCode = 'BAD_ESCAPE' | 'BAD_LENGTH' | 'BAD_CRC' | 'TRUNCATED' | 'TOO_LONG';

export class FrameError extends Error {
  readonly code: FrameErrorCode;
  constructor(code: FrameErrorCode, message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}

/** CRC-16/ARC: reflected poly 0xA001, init 0, no final xor. */
const CRC_TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ (CRC_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number);
  return crc;
}

export function escapeBytes(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of bytes) {
    if (b === 0xa5) out.push(0xa6, 0x02);
    else if (b === 0xa6) out.push(0xa6, 0x01);
    else if (b === 0x5a) out.push(0x5b, 0x02);
    else if (b === 0x5b) out.push(0x5b, 0x01);
    else out.push(b);
  }
  return Buffer.from(out);
}

/** Reverses escapeBytes(); a delimiter, or A6/5B not followed by 01/02, is a FrameError BAD_ESCAPE. */
export function unescapeBytes(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (b === FRAME_START || b === FRAME_END) throw new FrameError('BAD_ESCAPE', `delimiter ${hex(b)} inside a frame at ${i}`);
    if (b !== 0xa6 && b !== 0x5b) {
      out.push(b);
      continue;
    }
    const next = bytes[i + 1];
    if (next !== 0x01 && next !== 0x02) {
      throw new FrameError('BAD_ESCAPE', `${hex(b)} at ${i} followed by ${next === undefined ? 'nothing' : hex(next)}`);
    }
    out.push(b === 0xa6 ? (next === 0x02 ? 0xa5 : 0xa6) : next === 0x02 ? 0x5a : 0x5b);
    i++;
  }
  return Buffer.from(out);
}

export interface OnbonPacket {
  dst: number;
  src: number;
  deviceType: number;
  protocolVersion: number;
  /** The 6 bytes between SrcAddr and DeviceType (3 reserved, barcode, check mode, display mode); all 0 when sent. */
  reserved: Buffer;
  data: Buffer;
}

export type OnbonPacketInit = Pick<OnbonPacket, 'dst' | 'data'> & Partial<Omit<OnbonPacket, 'dst' | 'data'>>;

/** header ‖ data ‖ CRC, unescaped: what the CRC and the escaping work on. */
export function encodeBody(p: OnbonPacketInit): Buffer {
  if (p.data.length > 0xffff) throw new RangeError('Onbon data longer than 65535 bytes');
  const body = Buffer.alloc(HEADER_LENGTH + p.data.length + 2);
  body.writeUInt16LE(p.dst & 0xffff, 0);
  body.writeUInt16LE((p.src ?? HOST_ADDRESS) & 0xffff, 2);
  if (p.reserved) Buffer.from(p.reserved).copy(body, 4, 0, 6);
  body[10] = p.deviceType ?? DEVICE_TYPE_ANY;
  body[11] = p.protocolVersion ?? PROTOCOL_VERSION;
  body.writeUInt16LE(p.data.length, 12);
  Buffer.from(p.data).copy(body, HEADER_LENGTH);
  body.writeUInt16LE(crc16(body, 0, body.length - 2), body.length - 2);
  return body;
}

/** A complete frame: A5 ×8, the escaped body, 5A. */
export function encodePacket(p: OnbonPacketInit): Buffer {
  return Buffer.concat([Buffer.alloc(PREAMBLE_LENGTH, FRAME_START), escapeBytes(encodeBody(p)), Buffer.from([FRAME_END])]);
}

/** Decodes an escaped body (the bytes between the last A5 and the 5A), checking length and CRC. */
export function decodeBody(escaped: Uint8Array): OnbonPacket {
  const body = unescapeBytes(escaped);
  if (body.length < HEADER_LENGTH + 2) {
    throw new FrameError('BAD_LENGTH', `${body.length} bytes are shorter than a header and a CRC`);
  }
  const dataLen = body.readUInt16LE(12);
  if (body.length !== HEADER_LENGTH + dataLen + 2) {
    throw new FrameError('BAD_LENGTH', `DataLen ${dataLen} does not match a body of ${body.length} bytes`);
  }
  const crc = crc16(body, 0, body.length - 2);
  const sent = body.readUInt16LE(body.length - 2);
  if (crc !== sent) throw new FrameError('BAD_CRC', `CRC ${hex(sent, 4)} should be ${hex(crc, 4)}`);
  return {
    dst: body.readUInt16LE(0),
    src: body.readUInt16LE(2),
    reserved: Buffer.from(body.subarray(4, 10)),
    deviceType: body[10] as number,
    protocolVersion: body[11] as number,
    data: Buffer.from(body.subarray(HEADER_LENGTH, HEADER_LENGTH + dataLen)),
  };
}

/** Decodes one complete frame: one or more A5, the escaped body, 5A. */
export function decodePacket(frame: Uint8Array): OnbonPacket {
  let start = 0;
  while (frame[start] === FRAME_START) start++;
  if (start === 0) throw new FrameError('TRUNCATED', 'frame does not start with A5');
  if (frame[frame.length - 1] !== FRAME_END) throw new FrameError('TRUNCATED', 'frame does not end with 5A');
  return decodeBody(frame.subarray(start, frame.length - 1));
}

// ---- commands and replies ----

export interface OnbonCommand {
  group: number;
  cmd: number;
  replyWanted: boolean;
  payload: Buffer;
}

export interface OnbonReply {
  group: number;
  cmd: number;
  /** CmdError: 0 OK, see ONBON_ERROR / errorName(). */
  error: number;
  payload: Buffer;
}

export interface CommandOptions {
  /** Ask the screen to answer (default true). */
  reply?: boolean;
  src?: number;
  deviceType?: number;
}

/** A command frame to a screen (`address`: its screen number, or a broadcast address). */
export function encodeCommand(
  address: number,
  [group, cmd]: readonly [number, number],
  payload: Uint8Array = new Uint8Array(0),
  options: CommandOptions = {},
): Buffer {
  const data = Buffer.concat([
    Buffer.from([group, cmd, options.reply === false ? REPLY_NONE : REPLY_WANTED, 0, 0]),
    Buffer.from(payload),
  ]);
  const p: OnbonPacketInit = { dst: address, data };
  if (options.src !== undefined) p.src = options.src;
  if (options.deviceType !== undefined) p.deviceType = options.deviceType;
  return encodePacket(p);
}

export function decodeCommand(packet: OnbonPacket): OnbonCommand {
  const d = packet.data;
  if (d.length < 5) throw new FrameError('BAD_LENGTH', `command data of ${d.length} bytes is shorter than 5`);
  return { group: d[0] as number, cmd: d[1] as number, replyWanted: d[2] !== REPLY_NONE, payload: Buffer.from(d.subarray(5)) };
}

export interface ReplyOptions {
  /** The host the reply goes to (default 0x8000). */
  dst?: number;
  /** The controller's model; a real one reports its own (e.g. 0x51 BX-5K1), not the wildcard. */
  deviceType?: number;
}

/** A reply frame from screen `address` (as a controller or a simulator sends it). */
export function encodeReply(
  address: number,
  [group, cmd]: readonly [number, number],
  error: number,
  payload: Uint8Array = new Uint8Array(0),
  options: ReplyOptions = {},
): Buffer {
  return encodePacket({
    dst: options.dst ?? HOST_ADDRESS,
    src: address,
    deviceType: options.deviceType ?? DEVICE_TYPE_ANY,
    data: Buffer.concat([Buffer.from([group, cmd, error, 0, 0]), Buffer.from(payload)]),
  });
}

export function decodeReply(packet: OnbonPacket): OnbonReply {
  const d = packet.data;
  if (d.length < 5) throw new FrameError('BAD_LENGTH', `reply data of ${d.length} bytes is shorter than 5`);
  return { group: d[0] as number, cmd: d[1] as number, error: d[2] as number, payload: Buffer.from(d.subarray(5)) };
}

export function encodePing(address: number): Buffer {
  return encodeCommand(address, CMD.ping);
}

export function encodeStatusQuery(address: number): Buffer {
  return encodeCommand(address, CMD.status);
}

export function encodeClear(address: number, options: CommandOptions = {}): Buffer {
  return encodeCommand(address, CMD.clear, undefined, options);
}

// ---- the dynamic area (A3 06) ----

/** Align byte: bits 0–1 horizontal, bits 2–3 vertical. */
export const ALIGN = {
  left: 0x00,
  right: 0x01,
  hCenter: 0x02,
  top: 0x00,
  bottom: 0x04,
  vCenter: 0x08,
  /** Both centred: 0x0A. */
  center: 0x0a,
} as const;

export const SINGLE_LINE = { single: 1, multi: 2 } as const;
export const NEW_LINE = { manual: 1, auto: 2 } as const;

/** DispMode (special effects); 1 static is what a window screen wants. */
export const DISPLAY_MODE = { static: 1, quickType: 2, moveLeft: 3, moveRight: 4, moveUp: 5, moveDown: 6 } as const;

/** RunMode of a dynamic area (BX4K.h). */
export const RUN_MODE = {
  /** Loop the area's pages. */
  cycle: 0,
  /** Show once, then stay on the last page. */
  stayAtLast: 1,
  /** Loop; stop showing when no new data came within AreaTimeout. */
  cycleUntilTimeout: 2,
  /** Loop; show the last page when no new data came within AreaTimeout. */
  cycleThenLastOnTimeout: 3,
  /** Show once, then nothing. */
  once: 4,
  onceUntilTimeout: 5,
} as const;

export interface DynamicArea {
  /** AreaType, 0. */
  type: number;
  /** Geometry in LEDs. X and width travel in 8-LED units, so they must be multiples of 8. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Dynamic area number (0 = the first). */
  areaNo: number;
  lineSpace: number;
  /** RUN_MODE. */
  runMode: number;
  /** AreaTimeout in seconds (used by run modes 2, 3 and 5). */
  areaTimeout: number;
  /** Voice (5K1Q-YY/6K-YY only); always 0 here. */
  voice: number;
  /** ALIGN bits. */
  align: number;
  /** SINGLE_LINE. */
  singleLine: number;
  /** NEW_LINE. */
  newLine: number;
  /** DISPLAY_MODE. */
  displayMode: number;
  exitMode: number;
  speed: number;
  /** Stay time in 0.5 s units. */
  stay: number;
}

/** The layout of the reference's window strip example (192 × 32, static, centred). */
export const DEFAULT_AREA: DynamicArea = {
  type: 0,
  x: 0,
  y: 0,
  width: 192,
  height: 32,
  areaNo: 0,
  lineSpace: 0,
  runMode: RUN_MODE.cycle,
  areaTimeout: 2,
  voice: 0,
  align: ALIGN.center,
  singleLine: SINGLE_LINE.multi,
  newLine: NEW_LINE.manual,
  displayMode: DISPLAY_MODE.static,
  exitMode: 0,
  speed: 4,
  stay: 5,
};

/** Bytes of an area before its text (AreaType … TextLen). */
export const AREA_FIXED_LENGTH = 27;

/** One area: the fixed fields, TextLen u32, the text bytes. */
export function encodeArea(area: DynamicArea, text: Uint8Array): Buffer {
  if (area.x % 8 !== 0 || area.width % 8 !== 0) {
    throw new RangeError(`area x ${area.x} and width ${area.width} must be multiples of 8 LEDs`);
  }
  const b = Buffer.alloc(AREA_FIXED_LENGTH);
  b[0] = area.type;
  b.writeUInt16LE(area.x / 8, 1);
  b.writeUInt16LE(area.y, 3);
  b.writeUInt16LE(area.width / 8, 5);
  b.writeUInt16LE(area.height, 7);
  b[9] = area.areaNo;
  b[10] = area.lineSpace;
  b[11] = area.runMode;
  b.writeUInt16LE(area.areaTimeout, 12);
  b[14] = area.voice;
  b[15] = 0; // ExtCnt: no extended parameters
  b[16] = area.align;
  b[17] = area.singleLine;
  b[18] = area.newLine;
  b[19] = area.displayMode;
  b[20] = area.exitMode;
  b[21] = area.speed;
  b[22] = area.stay;
  b.writeUInt32LE(text.length, 23);
  return Buffer.concat([b, Buffer.from(text)]);
}

/** The A3 06 payload: DelCnt, the areas to delete, UpdCnt, then AreaLen u16 + area for each update. */
export function encodeDynamicTextPayload(
  updates: readonly { area: DynamicArea; text: Uint8Array }[],
  deleteAreas: readonly number[] = [],
): Buffer {
  const parts: Buffer[] = [Buffer.from([deleteAreas.length, ...deleteAreas, updates.length])];
  for (const u of updates) {
    const area = encodeArea(u.area, u.text);
    const len = Buffer.alloc(2);
    len.writeUInt16LE(area.length);
    parts.push(len, area);
  }
  return Buffer.concat(parts);
}

export interface DynamicTextPayload {
  deleteAreas: number[];
  updates: { area: DynamicArea; text: Buffer }[];
}

export function decodeDynamicTextPayload(payload: Uint8Array): DynamicTextPayload {
  const p = Buffer.from(payload);
  const short = (what: string) => new FrameError('BAD_LENGTH', `dynamic-area payload ends inside ${what}`);
  let o = 0;
  const delCnt = p[o++];
  if (delCnt === undefined || o + delCnt + 1 > p.length) throw short('DelCnt');
  const deleteAreas = [...p.subarray(o, o + delCnt)];
  o += delCnt;
  const updCnt = p[o++] as number;
  const updates: DynamicTextPayload['updates'] = [];
  for (let n = 0; n < updCnt; n++) {
    if (o + 2 > p.length) throw short('AreaLen');
    const areaLen = p.readUInt16LE(o);
    o += 2;
    if (o + areaLen > p.length || areaLen < AREA_FIXED_LENGTH) throw short(`area ${n}`);
    const a = p.subarray(o, o + areaLen);
    o += areaLen;
    const xRaw = a.readUInt16LE(1);
    const wRaw = a.readUInt16LE(5);
    const extCnt = a[15] as number;
    const f = 16 + extCnt; // extended parameters (ExtCnt bytes) sit before Align
    if (f + 11 > a.length) throw short(`area ${n}`);
    const textLen = a.readUInt32LE(f + 7);
    if (f + 11 + textLen !== a.length) {
      throw new FrameError('BAD_LENGTH', `area ${n}: TextLen ${textLen} does not match AreaLen ${areaLen}`);
    }
    updates.push({
      area: {
        type: a[0] as number,
        // The top bit of X and width switches them to LED units (BX4K.c).
        x: xRaw & 0x8000 ? xRaw & 0x7fff : xRaw * 8,
        y: a.readUInt16LE(3),
        width: wRaw & 0x8000 ? wRaw & 0x7fff : wRaw * 8,
        height: a.readUInt16LE(7),
        areaNo: a[9] as number,
        lineSpace: a[10] as number,
        runMode: a[11] as number,
        areaTimeout: a.readUInt16LE(12),
        voice: a[14] as number,
        align: a[f] as number,
        singleLine: a[f + 1] as number,
        newLine: a[f + 2] as number,
        displayMode: a[f + 3] as number,
        exitMode: a[f + 4] as number,
        speed: a[f + 5] as number,
        stay: a[f + 6] as number,
      },
      text: Buffer.from(a.subarray(f + 11)),
    });
  }
  if (o !== p.length) throw new FrameError('BAD_LENGTH', `${p.length - o} bytes after the last area`);
  return { deleteAreas, updates };
}

/** An A3 06 frame showing `text` (already GB2312 bytes; see encodeGb2312) in one dynamic area. */
export function encodeDynamicText(
  address: number,
  text: Uint8Array,
  area: Partial<DynamicArea> = {},
  options: CommandOptions = {},
): Buffer {
  const payload = encodeDynamicTextPayload([{ area: { ...DEFAULT_AREA, ...area }, text }]);
  if (HEADER_LENGTH + 5 + payload.length + 2 > MAX_PACKET) {
    throw new RangeError(`dynamic text of ${text.length} bytes makes a packet larger than ${MAX_PACKET} bytes`);
  }
  return encodeCommand(address, CMD.dynamicText, payload, options);
}

// ---- the stream parser ----

export type ParsedFrame = Parsed<OnbonPacket, FrameError>;

/** Finds frames in a byte stream, either direction (screens/delimited-parser.ts): A5 opens, 5A closes. */
export class FrameParser extends DelimitedFrameParser<OnbonPacket, FrameError> {
  constructor() {
    super({
      start: FRAME_START,
      end: FRAME_END,
      maxBody: MAX_ESCAPED_BODY,
      endName: '5A',
      decode: decodeBody,
      error: (code, message) => new FrameError(code, message),
      isError: (e): e is FrameError => e instanceof FrameError,
    });
  }
}

function hex(n: number, digits = 2): string {
  return n.toString(16).toUpperCase().padStart(digits, '0');
}
