/** Words and numbers as the kiosk says them: pure, zh-CN. */
import type { QueueSummary, Service } from '@yimen/shared';

/** "约 12 分钟", "无需等候", "暂无估计". */
export function waitText(minutes: number | null | undefined, waiting: number): string {
  if (waiting === 0) return '无需等候';
  if (minutes === null || minutes === undefined) return '暂无估计';
  if (minutes < 1) return '约 1 分钟';
  if (minutes >= 120) return `约 ${Math.round(minutes / 60)} 小时`;
  return `约 ${Math.round(minutes)} 分钟`;
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

export function queueOf(queues: Record<string, QueueSummary>, serviceId: string): { waiting: number; minutes: number | null } {
  const q = queues[serviceId];
  return { waiting: q?.waiting ?? 0, minutes: q?.estimatedWaitMinutes ?? null };
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
