/**
 * Pure codec of the "FF 68" bus shared by call keypads (呼叫器) and key evaluators (评价器) on one RS-485
 * line, 9600 8N1 (see shared/reference/hall-devices.md §1, the source of truth).
 *
 *   [FF] 68 L L 68 ADDR CMD DATA… CS 16
 *
 * - FF is a wake-up byte. Devices and both known hosts send it, but one host's evaluator acknowledgement
 *   leaves it out, so the decoder accepts a frame with or without it.
 * - L counts ADDR + CMD + DATA (2 + data length) and is sent twice; both copies must match.
 * - CS = (ADDR + CMD + ΣDATA) mod 256.
 * - No escaping: any byte value may appear in DATA; frames are found by their header and checked by
 *   L = L, the second 68, CS and the 16 tail.
 *
 * The parts the public sources do not pin down are configuration (`BusProfile`), with one preset per
 * known host: `PROFILES.jackqchen` (JackQChen/QueueSystem, CallSystem/frmMain.cs) and
 * `PROFILES.hallquefront` (marzlia/HallQueFront, HardWareDef.h / SLZCCaller.cpp / DoComInOut.cpp).
 */

export const WAKE = 0xff;
export const START = 0x68;
export const TAIL = 0x16;
/** Longest DATA accepted (a display of up to 32 positions fits with room to spare); bounds the parser. */
export const MAX_DATA = 64;
/** L = ADDR + CMD + DATA. */
export const MIN_L = 2;
export const MAX_L = MIN_L + MAX_DATA;
/** Longest frame: FF + 68 L L 68 + L bytes + CS 16. */
export const MAX_FRAME = 1 + 4 + MAX_L + 2;

/** Callers use addresses 0x01–0x7F; with 'high-bit' addressing 0x80|N is the evaluator of caller N. */
export const MIN_CALLER = 0x01;
export const MAX_CALLER = 0x7f;

export const CMD = {
  /** Host → caller: the display (digit codes 0–9, 0x0A blank). Host → evaluator: the star level (one byte 0–5). */
  display: 0x02,
  stars: 0x02,
  /** Host → evaluator: DATA 0x0B starts an evaluation. Also the CMD of an acknowledgement to an evaluator. */
  startEvaluation: 0x01,
  evaluatorAck: 0x01,
  /** Host → caller: beep, no DATA. */
  beep: 0x03,
  /** Evaluator → host: the result, one byte. */
  rating: 0x11,
} as const;

/** DATA of a "start evaluation" frame. */
export const START_EVALUATION_DATA = 0x0b;
/** Display code of a blank position. */
export const BLANK = 0x0a;

export type FrameErrorCode =
  /** The frame does not begin with [FF] 68, or its second start byte (offset 3 after the optional FF) is not 68. */
  | 'BAD_START'
  /** L ≠ L, L out of 2…MAX_L, or the frame is not 6 + L bytes (7 + L with FF). */
  | 'BAD_LENGTH'
  | 'BAD_CHECKSUM'
  /** The byte after CS is not 16. */
  | 'BAD_TAIL';

/** Why the parser dropped bytes: a frame error, or GARBAGE (bytes that do not begin any frame). */
export type BadFrameReason = FrameErrorCode | 'GARBAGE';

export class FrameError extends Error {
  readonly code: FrameErrorCode;
  constructor(code: FrameErrorCode, message: string) {
    super(message);
    this.name = 'FrameError';
    this.code = code;
  }
}

export interface Frame {
  addr: number;
  cmd: number;
  data: Buffer;
}

function checkByte(name: string, n: number): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xff) throw new RangeError(`${name} must be a byte, got ${n}`);
}

export function checksum(addr: number, cmd: number, data: Uint8Array): number {
  let s = addr + cmd;
  for (const b of data) s += b;
  return s & 0xff;
}

/**
 * `FF 68 L L 68 ADDR CMD DATA… CS 16`. `wake: false` leaves out the FF wake-up byte (HallQueFront's
 * evaluator acknowledgement is sent that way).
 */
export function encodeFrame(
  addr: number,
  cmd: number,
  data: Uint8Array | readonly number[] = [],
  opts: { wake?: boolean } = {},
): Buffer {
  checkByte('address', addr);
  checkByte('command', cmd);
  const d = Uint8Array.from(data);
  for (const b of data) checkByte('data byte', b);
  if (d.length > MAX_DATA) throw new RangeError(`data of ${d.length} bytes, at most ${MAX_DATA}`);
  const wake = opts.wake ?? true;
  const o = wake ? 1 : 0;
  const l = MIN_L + d.length;
  const frame = Buffer.alloc(o + 6 + l);
  if (wake) frame[0] = WAKE;
  frame[o] = START;
  frame[o + 1] = l;
  frame[o + 2] = l;
  frame[o + 3] = START;
  frame[o + 4] = addr;
  frame[o + 5] = cmd;
  frame.set(d, o + 6);
  frame[o + 6 + d.length] = checksum(addr, cmd, d);
  frame[o + 7 + d.length] = TAIL;
  return frame;
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** Decodes exactly one frame (with or without the FF wake-up byte); throws a FrameError. */
export function decodeFrame(bytes: Uint8Array): Frame {
  const o = bytes[0] === WAKE ? 1 : 0;
  if (bytes[o] !== START) throw new FrameError('BAD_START', 'a frame begins with [FF] 68');
  if (bytes.length < o + 4) throw new FrameError('BAD_LENGTH', `frame of ${bytes.length} bytes is shorter than its header`);
  if (bytes[o + 3] !== START) throw new FrameError('BAD_START', `second start byte is ${hex(bytes[o + 3] as number)}, not 68`);
  const l = bytes[o + 1] as number;
  const l2 = bytes[o + 2] as number;
  if (l !== l2) throw new FrameError('BAD_LENGTH', `the two length bytes differ (${hex(l)} ≠ ${hex(l2)})`);
  if (l < MIN_L || l > MAX_L) throw new FrameError('BAD_LENGTH', `L = ${l} is out of ${MIN_L}…${MAX_L}`);
  if (bytes.length !== o + 6 + l) throw new FrameError('BAD_LENGTH', `L = ${l} does not match a frame of ${bytes.length} bytes`);
  const addr = bytes[o + 4] as number;
  const cmd = bytes[o + 5] as number;
  const data = Buffer.from(bytes.subarray(o + 6, o + 4 + l));
  const cs = bytes[o + 4 + l] as number;
  const want = checksum(addr, cmd, data);
  if (cs !== want) throw new FrameError('BAD_CHECKSUM', `checksum ${hex(cs)} should be ${hex(want)}`);
  if (bytes[o + 5 + l] !== TAIL) throw new FrameError('BAD_TAIL', `tail ${hex(bytes[o + 5 + l] as number)} is not 16`);
  return { addr, cmd, data };
}

// ---------------------------------------------------------------- streaming parser

export type Parsed =
  /** `bytes` is the frame exactly as received (with its FF wake-up byte when there was one). */
  { ok: true; frame: Frame; bytes: Buffer } | { ok: false; reason: BadFrameReason; bytes: Buffer };

/**
 * Finds frames in a byte stream.
 *
 * - A frame starts at `68 L L 68` (one FF just before it is taken as its wake-up byte; a missing FF is
 *   fine). A 68 not followed by such a header is noise.
 * - A candidate whose length, checksum or tail is wrong is reported once with its reason (BAD_LENGTH,
 *   BAD_CHECKSUM, BAD_TAIL); then only its FF and first 68 are dropped and the search goes on from the next
 *   byte, so a valid frame inside the bytes of a false candidate (noise reading 68 L L 68) is still found.
 * - Bytes that begin no frame are reported as GARBAGE, one run per push at most between two frames (the
 *   bytes of a candidate already reported are not reported again).
 * - A candidate still incomplete is dropped (reported as BAD_LENGTH) as soon as a complete valid frame is
 *   found after its start: a noise header cannot hold back a real frame.
 * - At most MAX_FRAME bytes are held between pushes (`pending`).
 */
export class FrameParser {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of the last reported candidate not yet skipped: not reported again as garbage. */
  private quiet = 0;
  /** Bytes skipped as garbage in all (excluding the bytes of reported candidates). */
  skipped = 0;

  push(chunk: Uint8Array): Parsed[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const out: Parsed[] = [];
    let garbage: number[] = [];
    const skip = (n: number) => {
      for (let i = 0; i < n; i++) {
        if (this.quiet > 0) this.quiet--;
        else garbage.push(this.buf[i] as number);
      }
      this.buf = this.buf.subarray(n);
    };
    const flushGarbage = () => {
      if (garbage.length) {
        this.skipped += garbage.length;
        out.push({ ok: false, reason: 'GARBAGE', bytes: Buffer.from(garbage) });
        garbage = [];
      }
    };
    /**
     * Reports the first `len` bytes as a bad frame (unless they lie in one reported already), drops its FF and
     * 68, and searches its other bytes again.
     */
    const bad = (reason: BadFrameReason, len: number, drop: number) => {
      if (this.quiet === 0) {
        flushGarbage();
        out.push({ ok: false, reason, bytes: Buffer.from(this.buf.subarray(0, len)) });
      }
      this.buf = this.buf.subarray(drop);
      this.quiet = Math.max(this.quiet - drop, len - drop);
    };

    for (;;) {
      // The next 68, with one FF before it when there is one.
      let s = this.buf.indexOf(START);
      if (s < 0) {
        // Keep a trailing FF: it may be the wake-up byte of a frame still coming.
        const keep = this.buf.length > 0 && this.buf[this.buf.length - 1] === WAKE ? 1 : 0;
        skip(this.buf.length - keep);
        break;
      }
      if (s > 0 && this.buf[s - 1] === WAKE) s--;
      skip(s);
      const o = this.buf[0] === WAKE ? 1 : 0;
      if (this.buf.length < o + 4) break;
      if (this.buf[o + 3] !== START) {
        // No header here: this 68 (and its FF) are noise.
        skip(o + 1);
        continue;
      }
      const l = this.buf[o + 1] as number;
      if (l !== this.buf[o + 2] || l < MIN_L || l > MAX_L) {
        bad('BAD_LENGTH', o + 4, o + 1);
        continue;
      }
      const size = o + 6 + l;
      if (this.buf.length < size) {
        const next = this.validFrameAfter(o + 1);
        if (next < 0) break;
        bad('BAD_LENGTH', next, o + 1);
        continue;
      }
      const bytes = this.buf.subarray(0, size);
      try {
        const frame = decodeFrame(bytes);
        flushGarbage();
        out.push({ ok: true, frame, bytes: Buffer.from(bytes) });
        this.buf = this.buf.subarray(size);
        this.quiet = 0;
      } catch (e) {
        bad((e as FrameError).code, size, o + 1);
      }
    }
    flushGarbage();
    // What is held is one incomplete candidate (a candidate is decided within MAX_FRAME bytes): copied so
    // that the chunks it came from can be freed.
    this.buf = Buffer.from(this.buf);
    return out;
  }

  /** Drops what is held (an incomplete frame), reporting it as BAD_LENGTH. */
  flush(): Parsed[] {
    if (!this.buf.length) return [];
    const bytes = Buffer.from(this.buf);
    this.buf = Buffer.alloc(0);
    this.quiet = 0;
    if (bytes.length === 1 && bytes[0] === WAKE) return [];
    return [{ ok: false, reason: 'BAD_LENGTH', bytes }];
  }

  /** Bytes held while waiting for the rest of a frame (at most MAX_FRAME). */
  get pending(): number {
    return this.buf.length;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
    this.quiet = 0;
  }

  /** Where the first complete, valid frame at or after `from` begins (its FF included), or -1. */
  private validFrameAfter(from: number): number {
    const b = this.buf;
    for (let i = b.indexOf(START, from); i >= 0; i = b.indexOf(START, i + 1)) {
      const l = b[i + 1];
      if (l === undefined || i + 6 + l > b.length) continue;
      try {
        decodeFrame(b.subarray(i, i + 6 + l));
        return i > from && b[i - 1] === WAKE ? i - 1 : i;
      } catch {
        // not a frame
      }
    }
    return -1;
  }
}

// ---------------------------------------------------------------- keys

/** Key codes: the last DATA byte of a key frame (device → host). */
export const KeyCode = {
  /** 开始: digits + 开始 = transfer to that window or queue (HallQueFront). */
  start: 0x0a,
  /** 评价: ask for an evaluation (HallQueFront: 0 + 评价 = 等候). */
  evaluate: 0x0b,
  /** 呼叫: call next; digits + 呼叫 = call that number. */
  call: 0x0c,
  /** 重呼: recall. */
  recall: 0x0d,
  /** 取消. */
  cancel: 0x0e,
  /** 确认/功能: digit + 功能 selects a function (`BusProfile.functionDigits`). */
  function: 0x0f,
  /** 暂停 (JackQChen). */
  pause: 0x12,
  /** 转移: put the ticket back (JackQChen). */
  transfer: 0x13,
} as const;
export type KeyCode = (typeof KeyCode)[keyof typeof KeyCode];
export type KeyName = keyof typeof KeyCode;

const KEY_CODES = new Set<number>(Object.values(KeyCode));

export function isKeyCode(n: number): n is KeyCode {
  return KEY_CODES.has(n);
}

export function keyName(code: KeyCode): KeyName {
  return (Object.keys(KeyCode) as KeyName[]).find((k) => KeyCode[k] === code) as KeyName;
}

// ---------------------------------------------------------------- profiles

export type FunctionName =
  | 'no-show'
  | 'pause'
  | 'resume'
  | 'login'
  | 'logout'
  | 'transfer'
  | 'hang'
  | 'call-back'
  | 'show-address'
  | 'call-security'
  | 'call-manager'
  | 'call-consultant';

export interface BusProfile {
  readonly name: string;
  /** CMD byte of key frames (never documented publicly; 0x01 is the likely value). */
  readonly keyCmd: number;
  /** Reject key frames whose CMD is not `keyCmd` (neither known host checks it). */
  readonly strictKeyCmd: boolean;
  /**
   * 'high-bit': address 0x80|N is the evaluator of caller N (its frames, and the host's frames to it).
   * 'cmd-0x11': the evaluator shares caller N's address; its frames are told apart by CMD 0x11.
   */
  readonly evaluatorAddressing: 'high-bit' | 'cmd-0x11';
  /**
   * How a rating frame is acknowledged. 'cmd-01': the same frame with CMD 0x01 (checksum recomputed);
   * 'short': `68 02 02 68 ADDR 01 CS 16` (no wake-up byte, no DATA), ADDR being the rating frame's.
   */
  readonly evaluatorAck: 'cmd-01' | 'short';
  /** Meaning of one digit + 确认/功能 (0x0F). */
  readonly functionDigits: Readonly<Partial<Record<number, FunctionName>>>;
  /** Meaning of two or more digits + 0x0F, the digits being its argument (HallQueFront: staff number login). */
  readonly numberFunction?: FunctionName;
  /** The key that means 转移 on this host (what a simulated keypad sends for 'transfer'). */
  readonly transferKey: KeyCode;
  /** Positions of the caller's display (6 in both hosts). */
  readonly displayPositions: number;
}

export const PROFILES = {
  /**
   * JackQChen/QueueSystem: echoes every frame it reads; evaluator results come from the caller's own
   * address with CMD 0x11 and are acknowledged by the same frame with CMD 0x01; 6 + 确认 = 弃号,
   * 0 + 确认 = 挂起, 3 + 确认 = 回呼; 0x12 = 暂停, 0x13 = 转移 (back to the queue). It sends tickets as
   * `0A 0A 0A d d d` and the waiting count as `d d d 0A 0A 0A` (capped at 999). Its "start evaluation"
   * (`ADDR 01 0B`) is byte for byte the echo of a bare 评价 key, which is why it notes that evaluators start
   * by themselves. Key CMD: not read by the host; 0x01 chosen.
   */
  jackqchen: {
    name: 'jackqchen',
    keyCmd: 0x01,
    strictKeyCmd: false,
    evaluatorAddressing: 'cmd-0x11',
    evaluatorAck: 'cmd-01',
    functionDigits: { 0: 'hang', 3: 'call-back', 6: 'no-show' },
    transferKey: KeyCode.transfer,
    displayPositions: 6,
  },
  /**
   * marzlia/HallQueFront: a frame whose address has the high bit set is an evaluator's (0x80|N belongs to
   * caller N) and is acknowledged by `68 02 02 68 ADDR 01 CS 16`; digits + 开始 = transfer; digit + 功能:
   * 0 暂停, 4 退出登录, 5 过号, 6 呼叫保安, 7 呼叫大堂经理, 8 显示地址, 9 呼叫业务顾问; two or more
   * digits + 功能 = login with that staff number. Its display frames vary in length ("ticket 0A waiting");
   * the fixed 6-position layout of the reference is used here for both hosts (our choice). Key CMD: not read
   * by the host; 0x01 chosen, as for JackQChen.
   */
  hallquefront: {
    name: 'hallquefront',
    keyCmd: 0x01,
    strictKeyCmd: false,
    evaluatorAddressing: 'high-bit',
    evaluatorAck: 'short',
    functionDigits: {
      0: 'pause',
      4: 'logout',
      5: 'no-show',
      6: 'call-security',
      7: 'call-manager',
      8: 'show-address',
      9: 'call-consultant',
    },
    numberFunction: 'login',
    transferKey: KeyCode.start,
    displayPositions: 6,
  },
} as const satisfies Record<string, BusProfile>;

export const DEFAULT_PROFILE: BusProfile = PROFILES.jackqchen;

export function checkCallerAddress(address: number): void {
  if (!Number.isInteger(address) || address < MIN_CALLER || address > MAX_CALLER) {
    throw new RangeError(`caller address must be 1…127, got ${address}`);
  }
}

/** The bus address of caller N's evaluator. */
export function evaluatorAddress(profile: BusProfile, callerAddress: number): number {
  checkCallerAddress(callerAddress);
  return profile.evaluatorAddressing === 'high-bit' ? 0x80 | callerAddress : callerAddress;
}

/** Whether a frame comes from (or goes to) an evaluator under this profile. */
export function isEvaluatorFrame(profile: BusProfile, frame: Frame): boolean {
  return profile.evaluatorAddressing === 'high-bit' ? (frame.addr & 0x80) !== 0 : frame.cmd === CMD.rating;
}

/** The caller address a frame belongs to (an evaluator's frame belongs to its caller). */
export function callerAddressOf(profile: BusProfile, frame: Frame): number {
  return profile.evaluatorAddressing === 'high-bit' ? frame.addr & 0x7f : frame.addr;
}

// ---------------------------------------------------------------- key press (device → host)

export interface KeyPress {
  /** The digits typed before the key, 0–9 each. */
  digits: number[];
  key: KeyCode;
}

export function encodeKeyPress(address: number, digits: readonly number[], key: KeyCode, profile = DEFAULT_PROFILE): Buffer {
  checkCallerAddress(address);
  for (const d of digits) if (!Number.isInteger(d) || d < 0 || d > 9) throw new RangeError(`digit must be 0…9, got ${d}`);
  if (!isKeyCode(key)) throw new RangeError(`unknown key code ${key}`);
  return encodeFrame(address, profile.keyCmd, [...digits, key]);
}

/**
 * A key press, or null when the frame is not one: not from a caller address, an evaluator's frame, DATA
 * not "digits then a known key code", or (strict profiles only) a CMD other than `keyCmd`.
 */
export function decodeKeyPress(frame: Frame, profile = DEFAULT_PROFILE): KeyPress | null {
  if (frame.addr < MIN_CALLER || frame.addr > MAX_CALLER || isEvaluatorFrame(profile, frame)) return null;
  if (profile.strictKeyCmd && frame.cmd !== profile.keyCmd) return null;
  const d = frame.data;
  if (d.length < 1) return null;
  const key = d[d.length - 1] as number;
  if (!isKeyCode(key)) return null;
  const digits = [...d.subarray(0, d.length - 1)];
  if (digits.some((x) => x > 9)) return null;
  return { digits, key };
}

/** The meaning of a 确认/功能 press under a profile, if any. */
export function functionOf(press: KeyPress, profile = DEFAULT_PROFILE): FunctionName | undefined {
  if (press.key !== KeyCode.function) return undefined;
  if (press.digits.length === 1) return profile.functionDigits[press.digits[0] as number];
  if (press.digits.length >= 2) return profile.numberFunction;
  return undefined;
}

/** The host's acknowledgement of a key frame: the frame itself, byte for byte, as received. */
export function keyEcho(received: Uint8Array): Buffer {
  return Buffer.from(received);
}

// ---------------------------------------------------------------- caller display (host → caller)

export interface Shown {
  /** The ticket being served. Letters are dropped (the display shows digits only), e.g. "A023" → 023. */
  ticket?: string | null;
  /** People waiting. */
  waiting?: number;
}

/**
 * Display codes for a caller, `positions` long (default 6):
 * - the waiting count takes the left ⌊positions/2⌋ positions, zero-padded (12 → 0 1 2) and capped at
 *   999 (or 99…9 for other widths), as JackQChen shows it;
 * - the ticket's digits are right-aligned in the positions left over (all of them when no waiting count is
 *   shown); letters and other characters are dropped ("A023" → 0 2 3) and, when there are more digits than
 *   positions, the leftmost go (JackQChen shows the last three);
 * - every other position is blank (0x0A). Nothing to show → all blank.
 */
export function displayCodes(shown: Shown, positions = 6): number[] {
  if (!Number.isInteger(positions) || positions < 2 || positions > MAX_DATA) {
    throw new RangeError(`display positions must be 2…${MAX_DATA}, got ${positions}`);
  }
  const codes = new Array<number>(positions).fill(BLANK);
  let ticketFrom = 0;
  if (shown.waiting !== undefined) {
    const w = shown.waiting;
    if (!Number.isInteger(w) || w < 0) throw new RangeError(`waiting must be a whole number ≥ 0, got ${w}`);
    const width = Math.floor(positions / 2);
    const text = String(Math.min(w, 10 ** width - 1)).padStart(width, '0');
    for (let i = 0; i < width; i++) codes[i] = Number(text[i]);
    ticketFrom = width;
  }
  if (shown.ticket) {
    const digits = [...shown.ticket].filter((c) => c >= '0' && c <= '9').map(Number);
    const room = positions - ticketFrom;
    const shownDigits = digits.slice(Math.max(0, digits.length - room));
    shownDigits.forEach((d, i) => {
      codes[positions - shownDigits.length + i] = d;
    });
  }
  return codes;
}

export function encodeCallerDisplay(address: number, shown: Shown, positions = 6): Buffer {
  checkCallerAddress(address);
  return encodeFrame(address, CMD.display, displayCodes(shown, positions));
}

/** What a display shows for its codes: digits, ' ' for a blank, '?' for a code it cannot show. */
export function displayText(codes: Uint8Array | readonly number[]): string {
  return [...codes].map((c) => (c <= 9 ? String(c) : c === BLANK ? ' ' : '?')).join('');
}

export function encodeBeep(address: number): Buffer {
  checkCallerAddress(address);
  return encodeFrame(address, CMD.beep);
}

// ---------------------------------------------------------------- evaluator

/** Host → evaluator of caller N: start an evaluation (`ADDR 01 0B`). */
export function encodeStartEvaluation(callerAddress: number, profile = DEFAULT_PROFILE): Buffer {
  return encodeFrame(evaluatorAddress(profile, callerAddress), CMD.startEvaluation, [START_EVALUATION_DATA]);
}

export function isStartEvaluation(frame: Frame): boolean {
  return frame.cmd === CMD.startEvaluation && frame.data.length === 1 && frame.data[0] === START_EVALUATION_DATA;
}

export const MAX_STARS = 5;

/** Host → evaluator of caller N: show a star level 0–5. */
export function encodeStars(callerAddress: number, level: number, profile = DEFAULT_PROFILE): Buffer {
  if (!Number.isInteger(level) || level < 0 || level > MAX_STARS) throw new RangeError(`star level must be 0…5, got ${level}`);
  return encodeFrame(evaluatorAddress(profile, callerAddress), CMD.stars, [level]);
}

/** 0 不满意, 1 一般/基本满意, 2 满意, 3 非常满意 (4-key devices); 5-key devices likely send 0–4. */
export const MAX_RATING = 4;

/** Evaluator of caller N → host: the result (`ADDR 11 level`). */
export function encodeRating(callerAddress: number, level: number, profile = DEFAULT_PROFILE): Buffer {
  if (!Number.isInteger(level) || level < 0 || level > MAX_RATING) throw new RangeError(`rating must be 0…4, got ${level}`);
  return encodeFrame(evaluatorAddress(profile, callerAddress), CMD.rating, [level]);
}

/** A rating frame's caller and level, or null when the frame is not a rating under this profile. */
export function decodeRating(frame: Frame, profile = DEFAULT_PROFILE): { callerAddress: number; level: number } | null {
  if (frame.cmd !== CMD.rating || frame.data.length !== 1 || !isEvaluatorFrame(profile, frame)) return null;
  const callerAddress = callerAddressOf(profile, frame);
  const level = frame.data[0] as number;
  if (callerAddress < MIN_CALLER || level > MAX_RATING) return null;
  return { callerAddress, level };
}

/** The host's acknowledgement of an evaluator's frame, in the profile's form. */
export function encodeEvaluatorAck(frame: Frame, profile = DEFAULT_PROFILE): Buffer {
  return profile.evaluatorAck === 'cmd-01'
    ? encodeFrame(frame.addr, CMD.evaluatorAck, frame.data)
    : encodeFrame(frame.addr, CMD.evaluatorAck, [], { wake: false });
}

/** Whether `ack` acknowledges the evaluator frame `sent` under this profile. */
export function isEvaluatorAck(ack: Frame, sent: Frame, profile = DEFAULT_PROFILE): boolean {
  if (ack.addr !== sent.addr || ack.cmd !== CMD.evaluatorAck) return false;
  return profile.evaluatorAck === 'cmd-01' ? ack.data.equals(sent.data) : ack.data.length === 0;
}
