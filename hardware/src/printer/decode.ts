import iconv from 'iconv-lite';
import type { Align, QrErrorLevel } from './escpos.js';

/**
 * Length of the ESC/POS command (or text byte) starting at buf[i], or 0 when the buffer ends
 * before the command does. Unknown control bytes count as 1.
 */
export function commandLength(buf: ArrayLike<number>, i: number): number {
  const avail = buf.length - i;
  if (avail <= 0) return 0;
  const b0 = buf[i] ?? 0;
  const need = (n: number) => (avail >= n ? n : 0);
  switch (b0) {
    case 0x10: // DLE EOT n / DLE ENQ n / DLE DC4 ...
      if (avail < 2) return 0;
      return buf[i + 1] === 0x14 ? need(5) : need(3);
    case 0x1b: {
      if (avail < 2) return 0;
      const b1 = buf[i + 1] ?? 0;
      if (b1 === 0x40) return 2; // ESC @
      return need(3); // ESC a n, ESC E n, ESC d n, ESC ! n, ESC J n, ...
    }
    case 0x1c: {
      if (avail < 2) return 0;
      const b1 = buf[i + 1] ?? 0;
      if (b1 === 0x26 || b1 === 0x2e) return 2; // FS & / FS .
      return need(3); // FS ! n etc.
    }
    case 0x1d: {
      if (avail < 2) return 0;
      const b1 = buf[i + 1] ?? 0;
      if (b1 === 0x28) {
        if (avail < 5) return 0;
        return need(5 + (buf[i + 3] ?? 0) + (buf[i + 4] ?? 0) * 256); // GS ( fn pL pH ...
      }
      if (b1 === 0x56) {
        if (avail < 3) return 0;
        const m = buf[i + 2] ?? 0;
        return m === 0 || m === 1 || m === 0x30 || m === 0x31 ? 3 : need(4); // GS V m [n]
      }
      return need(3); // GS ! n etc.
    }
    default:
      return 1;
  }
}

export interface PrintedLine {
  text: string;
  align: Align;
  /** Character magnification (GS ! n). */
  width: number;
  height: number;
  bold: boolean;
  /** Set when this "line" is a printed QR code; text is then empty. */
  qr?: string;
  /** QR lines only: module size in dots (GS ( k fn 167; printer default 3). */
  qrModuleSize?: number;
  /** QR lines only: error correction level (GS ( k fn 169; printer default L). */
  qrErrorLevel?: QrErrorLevel;
}

export interface DecodedJob {
  lines: PrintedLine[];
  qrCodes: string[];
  chineseMode: boolean;
  cut: boolean;
  /** Commands the decoder did not recognise (hex), for debugging. */
  unknown: string[];
}

const ALIGNS: Align[] = ['left', 'center', 'right'];
/** GS ( k fn 169: n = 48..51 (0x30..0x33). */
const QR_LEVELS: QrErrorLevel[] = ['L', 'M', 'Q', 'H'];
/** Printer defaults for GS ( k (Epson): module size 3 dots, error correction level L. */
const QR_DEFAULT_MODULE_SIZE = 3;
const QR_DEFAULT_ERROR_LEVEL: QrErrorLevel = 'L';

/** Decodes an ESC/POS job into printed lines (GB18030 → Unicode), noting size, bold and QR payloads. */
export function decodeJob(bytes: ArrayLike<number>): DecodedJob {
  const buf = Buffer.from(Array.from({ length: bytes.length }, (_, k) => bytes[k] ?? 0));
  const out: DecodedJob = { lines: [], qrCodes: [], chineseMode: false, cut: false, unknown: [] };
  let align: Align = 'left';
  let width = 1;
  let height = 1;
  let bold = false;
  let qrStore: string | undefined;
  let qrModuleSize = QR_DEFAULT_MODULE_SIZE;
  let qrErrorLevel = QR_DEFAULT_ERROR_LEVEL;
  let text: number[] = [];
  let lineAttrs: Omit<PrintedLine, 'text'> | undefined;

  const attrs = () => ({ align, width, height, bold });
  const flush = (force: boolean) => {
    if (text.length === 0 && !force) return;
    const a = lineAttrs ?? attrs();
    out.lines.push({ text: iconv.decode(Buffer.from(text), 'gb18030'), ...a });
    text = [];
    lineAttrs = undefined;
  };

  let i = 0;
  while (i < buf.length) {
    const len = commandLength(buf, i);
    if (len === 0) {
      out.unknown.push(buf.subarray(i).toString('hex'));
      break;
    }
    const b0 = buf[i] ?? 0;
    const b1 = buf[i + 1] ?? 0;
    const b2 = buf[i + 2] ?? 0;
    if (b0 >= 0x20) {
      if (text.length === 0) lineAttrs = attrs();
      text.push(b0);
    } else if (b0 === 0x0a) {
      flush(true);
    } else if (b0 === 0x0d) {
      // CR: ignored
    } else if (b0 === 0x1b && b1 === 0x40) {
      align = 'left';
      width = 1;
      height = 1;
      bold = false;
      qrModuleSize = QR_DEFAULT_MODULE_SIZE;
      qrErrorLevel = QR_DEFAULT_ERROR_LEVEL;
    } else if (b0 === 0x1b && b1 === 0x61) {
      align = ALIGNS[b2 % 48] ?? 'left';
    } else if (b0 === 0x1b && b1 === 0x45) {
      bold = (b2 & 1) === 1;
    } else if (b0 === 0x1b && b1 === 0x64) {
      flush(false);
      for (let k = 0; k < b2; k++) out.lines.push({ text: '', ...attrs() });
    } else if (b0 === 0x1c && b1 === 0x26) {
      out.chineseMode = true;
    } else if (b0 === 0x1c && b1 === 0x2e) {
      out.chineseMode = false;
    } else if (b0 === 0x1d && b1 === 0x21) {
      width = ((b2 >> 4) & 7) + 1;
      height = (b2 & 7) + 1;
    } else if (b0 === 0x1d && b1 === 0x28 && buf[i + 2] === 0x6b) {
      const cn = buf[i + 5];
      const fn = buf[i + 6];
      const n = buf[i + 7] ?? 0;
      if (cn === 0x31 && fn === 0x43 && n >= 1 && n <= 16) qrModuleSize = n;
      else if (cn === 0x31 && fn === 0x45) qrErrorLevel = QR_LEVELS[n - 0x30] ?? qrErrorLevel;
      else if (cn === 0x31 && fn === 0x50) qrStore = buf.subarray(i + 8, i + len).toString('utf8');
      else if (cn === 0x31 && fn === 0x51 && qrStore !== undefined) {
        flush(false);
        out.qrCodes.push(qrStore);
        out.lines.push({ text: '', ...attrs(), qr: qrStore, qrModuleSize, qrErrorLevel });
      }
    } else if (b0 === 0x1d && b1 === 0x56) {
      flush(false);
      out.cut = true;
    } else if (b0 === 0x10) {
      // real-time commands carry no printable content
    } else {
      out.unknown.push(buf.subarray(i, i + len).toString('hex'));
    }
    i += len;
  }
  flush(false);
  return out;
}
