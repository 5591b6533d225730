/** DLE EOT n real-time status (ESC/POS). */

export type StatusQuery = 1 | 2 | 3 | 4;

export interface PrinterStatus {
  online: boolean;
  coverOpen: boolean;
  paperEnd: boolean;
  paperNearEnd: boolean;
  error: boolean;
}

/** n = 1 printer status, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export const STATUS_QUERIES: readonly StatusQuery[] = [1, 2, 3, 4];

/** DLE EOT n: 10 04 n. */
export function statusRequest(n: StatusQuery): Uint8Array {
  return Uint8Array.of(0x10, 0x04, n);
}

/** Every status reply has bit 0 = 0, bit 1 = 1, bit 4 = 1, bit 7 = 0. */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export interface DecodedPrinterStatus {
  /** n=1 bit 3: offline. */
  offline: boolean;
  /** n=1 bit 5: waiting for online recovery. */
  waitingRecovery: boolean;
}
export interface DecodedOfflineCause {
  /** n=2 bit 2 */ coverOpen: boolean;
  /** n=2 bit 3 */ feedButton: boolean;
  /** n=2 bit 5 */ paperEndStop: boolean;
  /** n=2 bit 6 */ errorOccurred: boolean;
}
export interface DecodedErrorCause {
  /** n=3 bit 2 */ mechanical: boolean;
  /** n=3 bit 3 */ autocutter: boolean;
  /** n=3 bit 5 */ unrecoverable: boolean;
  /** n=3 bit 6 */ autoRecoverable: boolean;
}
export interface DecodedPaperSensor {
  /** n=4 bits 2,3 */ nearEnd: boolean;
  /** n=4 bits 5,6 */ end: boolean;
}

function check(n: StatusQuery, b: number): void {
  if (!Number.isInteger(b) || !isStatusByte(b)) {
    throw new StatusByteError(n, b);
  }
}

export class StatusByteError extends Error {
  readonly code = 'PRINTER_BAD_STATUS';
  constructor(
    readonly query: StatusQuery,
    readonly byte: number,
  ) {
    super(`打印机状态应答无效（DLE EOT ${query} 应答 0x${byte.toString(16).padStart(2, '0')}）`);
    this.name = 'StatusByteError';
  }
}

export function decodePrinterStatus(b: number): DecodedPrinterStatus {
  check(1, b);
  return { offline: (b & 0x08) !== 0, waitingRecovery: (b & 0x20) !== 0 };
}

export function decodeOfflineCause(b: number): DecodedOfflineCause {
  check(2, b);
  return {
    coverOpen: (b & 0x04) !== 0,
    feedButton: (b & 0x08) !== 0,
    paperEndStop: (b & 0x20) !== 0,
    errorOccurred: (b & 0x40) !== 0,
  };
}

export function decodeErrorCause(b: number): DecodedErrorCause {
  check(3, b);
  return {
    mechanical: (b & 0x04) !== 0,
    autocutter: (b & 0x08) !== 0,
    unrecoverable: (b & 0x20) !== 0,
    autoRecoverable: (b & 0x40) !== 0,
  };
}

export function decodePaperSensor(b: number): DecodedPaperSensor {
  check(4, b);
  return { nearEnd: (b & 0x0c) !== 0, end: (b & 0x60) !== 0 };
}

/** Combines the four replies (to DLE EOT 1, 2, 3, 4 in that order). */
export function decodeStatus(replies: readonly [number, number, number, number]): PrinterStatus {
  const [r1, r2, r3, r4] = replies;
  const printer = decodePrinterStatus(r1);
  const offline = decodeOfflineCause(r2);
  const err = decodeErrorCause(r3);
  const paper = decodePaperSensor(r4);
  return {
    online: !printer.offline,
    coverOpen: offline.coverOpen,
    paperEnd: paper.end || offline.paperEndStop,
    paperNearEnd: paper.nearEnd,
    error: offline.errorOccurred || err.mechanical || err.autocutter || err.unrecoverable || err.autoRecoverable,
  };
}

/** The inverse (used by the virtual printer): the reply byte for query n given a state. */
export function encodeStatusReply(n: StatusQuery, s: PrinterStatus): number {
  switch (n) {
    case 1:
      return 0x12 | (s.online ? 0 : 0x08);
    case 2:
      return 0x12 | (s.coverOpen ? 0x04 : 0) | (s.paperEnd ? 0x20 : 0) | (s.error ? 0x40 : 0);
    case 3:
      return 0x12 | (s.error ? 0x40 : 0);
    case 4:
      return 0x12 | (s.paperNearEnd || s.paperEnd ? 0x0c : 0) | (s.paperEnd ? 0x60 : 0);
  }
}

/** True when a ticket may be printed. */
export function canPrint(s: PrinterStatus): boolean {
  return s.online && !s.coverOpen && !s.paperEnd && !s.error;
}
