import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canPrint,
  decodeErrorCause,
  decodeOfflineCause,
  decodePaperSensor,
  decodePrinterStatus,
  decodeStatus,
  encodeStatusReply,
  type PrinterStatus,
  StatusByteError,
  statusRequest,
} from './status.js';

describe('DLE EOT status', () => {
  it('builds the requests 10 04 01..04', () => {
    expect([1, 2, 3, 4].map((n) => Buffer.from(statusRequest(n as 1 | 2 | 3 | 4)).toString('hex'))).toEqual([
      '100401',
      '100402',
      '100403',
      '100404',
    ]);
  });

  it('decodes each reply per ESC/POS', () => {
    expect(decodePrinterStatus(0x12)).toEqual({ offline: false, waitingRecovery: false });
    expect(decodePrinterStatus(0x1a).offline).toBe(true);
    expect(decodeOfflineCause(0x16).coverOpen).toBe(true);
    expect(decodeOfflineCause(0x32).paperEndStop).toBe(true);
    expect(decodeOfflineCause(0x52).errorOccurred).toBe(true);
    expect(decodeErrorCause(0x1a).autocutter).toBe(true);
    expect(decodeErrorCause(0x32).unrecoverable).toBe(true);
    expect(decodePaperSensor(0x1e)).toEqual({ nearEnd: true, end: false });
    expect(decodePaperSensor(0x72)).toEqual({ nearEnd: false, end: true });
    expect(decodePaperSensor(0x7e)).toEqual({ nearEnd: true, end: true });
  });

  it('combines the four replies', () => {
    expect(decodeStatus([0x12, 0x12, 0x12, 0x12])).toEqual({
      online: true,
      coverOpen: false,
      paperEnd: false,
      paperNearEnd: false,
      error: false,
    });
    const out = decodeStatus([0x1a, 0x32, 0x12, 0x7e]);
    expect(out).toEqual({ online: false, coverOpen: false, paperEnd: true, paperNearEnd: true, error: false });
    expect(canPrint(out)).toBe(false);
    expect(decodeStatus([0x1a, 0x16, 0x12, 0x12]).coverOpen).toBe(true);
  });

  it('rejects bytes that are not status replies', () => {
    expect(() => decodePrinterStatus(0x00)).toThrow(StatusByteError);
    expect(() => decodePaperSensor(0xff)).toThrow(/DLE EOT 4/);
  });

  it('encodeStatusReply and decodeStatus agree', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (coverOpen, paperEnd, paperNearEnd, error) => {
        const s: PrinterStatus = { online: !(coverOpen || paperEnd || error), coverOpen, paperEnd, paperNearEnd, error };
        const replies = [1, 2, 3, 4].map((n) => encodeStatusReply(n as 1 | 2 | 3 | 4, s)) as [number, number, number, number];
        expect(decodeStatus(replies)).toEqual({ ...s, paperNearEnd: paperNearEnd || paperEnd });
      }),
    );
  });
});
