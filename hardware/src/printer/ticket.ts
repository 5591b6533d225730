import { isNoWait, waitMinutesText } from '@yimen/shared';
import { EscPosBuilder, textColumns, wrapText } from './escpos.js';

export type PaperWidth = 58 | 80;

export interface Ticket {
  hallName: string;
  serviceName: string;
  number: string;
  /** null when the server gave none (the ticket is not waiting, or no window may call it). */
  peopleAhead: number | null;
  /** null when the server has no estimate (no window may call the ticket): the line is left out. */
  estimatedWaitMinutes: number | null;
  /** ISO 8601 with offset, e.g. 2026-11-27T09:05:00+08:00. */
  issuedAt: string;
  /** QR content: the ticket's status page. */
  statusUrl: string;
  /** e.g. 过号请到咨询台重新排队 */
  footer: string;
  paper: PaperWidth;
}

/** Columns of font A: 58 mm = 32 ASCII / 16 CJK; 80 mm = 48 / 24. */
export function paperColumns(paper: PaperWidth): number {
  return paper === 58 ? 32 : 48;
}

/** Largest magnification (1..max) at which the text fits on one line. */
export function fittingScale(text: string, cols: number, max = 8): number {
  const width = Math.max(1, textColumns(text));
  return Math.max(1, Math.min(max, Math.floor(cols / width)));
}

/** Formats the issue time as China Standard Time (UTC+8): "2026-11-27 09:05". */
export function formatIssuedAt(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`invalid issuedAt: ${iso}`);
  const d = new Date(ms + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** Lines of the queue information: one line when it fits, else two. */
export function waitLines(peopleAhead: number | null, minutes: number | null, cols: number): string[] {
  // A free window will call it at once: no count and no "about 0 minutes", as the kiosk's screen says.
  if (isNoWait(peopleAhead, minutes)) return ['无需等候，请留意叫号'];
  const parts = [
    ...(peopleAhead === null ? [] : [`前面还有 ${peopleAhead} 人`]),
    ...(minutes === null ? [] : [`预计等候${waitMinutesText(minutes)}`]),
  ];
  const joined = parts.join(' · ');
  return parts.length === 2 && textColumns(joined) <= cols ? [joined] : parts;
}

/** Pure encoder: ticket → ESC/POS bytes (GB18030 text, FS &, QR via GS ( k, partial cut). */
export function encodeTicket(t: Ticket): Uint8Array {
  const cols = paperColumns(t.paper);
  const b = new EscPosBuilder().init().chineseMode().align('center');

  // Hall name: bold, double size when it fits, else normal size wrapped.
  const hallScale = fittingScale(t.hallName, cols, 2);
  b.bold(true).size(hallScale, hallScale);
  for (const l of wrapText(t.hallName, Math.floor(cols / hallScale))) b.line(l);
  b.size(1, 1).bold(false);

  // Service name.
  const svcScale = fittingScale(t.serviceName, cols, 2);
  b.size(svcScale, svcScale);
  for (const l of wrapText(t.serviceName, Math.floor(cols / svcScale))) b.line(l);
  b.size(1, 1).feed(1);

  // The number, huge (GS ! 0x77 when it fits).
  const numScale = fittingScale(t.number, cols, 8);
  b.bold(true).size(numScale, numScale).line(t.number).size(1, 1).bold(false).feed(1);

  for (const l of waitLines(t.peopleAhead, t.estimatedWaitMinutes, cols)) b.line(l);
  b.line(`取号时间 ${formatIssuedAt(t.issuedAt)}`).feed(1);

  b.qr(t.statusUrl, { moduleSize: t.paper === 58 ? 6 : 8, errorLevel: 'M' }).feed(1);

  for (const l of wrapText(t.footer, cols)) b.line(l);
  return b.feedLines(4).cut(0).build();
}
