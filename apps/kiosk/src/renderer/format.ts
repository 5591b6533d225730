/** Words and numbers as the kiosk says them: pure, zh-CN. */
import { isNoWait, type QueueSummary, type Service, waitMinutesText } from '@yimen/shared';

/**
 * "约 12 分钟", "约 1 小时 15 分钟", "无需等候", "暂无估计", as the printed ticket and the hall say them
 * (@yimen/shared wait-words); `ahead`: the people ahead (null: unknown).
 */
export function waitText(minutes: number | null | undefined, ahead: number | null): string {
  if (minutes === null || minutes === undefined) return '暂无估计';
  if (isNoWait(ahead, minutes)) return '无需等候';
  return waitMinutesText(minutes);
}

/**
 * A stop message as a banner shows it: the headline (its first sentence, "打印纸已用完，暂停取号") and the rest
 * ("请联系工作人员或到咨询台取号。"); a message that does not say 暂停取号 gets it as its headline.
 */
export function noticeParts(message: string): { head: string; rest: string } {
  const i = message.indexOf('。');
  const head = i < 0 ? message : message.slice(0, i);
  const rest = i < 0 ? '' : message.slice(i + 1);
  return head.includes('暂停取号') ? { head, rest } : { head: '暂停取号', rest: message };
}

/** A message in its sentences (each ends with 。): lines that wrap between sentences, not inside one. */
export function sentences(message: string): string[] {
  return message.match(/[^。]+。?/g) ?? [message];
}

const DIGITS = '零一二三四五六七八九';

/** How a synthesizer should read a ticket number: "A001" → "A零零一" (digit by digit, as halls call them). */
export function spokenNumber(number: string): string {
  return [...number].map((c) => (c >= '0' && c <= '9' ? DIGITS[Number(c)] : c)).join('');
}

/** HH:MM:SS and the date line of the header, in the hall's time zone. */
export function clockParts(ms: number, timeZone = 'Asia/Shanghai'): { time: string; date: string } {
  const d = new Date(ms);
  const time = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
  const date = new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'long',
  }).format(d);
  return { time, date };
}

/** Minutes since midnight in the hall's time zone. */
export function minutesOfDay(ms: number, timeZone = 'Asia/Shanghai'): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(
    new Date(ms),
  );
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Why a service cannot be taken now, or null: suspended by the hall, or outside its own issuing hours
 * (a service without hours follows the hall's default hours, which the server checks when issuing).
 */
export function unavailableReason(service: Service, nowMs: number, timeZone = 'Asia/Shanghai'): string | null {
  if (service.suspended) return '暂停办理';
  if (service.hours.length > 0) {
    const now = minutesOfDay(nowMs, timeZone);
    const open = service.hours.some((h) => now >= toMinutes(h.from) && now < toMinutes(h.to));
    if (!open) return `取号时间 ${service.hours.map((h) => `${h.from}-${h.to}`).join('、')}`;
  }
  return null;
}

/**
 * A service's queue as the kiosk shows it: `waiting`, its own waiting tickets (the tiles' 等候 N 人); `ahead`,
 * the people a new ordinary ticket would have ahead of it now (W2, the server's peopleAhead: tickets of other
 * services the same counters call count too), null when no counter may call it; `minutes`, the estimate.
 */
export function queueOf(
  queues: Record<string, QueueSummary>,
  serviceId: string,
): { waiting: number; ahead: number | null; minutes: number | null } {
  const q = queues[serviceId];
  const waiting = q?.waiting ?? 0;
  // An older server sends no peopleAhead: its own waiting count is the best there is.
  const ahead = q === undefined ? 0 : q.peopleAhead === undefined ? waiting : q.peopleAhead;
  return { waiting, ahead, minutes: q?.estimatedWaitMinutes ?? null };
}

/** 前面还有 N 人: the count, or a dash when nobody can tell. */
export function aheadText(ahead: number | null): string {
  return ahead === null ? '—' : String(ahead);
}

/** A random id for an idempotency key; crypto.randomUUID exists only in secure contexts (https, localhost),
 * and a kiosk on the hall's LAN loads the page over plain http. */
export function newRequestId(c: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
