/**
 * Pure codec for the SAM protocol of GA/T 467 ID card readers
 * (see shared/reference/id-card-reader.md, the source of truth).
 *
 * Frame: AA AA AA 96 69 | LEN_H LEN_L | body… | CHK
 * LEN counts everything after itself, CHK included; CHK = XOR of LEN and body.
 */

export const PREAMBLE: readonly number[] = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
/** Largest LEN the protocol produces (30 10 with two fingerprint templates: 09 0A), with head room. */
export const MAX_LEN = 0x0a00;
/** The smallest LEN: a request has CMD PARA CHK. */
export const MIN_LEN = 3;

export type FrameErrorCode = 'BAD_PREAMBLE' | 'BAD_LENGTH' | 'BAD_CHECKSUM';

export class FrameError extends Error {
  readonly code: FrameErrorCode;
  constructor(code: FrameErrorCode, message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}

export function checksum(bytes: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i++) x ^= bytes[i] as number;
  return x;
}

/** Wraps a body (command + parameters + data, or SW1 SW2 SW3 + data) into a complete frame. */
export function encodeFrame(body: Uint8Array): Buffer {
  const len = body.length + 1;
  if (len > 0xffff) throw new RangeError('frame body too long');
  const frame = Buffer.alloc(7 + len);
  Buffer.from(PREAMBLE).copy(frame, 0);
  frame.writeUInt16BE(len, 5);
  Buffer.from(body).copy(frame, 7);
  frame[frame.length - 1] = checksum(frame, 5, frame.length - 1);
  return frame;
}

export function encodeCommand(cmd: number, para: number, data: Uint8Array = new Uint8Array(0)): Buffer {
  return encodeFrame(Buffer.concat([Buffer.from([cmd, para]), Buffer.from(data)]));
}

export function encodeReply(sw3: number, data: Uint8Array = new Uint8Array(0), sw1 = 0, sw2 = 0): Buffer {
  return encodeFrame(Buffer.concat([Buffer.from([sw1, sw2, sw3]), Buffer.from(data)]));
}

/** Validates one complete frame (exactly 7 + LEN bytes) and returns its body (without LEN and CHK). */
export function decodeFrameBody(frame: Uint8Array): Buffer {
  if (frame.length < 7) throw new FrameError('BAD_LENGTH', `frame of ${frame.length} bytes is shorter than its header`);
  for (let i = 0; i < PREAMBLE.length; i++) {
    if (frame[i] !== PREAMBLE[i]) throw new FrameError('BAD_PREAMBLE', `bad preamble byte at offset ${i}`);
  }
  const len = ((frame[5] as number) << 8) | (frame[6] as number);
  if (len < MIN_LEN || len > MAX_LEN || frame.length !== 7 + len) {
    throw new FrameError('BAD_LENGTH', `LEN ${len} does not match a frame of ${frame.length} bytes`);
  }
  const chk = checksum(frame, 5, frame.length - 1);
  if (chk !== frame[frame.length - 1]) {
    throw new FrameError('BAD_CHECKSUM', `checksum ${hex(frame[frame.length - 1] as number)} should be ${hex(chk)}`);
  }
  return Buffer.from(frame.subarray(7, frame.length - 1));
}

export interface Reply {
  sw1: number;
  sw2: number;
  sw3: number;
  payload: Buffer;
}

export interface Command {
  cmd: number;
  para: number;
  data: Buffer;
}

export function decodeReply(frame: Uint8Array): Reply {
  const body = decodeFrameBody(frame);
  if (body.length < 3) throw new FrameError('BAD_LENGTH', 'reply shorter than its status words');
  return { sw1: body[0] as number, sw2: body[1] as number, sw3: body[2] as number, payload: body.subarray(3) };
}

export function decodeCommand(frame: Uint8Array): Command {
  const body = decodeFrameBody(frame);
  return { cmd: body[0] as number, para: body[1] as number, data: body.subarray(2) };
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

export type ParsedFrame = { ok: true; frame: Buffer } | { ok: false; error: FrameError; frame: Buffer };

/**
 * Finds frames in a byte stream. Bytes before or between frames are skipped and counted in `skipped`.
 * A frame whose checksum is wrong is returned as `{ ok: false }` (its bytes are consumed).
 */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);
  skipped = 0;

  push(chunk: Uint8Array): ParsedFrame[] {
    this.buf = Buffer.concat([this.buf, Buffer.from(chunk)]);
    const out: ParsedFrame[] = [];
    for (;;) {
      const start = this.findPreamble();
      if (start > 0) {
        this.skipped += start;
        this.buf = this.buf.subarray(start);
      }
      if (this.buf.length < 7) return out;
      const len = this.buf.readUInt16BE(5);
      if (len < MIN_LEN || len > MAX_LEN) {
        // Not a real frame: drop the first byte and search again.
        this.skipped += 1;
        this.buf = this.buf.subarray(1);
        continue;
      }
      if (this.buf.length < 7 + len) return out;
      const frame = Buffer.from(this.buf.subarray(0, 7 + len));
      this.buf = this.buf.subarray(7 + len);
      try {
        decodeFrameBody(frame);
        out.push({ ok: true, frame });
      } catch (e) {
        out.push({ ok: false, error: e as FrameError, frame });
      }
    }
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
  }

  /** Offset of the first (possibly partial, at the end) preamble; buf.length when none. */
  private findPreamble(): number {
    const b = this.buf;
    for (let i = 0; i < b.length; i++) {
      let match = true;
      for (let j = 0; j < PREAMBLE.length && i + j < b.length; j++) {
        if (b[i + j] !== PREAMBLE[j]) {
          match = false;
          break;
        }
      }
      if (match) return i;
    }
    return b.length;
  }
}

// ---------------------------------------------------------------- commands

export const CMD = {
  resetSam: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  samId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readTextPhoto: [0x30, 0x01],
  readTextPhotoFingerprints: [0x30, 0x10],
  readAppendedAddress: [0x30, 0x03],
} as const;

export const SW3 = {
  success: 0x90,
  cardFound: 0x9f,
  checksumWrong: 0x10,
  lengthWrong: 0x11,
  badCommand: 0x21,
  notPermitted: 0x23,
  unknownError: 0x24,
  authFailed1: 0x31,
  authFailed2: 0x32,
  verifyFailed: 0x33,
  unknownCardType: 0x40,
  readFailed: 0x41,
  randomFailed: 0x47,
  samSelfTestFailed: 0x60,
  samNotAuthorised: 0x66,
  noCard: 0x80,
  selectFailed: 0x81,
  empty: 0x91,
} as const;

// ---------------------------------------------------------------- the 30 01 payload

export interface TextPhoto {
  text: Buffer;
  photo: Buffer;
  fingerprints?: Buffer;
}

/** Payload of a 30 01 reply (after SW1..SW3): text length, photo length, text, photo. */
export function decodeTextPhoto(payload: Buffer): TextPhoto {
  if (payload.length < 4) throw new FrameError('BAD_LENGTH', 'read reply too short');
  const textLen = payload.readUInt16BE(0);
  const photoLen = payload.readUInt16BE(2);
  if (payload.length !== 4 + textLen + photoLen) {
    throw new FrameError('BAD_LENGTH', `read reply of ${payload.length} bytes, text ${textLen} + photo ${photoLen}`);
  }
  return { text: payload.subarray(4, 4 + textLen), photo: payload.subarray(4 + textLen) };
}

export function encodeTextPhoto(text: Uint8Array, photo: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(text.length, 0);
  head.writeUInt16BE(photo.length, 2);
  return Buffer.concat([head, Buffer.from(text), Buffer.from(photo)]);
}

/** SAM id reply payload (16 bytes) → `05.01-20101129-0001228293-0296863149`. */
export function decodeSamId(payload: Buffer): string {
  if (payload.length < 16) throw new FrameError('BAD_LENGTH', 'SAM id payload too short');
  const a = payload.readUInt16LE(0);
  const b = payload.readUInt16LE(2);
  const c = payload.readUInt32LE(4);
  const d = payload.readUInt32LE(8);
  const e = payload.readUInt32LE(12);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return `${pad(a, 2)}.${pad(b, 2)}-${pad(c, 8)}-${pad(d, 10)}-${pad(e, 10)}`;
}

// ---------------------------------------------------------------- the 256-byte text block

export const TEXT_BLOCK_SIZE = 256;

export type CardType = 'resident' | 'foreigner' | 'hmt' | 'foreigner2023';

const CARD_TYPE_CODE: Record<CardType, string> = { resident: ' ', foreigner: 'I', hmt: 'J', foreigner2023: 'Y' };

export interface IdCardText {
  cardType: CardType;
  /** Chinese name (for foreigner cards, the Chinese name at 158). */
  name: string;
  /** GB/T 2261.1 code: '0' unknown, '1' male, '2' female, '9' unspecified. */
  sex: string;
  /** GB/T 3304 two-digit code; '' on foreigner cards, reserved (usually blank) on HK/Macao/Taiwan permits. */
  nation: string;
  birthDate: string;
  /** '' on foreigner cards. */
  address: string;
  /** ID number, or the permit number on foreigner cards. */
  idNumber: string;
  /** '' on foreigner cards (the field holds the Chinese name there). */
  authority: string;
  validFrom: string;
  /** YYYYMMDD or '长期'. */
  validTo: string;
  /** Foreigner cards only. */
  englishName?: string;
  /** Foreigner cards only: 3-letter nationality code. */
  nationality?: string;
  /** HK/Macao/Taiwan permits only. */
  passNumber?: string;
  /** HK/Macao/Taiwan permits only. */
  issueCount?: string;
}

interface Field {
  key: keyof IdCardText;
  offset: number;
  bytes: number;
}

const RESIDENT_FIELDS: Field[] = [
  { key: 'name', offset: 0, bytes: 30 },
  { key: 'sex', offset: 30, bytes: 2 },
  { key: 'nation', offset: 32, bytes: 4 },
  { key: 'birthDate', offset: 36, bytes: 16 },
  { key: 'address', offset: 52, bytes: 70 },
  { key: 'idNumber', offset: 122, bytes: 36 },
  { key: 'authority', offset: 158, bytes: 30 },
  { key: 'validFrom', offset: 188, bytes: 16 },
  { key: 'validTo', offset: 204, bytes: 16 },
];

const HMT_FIELDS: Field[] = [
  ...RESIDENT_FIELDS,
  { key: 'passNumber', offset: 220, bytes: 18 },
  { key: 'issueCount', offset: 238, bytes: 4 },
];

/** The 2017 foreigner's permanent residence card. The 2023 card ('Y') is documented by one source only; read with the same layout. */
const FOREIGNER_FIELDS: Field[] = [
  { key: 'englishName', offset: 0, bytes: 120 },
  { key: 'sex', offset: 120, bytes: 2 },
  { key: 'idNumber', offset: 122, bytes: 30 },
  { key: 'nationality', offset: 152, bytes: 6 },
  { key: 'name', offset: 158, bytes: 30 },
  { key: 'validFrom', offset: 188, bytes: 16 },
  { key: 'validTo', offset: 204, bytes: 16 },
  { key: 'birthDate', offset: 220, bytes: 16 },
];

export const CARD_TYPE_OFFSET = 248;

function fieldsOf(type: CardType): Field[] {
  if (type === 'hmt') return HMT_FIELDS;
  if (type === 'foreigner' || type === 'foreigner2023') return FOREIGNER_FIELDS;
  return RESIDENT_FIELDS;
}

/** Largest number of UTF-16 code units a field of a card type holds (for callers and generators). */
export function fieldCapacity(type: CardType, key: keyof IdCardText): number {
  const f = fieldsOf(type).find((x) => x.key === key);
  return f ? f.bytes / 2 : 0;
}

export class TextBlockError extends Error {
  readonly code: 'BAD_TEXT_LENGTH' | 'UNKNOWN_CARD_TYPE' | 'FIELD_TOO_LONG';
  constructor(code: TextBlockError['code'], message: string) {
    super(message);
    this.name = 'TextBlockError';
    this.code = code;
  }
}

function readField(block: Buffer, f: Field): string {
  const s = block.toString('utf16le', f.offset, f.offset + f.bytes);
  let end = s.length;
  // Padding is U+0020; some readers pad with U+0000.
  while (end > 0 && (s[end - 1] === ' ' || s[end - 1] === '\0')) end--;
  return s.slice(0, end);
}

export function decodeTextBlock(block: Uint8Array): IdCardText {
  if (block.length !== TEXT_BLOCK_SIZE) {
    throw new TextBlockError('BAD_TEXT_LENGTH', `text block of ${block.length} bytes, expected ${TEXT_BLOCK_SIZE}`);
  }
  const b = Buffer.from(block);
  const code = b.toString('utf16le', CARD_TYPE_OFFSET, CARD_TYPE_OFFSET + 2);
  const entry = (Object.entries(CARD_TYPE_CODE) as [CardType, string][]).find(([, c]) => c === code);
  // Some readers pad the resident card's type with 0000 instead of a space.
  const cardType: CardType | undefined = entry ? entry[0] : code === '\u0000' ? 'resident' : undefined;
  if (!cardType) throw new TextBlockError('UNKNOWN_CARD_TYPE', `unknown card type code U+${b.readUInt16LE(CARD_TYPE_OFFSET)}`);
  const out: IdCardText = {
    cardType,
    name: '',
    sex: '',
    nation: '',
    birthDate: '',
    address: '',
    idNumber: '',
    authority: '',
    validFrom: '',
    validTo: '',
  };
  for (const f of fieldsOf(cardType)) (out as unknown as Record<string, string>)[f.key] = readField(b, f);
  return out;
}

export function encodeTextBlock(text: IdCardText): Buffer {
  const b = Buffer.alloc(TEXT_BLOCK_SIZE);
  for (let i = 0; i < TEXT_BLOCK_SIZE; i += 2) b.writeUInt16LE(0x20, i);
  for (const f of fieldsOf(text.cardType)) {
    const value = (text[f.key] as string | undefined) ?? '';
    const bytes = Buffer.from(value, 'utf16le');
    if (bytes.length > f.bytes) {
      throw new TextBlockError('FIELD_TOO_LONG', `field ${f.key} holds ${f.bytes / 2} characters, got ${value.length}`);
    }
    bytes.copy(b, f.offset);
  }
  b.write(CARD_TYPE_CODE[text.cardType], CARD_TYPE_OFFSET, 'utf16le');
  return b;
}

export const NATIONS: Record<string, string> = Object.fromEntries(
  '汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺'
    .split(' ')
    .map((n, i) => [String(i + 1).padStart(2, '0'), n] as [string, string])
    .concat([
      ['97', '其他'],
      ['98', '外国血统中国籍人士'],
    ]),
);

/** GB/T 2261.1: only 1 is male and only 2 is female. */
export function sexLabel(code: string): '男' | '女' | '未知' | '未说明' {
  if (code === '1') return '男';
  if (code === '2') return '女';
  if (code === '9') return '未说明';
  return '未知';
}
