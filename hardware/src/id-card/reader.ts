/**
 * Driver for a GA/T 467 SAM ID card reader: find → select → read over any byte port
 * (serialport at 115200 8N1 by default). Never logs card contents.
 */
import { maskIdNumber, maskName } from '@yimen/shared';
import type { Port } from '../serial/port.js';
import {
  CMD,
  decodeReply,
  decodeTextBlock,
  decodeTextPhoto,
  encodeCommand,
  FrameError,
  FrameParser,
  type IdCardText,
  type Reply,
  SW3,
  TextBlockError,
} from './codec.js';

export { openSerialPort, type Port, serialPortAsPort } from '../serial/port.js';

export interface IdCard {
  text: IdCardText;
  /** 1024 bytes of WLT, opaque. */
  photo: Buffer;
  /** The 8 bytes returned by select. */
  serial: Buffer;
}

export interface IdCardReader {
  /** null when no card is on the reader. */
  readCard(): Promise<IdCard | null>;
  close(): Promise<void>;
}

export type IdCardErrorCode =
  | 'TIMEOUT'
  | 'BAD_FRAME'
  | 'READER_CHECKSUM'
  | 'READER_LENGTH'
  | 'BAD_COMMAND'
  | 'NOT_PERMITTED'
  | 'READER_ERROR'
  | 'AUTH_FAILED'
  | 'VERIFY_FAILED'
  | 'UNSUPPORTED_CARD'
  | 'READ_FAILED'
  | 'RANDOM_FAILED'
  | 'SAM_SELF_TEST_FAILED'
  | 'SAM_NOT_AUTHORISED'
  | 'SELECT_FAILED'
  | 'EMPTY'
  | 'UNEXPECTED_STATUS'
  | 'BAD_TEXT'
  | 'CLOSED';

export class IdCardReaderError extends Error {
  readonly code: IdCardErrorCode;
  /** SW3 of the reply, when the reader answered. */
  readonly sw3?: number;
  constructor(code: IdCardErrorCode, message: string, sw3?: number) {
    super(message);
    this.name = 'IdCardReaderError';
    this.code = code;
    if (sw3 !== undefined) this.sw3 = sw3;
  }
}

const SW3_CODES: Record<number, IdCardErrorCode> = {
  [SW3.checksumWrong]: 'READER_CHECKSUM',
  [SW3.lengthWrong]: 'READER_LENGTH',
  [SW3.badCommand]: 'BAD_COMMAND',
  [SW3.notPermitted]: 'NOT_PERMITTED',
  [SW3.unknownError]: 'READER_ERROR',
  [SW3.authFailed1]: 'AUTH_FAILED',
  [SW3.authFailed2]: 'AUTH_FAILED',
  [SW3.verifyFailed]: 'VERIFY_FAILED',
  [SW3.unknownCardType]: 'UNSUPPORTED_CARD',
  [SW3.readFailed]: 'READ_FAILED',
  [SW3.randomFailed]: 'RANDOM_FAILED',
  [SW3.samSelfTestFailed]: 'SAM_SELF_TEST_FAILED',
  [SW3.samNotAuthorised]: 'SAM_NOT_AUTHORISED',
  [SW3.selectFailed]: 'SELECT_FAILED',
  [SW3.empty]: 'EMPTY',
};

export function errorForStatus(sw3: number, step: string): IdCardReaderError {
  const code = SW3_CODES[sw3] ?? 'UNEXPECTED_STATUS';
  return new IdCardReaderError(
    code,
    `${step}: reader answered SW3=${sw3.toString(16).toUpperCase().padStart(2, '0')} (${code})`,
    sw3,
  );
}

/** Transient failures worth another attempt: our frame or theirs was damaged, or nothing came back. */
const RETRYABLE: ReadonlySet<IdCardErrorCode> = new Set(['TIMEOUT', 'BAD_FRAME', 'READER_CHECKSUM', 'READER_LENGTH']);

export interface ReaderOptions {
  /** find and select: drivers use 0.3–1 s. */
  findTimeoutMs?: number;
  /** read: drivers use 1.1–3.5 s (1295 bytes take ~112 ms on the wire at 115200). */
  readTimeoutMs?: number;
  /** Further attempts of a command after a transient failure. */
  retries?: number;
  /** Attempts of the read after SW3 41 (reading the card failed), starting over from find. */
  readFailureRetries?: number;
}

export class SamIdCardReader implements IdCardReader {
  private readonly parser = new FrameParser();
  private readonly unsubscribe: () => void;
  private waiter: ((r: { reply?: Reply; error?: FrameError }) => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly opts: Required<ReaderOptions>;

  constructor(
    private readonly port: Port,
    options: ReaderOptions = {},
  ) {
    this.opts = { findTimeoutMs: 1000, readTimeoutMs: 3500, retries: 2, readFailureRetries: 1, ...options };
    this.unsubscribe = port.onData((chunk) => this.onData(chunk));
  }

  /** Bytes of noise skipped between frames so far. */
  get skippedBytes(): number {
    return this.parser.skipped;
  }

  readCard(): Promise<IdCard | null> {
    const run = this.queue.then(() => this.readOnce());
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.waiter?.({ error: undefined });
    await this.port.close();
  }

  private async readOnce(): Promise<IdCard | null> {
    for (let attempt = 0; ; attempt++) {
      const found = await this.command(CMD.findCard, this.opts.findTimeoutMs, 'find');
      if (found.sw3 === SW3.noCard) return null;
      if (found.sw3 !== SW3.cardFound) throw errorForStatus(found.sw3, 'find');
      const selected = await this.command(CMD.selectCard, this.opts.findTimeoutMs, 'select');
      if (selected.sw3 !== SW3.success) throw errorForStatus(selected.sw3, 'select');
      const read = await this.command(CMD.readTextPhoto, this.opts.readTimeoutMs, 'read');
      if (read.sw3 === SW3.readFailed && attempt < this.opts.readFailureRetries) continue;
      if (read.sw3 !== SW3.success) throw errorForStatus(read.sw3, 'read');
      try {
        const { text, photo } = decodeTextPhoto(read.payload);
        return { text: decodeTextBlock(text), photo: Buffer.from(photo), serial: Buffer.from(selected.payload) };
      } catch (e) {
        if (e instanceof FrameError || e instanceof TextBlockError) {
          throw new IdCardReaderError('BAD_TEXT', `read: ${e.message}`);
        }
        throw e;
      }
    }
  }

  /** Sends a command and waits for its reply, retrying transient failures. */
  private async command(cmd: readonly [number, number], timeoutMs: number, step: string): Promise<Reply> {
    let last: IdCardReaderError | undefined;
    for (let i = 0; i <= this.opts.retries; i++) {
      try {
        const reply = await this.exchange(encodeCommand(cmd[0], cmd[1]), timeoutMs, step);
        const err = SW3_CODES[reply.sw3];
        if (err && RETRYABLE.has(err)) {
          last = errorForStatus(reply.sw3, step);
          continue;
        }
        return reply;
      } catch (e) {
        if (e instanceof IdCardReaderError && RETRYABLE.has(e.code)) {
          last = e;
          continue;
        }
        throw e;
      }
    }
    throw last ?? new IdCardReaderError('TIMEOUT', `${step}: no reply`);
  }

  private exchange(frame: Buffer, timeoutMs: number, step: string): Promise<Reply> {
    if (this.closed) return Promise.reject(new IdCardReaderError('CLOSED', 'reader closed'));
    this.parser.reset();
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new IdCardReaderError('TIMEOUT', `${step}: no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = ({ reply, error }) => {
        clearTimeout(timer);
        this.waiter = null;
        if (reply) resolve(reply);
        else if (error) reject(new IdCardReaderError('BAD_FRAME', `${step}: ${error.message}`));
        else reject(new IdCardReaderError('CLOSED', 'reader closed'));
      };
      this.port.write(frame).catch((e: unknown) => {
        clearTimeout(timer);
        this.waiter = null;
        reject(e);
      });
    });
  }

  private onData(chunk: Buffer): void {
    for (const parsed of this.parser.push(chunk)) {
      const waiter = this.waiter;
      if (!waiter) continue; // a late or unsolicited frame
      if (!parsed.ok) {
        waiter({ error: parsed.error });
        continue;
      }
      try {
        waiter({ reply: decodeReply(parsed.frame) });
      } catch (e) {
        waiter({ error: e as FrameError });
      }
    }
  }
}

/** What may leave the kiosk: the ID number and birth date go to the server; the name only masked, for display. */
export function forServer(card: IdCard): { idNumber: string; birthDate: string; cardType: IdCardText['cardType'] } {
  return { idNumber: card.text.idNumber, birthDate: card.text.birthDate, cardType: card.text.cardType };
}

/** A log-safe description of a card. */
export function describeCard(card: IdCard): string {
  return `${card.text.cardType} card ${maskIdNumber(card.text.idNumber)} (${maskName(card.text.name)})`;
}
