/**
 * Hall time. Every business rule (the business day, numbering, issuing hours) is read in the hall's
 * time zone. China has one fixed offset (UTC+8, no daylight saving), so Asia/Shanghai is computed
 * without a time-zone database. The clock itself is always injected: these helpers take epoch milliseconds.
 */
export const HALL_TIMEZONE = 'Asia/Shanghai';
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** A clock: epoch milliseconds now. Injected everywhere instead of Date.now(). */
export type Clock = () => number;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The business day (YYYY-MM-DD in Asia/Shanghai) of an instant. */
export function businessDayOf(ms: number): string {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Minutes since local midnight in Asia/Shanghai (0…1439). */
export function minuteOfDay(ms: number): number {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return d.getUTCHours() * 60 + d.getUTCMinutes();
}

/** Epoch ms of local midnight (00:00 Asia/Shanghai) of a business day. */
export function startOfBusinessDay(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - SHANGHAI_OFFSET_MS;
}

/** ISO 8601 with the +08:00 offset, e.g. 2026-11-30T09:05:00.000+08:00. */
export function toShanghaiIso(ms: number): string {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(
    d.getUTCMinutes(),
  )}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+08:00`;
}

/** "08:30" → 510. Throws on a malformed value (config validation catches it first). */
export function parseHhMm(value: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$|^(24):(00)$/.exec(value);
  if (!m) throw new Error(`not a time of day: ${value}`);
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

/** Day of the week of a business day, 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: string): number {
  return new Date(startOfBusinessDay(day) + SHANGHAI_OFFSET_MS).getUTCDay();
}
