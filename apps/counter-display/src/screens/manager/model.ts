/**
 * The manager's live view, the pure part: queue rows (sortable), counter rows, alerts, device faults,
 * evaluations, the demo printer's record and the words they are shown with. Every time here is the server's clock (the hall's time), never the
 * browser's: the view carries the server time of its last snapshot or fact, and `serverOffset` turns the
 * browser's clock into the server's.
 */
import type {
  Counter,
  Device,
  DeviceFault,
  DeviceFaultCode,
  DeviceKind,
  DevicePresence,
  Evaluation,
  EvaluationLevel,
  HallView,
  Service,
  TicketView,
} from '@yimen/shared';
import {
  DEVICE_FAULT_LABELS,
  DEVICE_WARNINGS,
  EVALUATION_LEVEL_LABELS,
  parseTicketNumber,
  SHANGHAI_OFFSET_MS,
} from '@yimen/shared';

/** A citizen waiting this long is an alert. */
export const LONG_WAIT_MINUTES = 30;
/** A counter paused this long is an alert. */
export const LONG_PAUSE_MINUTES = 15;
/** An open counter with nothing to do this long, while its services have people waiting, is an alert. */
export const IDLE_WITH_QUEUE_MINUTES = 10;
/** A paired device offline this long is an alert (shorter outages are a restart or a reconnect). */
export const DEVICE_OFFLINE_MINUTES = 2;

/** How far the server's clock is ahead of this browser's, from a server time read at `clientNow`. */
export function serverOffset(serverTime: string, clientNow: number): number {
  const t = Date.parse(serverTime);
  return Number.isNaN(t) ? 0 : t - clientNow;
}

const secondsBetween = (fromIso: string | null, now: number): number | null => {
  if (!fromIso) return null;
  const t = Date.parse(fromIso);
  return Number.isNaN(t) ? null : Math.max(0, Math.floor((now - t) / 1000));
};

// ---------------------------------------------------------------- queues

export interface QueueRow {
  service: Service;
  waiting: number;
  /** Seconds the longest waiting ticket has waited; null when nobody waits. */
  oldestWaitSeconds: number | null;
  estimatedWaitMinutes: number | null;
  /** Counters serving this service that are open (not paused, not closed). */
  openCounters: number;
}

/**
 * Every service's queue. The waiting count and the estimate are the server's (queue:updated); the oldest
 * wait is counted live from the waiting tickets' issue times (the server's figure is as old as its last update).
 */
export function queueRows(view: HallView, now: number): QueueRow[] {
  const oldestIssued = new Map<string, number>();
  for (const t of Object.values(view.tickets)) {
    if (t.status !== 'waiting') continue;
    const at = Date.parse(t.issuedAt);
    const prev = oldestIssued.get(t.serviceId);
    if (prev === undefined || at < prev) oldestIssued.set(t.serviceId, at);
  }
  return view.services.map((service) => {
    const q = view.queues[service.id];
    const waiting = q?.waiting ?? 0;
    const issued = oldestIssued.get(service.id);
    const oldestWaitSeconds =
      waiting === 0
        ? null
        : issued !== undefined
          ? Math.max(0, Math.floor((now - issued) / 1000))
          : (q?.oldestWaitSeconds ?? null);
    return {
      service,
      waiting,
      oldestWaitSeconds,
      estimatedWaitMinutes: waiting === 0 ? null : (q?.estimatedWaitMinutes ?? null),
      openCounters: view.counters.filter((c) => c.state === 'open' && c.serviceIds.includes(service.id)).length,
    };
  });
}

export type QueueSortKey = 'oldest' | 'waiting' | 'estimate' | 'name';
export interface QueueSort {
  key: QueueSortKey;
  /** 'desc': biggest first (for 'name': the reverse of the prefix order). */
  dir: 'asc' | 'desc';
}
export const DEFAULT_QUEUE_SORT: QueueSort = { key: 'oldest', dir: 'desc' };

const byName = (a: QueueRow, b: QueueRow) =>
  a.service.prefix.localeCompare(b.service.prefix) || a.service.name.localeCompare(b.service.name, 'zh-CN');

/** Sorted rows; a service nobody waits for (null figures) always comes last; ties: more waiting first. */
export function sortQueueRows(rows: readonly QueueRow[], sort: QueueSort): QueueRow[] {
  const value = (r: QueueRow): number | null =>
    sort.key === 'oldest' ? r.oldestWaitSeconds : sort.key === 'waiting' ? r.waiting : r.estimatedWaitMinutes;
  const sign = sort.dir === 'desc' ? -1 : 1;
  return [...rows].sort((a, b) => {
    if (sort.key === 'name') return sign * byName(a, b);
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1;
    } else if (va !== vb) return sign * (va - vb);
    return b.waiting - a.waiting || byName(a, b);
  });
}

/** The next sort when a column header is clicked: a new column starts with its natural direction. */
export function nextSort(current: QueueSort, key: QueueSortKey): QueueSort {
  if (current.key === key) return { key, dir: current.dir === 'desc' ? 'asc' : 'desc' };
  return { key, dir: key === 'name' ? 'asc' : 'desc' };
}

// ---------------------------------------------------------------- counters

/** What a counter is doing: closed, paused, open with nothing (idle), a ticket called, a ticket served. */
export type CounterActivity = 'closed' | 'paused' | 'idle' | 'called' | 'serving';

export const ACTIVITY_LABELS: Record<CounterActivity, string> = {
  closed: '未开放',
  paused: '暂停服务',
  idle: '空闲',
  called: '叫号中',
  serving: '办理中',
};

export interface CounterRow {
  counter: Counter;
  activity: CounterActivity;
  ticket: TicketView | null;
  /** For 'called': seconds since the call; for 'serving': seconds since the citizen arrived. */
  ticketSeconds: number | null;
  /** Seconds in its current state (open, paused, closed). */
  stateSeconds: number | null;
}

export function counterRows(view: HallView, now: number): CounterRow[] {
  return [...view.counters]
    .sort((a, b) => a.number - b.number)
    .map((counter) => {
      const ticket = counter.currentTicketId ? (view.tickets[counter.currentTicketId] ?? null) : null;
      let activity: CounterActivity;
      if (counter.state === 'closed') activity = 'closed';
      else if (counter.state === 'paused' && !counter.currentTicketId) activity = 'paused';
      else if (!counter.currentTicketId) activity = 'idle';
      else activity = ticket?.status === 'called' ? 'called' : 'serving';
      const ticketSeconds =
        activity === 'called'
          ? secondsBetween(ticket?.calledAt ?? null, now)
          : activity === 'serving'
            ? secondsBetween(ticket?.startedAt ?? ticket?.calledAt ?? null, now)
            : null;
      return { counter, activity, ticket, ticketSeconds, stateSeconds: secondsBetween(counter.stateSince, now) };
    });
}

// ---------------------------------------------------------------- idle counters

/** The fact types after which a counter may have been busy: a call, a recall, a start, an end of a ticket. */
const COUNTER_ACTIVITY_FACTS = new Set([
  'ticket:called',
  'ticket:recalled',
  'ticket:started',
  'ticket:finished',
  'ticket:no-show',
  'ticket:transferred',
  'ticket:cancelled',
]);

/** Records, per counter, the server time of its last ticket activity; returns the same map. */
export function noteCounterActivity(
  last: Record<string, number>,
  fact: { type: string; at: string; counter?: { id: string } | null },
): Record<string, number> {
  if (!COUNTER_ACTIVITY_FACTS.has(fact.type) || !fact.counter) return last;
  const at = Date.parse(fact.at);
  if (!Number.isNaN(at)) last[fact.counter.id] = Math.max(last[fact.counter.id] ?? at, at);
  return last;
}

/**
 * How long an open counter without a ticket has been idle, at least: since the later of when this view began
 * watching (`observedFrom`, the snapshot), its last ticket activity seen since, and its state change. A lower
 * bound, never a guess: before the snapshot nothing is known. Null for a counter that is not idle.
 */
export function idleSeconds(
  row: CounterRow,
  observedFrom: number,
  lastActivity: Record<string, number>,
  now: number,
): number | null {
  if (row.activity !== 'idle') return null;
  const since = Math.max(observedFrom, lastActivity[row.counter.id] ?? observedFrom, Date.parse(row.counter.stateSince) || 0);
  return Math.max(0, Math.floor((now - since) / 1000));
}

// ---------------------------------------------------------------- device presence

export interface OfflineDevice {
  device: DevicePresence;
  /** Seconds offline, at least: counted from the later of the server's `since` and when this view began watching. */
  seconds: number;
}

/**
 * The paired devices that are offline now, longest first. `known`: the device list (GET /devices), when read:
 * a device revoked since the snapshot is still in the view (as offline) and is left out by it.
 */
export function offlineDevices(
  presence: Record<string, DevicePresence>,
  known: readonly Device[] | null,
  observedFrom: number,
  now: number,
): OfflineDevice[] {
  const revoked = new Set((known ?? []).filter((d) => d.revokedAt !== null).map((d) => d.id));
  return Object.values(presence)
    .filter((d) => !d.online && !revoked.has(d.deviceId))
    .map((device) => {
      const since = Math.max(Date.parse(device.since) || 0, observedFrom);
      return { device, seconds: Math.max(0, Math.floor((now - since) / 1000)) };
    })
    .sort((a, b) => b.seconds - a.seconds);
}

// ---------------------------------------------------------------- device faults

export type Severity = 'red' | 'amber';

/** A fault that stops the device's work is red; one it still works with (打印纸将尽) is amber. */
export const faultSeverity = (code: DeviceFaultCode): Severity => (DEVICE_WARNINGS.includes(code) ? 'amber' : 'red');

/** A device's faults in the order they are shown: red before amber, then the oldest first. */
export function sortFaults(faults: readonly DeviceFault[]): DeviceFault[] {
  const rank = (f: DeviceFault) => (faultSeverity(f.code) === 'red' ? 0 : 1);
  const at = (f: DeviceFault) => Date.parse(f.since) || 0;
  return [...faults].sort((a, b) => rank(a) - rank(b) || at(a) - at(b) || a.component.localeCompare(b.component));
}

export interface CurrentFault {
  device: DevicePresence;
  fault: DeviceFault;
  severity: Severity;
  /** The server time it began (ms). */
  since: number;
}

/**
 * Every current fault of every paired device (a kiosk's printer out of paper, its card reader gone…): red
 * before amber, then the oldest first. `known`: the device list (GET /devices), when read: a device revoked
 * since the snapshot is left out, as in `offlineDevices`.
 */
export function currentFaults(presence: Record<string, DevicePresence>, known: readonly Device[] | null): CurrentFault[] {
  const revoked = new Set((known ?? []).filter((d) => d.revokedAt !== null).map((d) => d.id));
  const out: CurrentFault[] = [];
  for (const device of Object.values(presence)) {
    if (device.revoked || revoked.has(device.deviceId)) continue;
    for (const fault of device.faults ?? [])
      out.push({ device, fault, severity: faultSeverity(fault.code), since: Date.parse(fault.since) || 0 });
  }
  const rank = (f: CurrentFault) => (f.severity === 'red' ? 0 : 1);
  return out.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.since - b.since ||
      a.device.name.localeCompare(b.device.name, 'zh-CN') ||
      a.fault.component.localeCompare(b.fault.component),
  );
}

export const faultLabel = (code: DeviceFaultCode): string => DEVICE_FAULT_LABELS[code] ?? code;

/** "自 09:05"; from an earlier day of the hall "自 11-29 17:40" (faults outlive the night). */
export function sinceLabel(since: number, now: number): string {
  if (Number.isNaN(since) || since === 0) return '';
  const day = (ms: number) => new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(5, 10);
  return day(since) === day(now) ? `自 ${timeOfDay(since)}` : `自 ${day(since)} ${timeOfDay(since)}`;
}

// ---------------------------------------------------------------- alerts

export type AlertKind = 'long-wait' | 'long-pause' | 'idle-with-queue' | 'no-open-counter' | 'device-offline' | 'device-fault';
export interface Alert {
  id: string;
  kind: AlertKind;
  severity: Severity;
  text: string;
  /** Shown small after the text (a device's own words on its fault). */
  detail?: string;
  /** For a device fault: its code. */
  code?: DeviceFaultCode;
}

export function alerts(
  queues: readonly QueueRow[],
  counters: readonly CounterRow[],
  idle: (row: CounterRow) => number | null,
  offline: readonly OfflineDevice[] = [],
  faults: readonly CurrentFault[] = [],
  now = Date.now(),
): Alert[] {
  const out: Alert[] = [];
  const waitingOf = new Map(queues.map((q) => [q.service.id, q.waiting]));
  for (const q of queues) {
    const label = `${q.service.name}（${q.service.prefix}）`;
    if (q.oldestWaitSeconds !== null && q.oldestWaitSeconds >= LONG_WAIT_MINUTES * 60)
      out.push({
        id: `long-wait:${q.service.id}`,
        kind: 'long-wait',
        severity: 'red',
        text: `${label}最长已等候 ${formatWait(q.oldestWaitSeconds)}，${q.waiting} 人在等`,
      });
    if (q.waiting > 0 && q.openCounters === 0)
      out.push({
        id: `no-open-counter:${q.service.id}`,
        kind: 'no-open-counter',
        severity: 'red',
        text: `${label}有 ${q.waiting} 人等候，但没有开放的窗口`,
      });
  }
  for (const r of counters) {
    const name = `${r.counter.number}号窗口`;
    if (r.counter.state === 'paused' && r.stateSeconds !== null && r.stateSeconds >= LONG_PAUSE_MINUTES * 60)
      out.push({
        id: `long-pause:${r.counter.id}`,
        kind: 'long-pause',
        severity: 'amber',
        text: `${name}已暂停 ${formatWait(r.stateSeconds)}`,
      });
    const idleFor = idle(r);
    const waiting = r.counter.serviceIds.reduce((n, s) => n + (waitingOf.get(s) ?? 0), 0);
    if (idleFor !== null && idleFor >= IDLE_WITH_QUEUE_MINUTES * 60 && waiting > 0)
      out.push({
        id: `idle-with-queue:${r.counter.id}`,
        kind: 'idle-with-queue',
        severity: 'amber',
        text: `${name}已空闲 ${formatWait(idleFor)}以上，其业务仍有 ${waiting} 人等候`,
      });
  }
  for (const f of faults) {
    const detail = f.fault.detail?.trim();
    out.push({
      id: `device-fault:${f.device.deviceId}:${f.fault.component}`,
      kind: 'device-fault',
      severity: f.severity,
      text: `${f.device.name}：${faultLabel(f.fault.code)}${f.since ? ` · ${sinceLabel(f.since, now)}` : ''}`,
      ...(detail ? { detail } : {}),
      code: f.fault.code,
    });
  }
  const allCounters = counters.map((r) => r.counter);
  for (const o of offline) {
    if (o.seconds < DEVICE_OFFLINE_MINUTES * 60) continue;
    const where = o.device.counterId ? `（${counterLabel(allCounters, o.device.counterId)}）` : '';
    out.push({
      id: `device-offline:${o.device.deviceId}`,
      kind: 'device-offline',
      severity: 'amber',
      text: `${DEVICE_KIND_LABELS[o.device.kind]}“${o.device.name}”${where}已离线 ${formatWait(o.seconds)}`,
    });
  }
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'red' ? -1 : 1));
}

// ---------------------------------------------------------------- evaluations

export const isLowRating = (level: EvaluationLevel): boolean => level === 'dissatisfied' || level === 'very_dissatisfied';

/** Evaluations seen so far and the view's newest, by id, newest first, at most `cap`. */
export function mergeEvaluations(seen: readonly Evaluation[], incoming: readonly Evaluation[], cap = 100): Evaluation[] {
  const byId = new Map<string, Evaluation>();
  for (const e of [...incoming, ...seen]) if (!byId.has(e.id)) byId.set(e.id, e);
  return [...byId.values()].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).slice(0, cap);
}

export interface EvaluationSummary {
  total: number;
  /** 非常满意、满意、基本满意 */
  good: number;
  /** 不满意、非常不满意 */
  low: number;
  /** good / total in whole percent; null with no evaluation. */
  goodPercent: number | null;
}

export function evaluationSummary(evaluations: readonly Evaluation[]): EvaluationSummary {
  const low = evaluations.filter((e) => isLowRating(e.level)).length;
  const total = evaluations.length;
  return { total, good: total - low, low, goodPercent: total === 0 ? null : Math.round(((total - low) / total) * 100) };
}

export const levelLabel = (level: EvaluationLevel): string => EVALUATION_LEVEL_LABELS[level];

// ---------------------------------------------------------------- devices

export const DEVICE_KIND_LABELS: Record<DeviceKind, string> = {
  kiosk: '取号机',
  'counter-display': '窗口屏',
  'hall-display': '大厅综合屏',
  'evaluation-pad': '评价器',
  'call-keypad': '叫号器',
};

/** "1号窗口" for a counter id, "—" for none, the id itself for a counter the hall no longer has. */
export function counterLabel(counters: readonly Counter[], counterId: string | null): string {
  if (!counterId) return '—';
  const c = counters.find((x) => x.id === counterId);
  return c ? `${c.number}号窗口` : counterId;
}

// ---------------------------------------------------------------- the demo printer's record

/** One ticket the demo kiosk's virtual printer printed (GET /demo/printer/index.json, newest first). */
export interface PrintedTicket {
  /** The PNG's name, at /demo/printer/<file>. */
  file: string;
  receivedAt: string;
  /** false: the job ended before its cut (the connection dropped): 打印中断. */
  complete: boolean;
  /** false: a real printer in that state (out of paper, cover open…) would not have printed it. */
  printed: boolean;
  lines: string[];
}

/** The PNG file names the virtual printer writes: 0007-090512.png. */
const PRINTED_FILE = /^[\w.-]+\.png$/;

/** The record read loosely: entries without a usable file are left out, the first `keep` kept (newest first). */
export function parsePrinted(json: unknown, keep = 8): PrintedTicket[] {
  if (!Array.isArray(json)) return [];
  const out: PrintedTicket[] = [];
  for (const e of json) {
    if (typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    if (typeof r.file !== 'string' || !PRINTED_FILE.test(r.file)) continue;
    out.push({
      file: r.file,
      receivedAt: typeof r.receivedAt === 'string' ? r.receivedAt : '',
      complete: r.complete !== false,
      printed: r.printed !== false,
      lines: Array.isArray(r.lines) ? r.lines.filter((l): l is string => typeof l === 'string') : [],
    });
    if (out.length >= keep) break;
  }
  return out;
}

/** The ticket number among a printed ticket's lines ("A001"), null when none looks like one. */
export function printedNumber(lines: readonly string[]): string | null {
  for (const l of lines) if (parseTicketNumber(l.trim())) return l.trim();
  return null;
}

/** What went wrong with a printed ticket, in words; null when it printed. */
export function printedTrouble(t: PrintedTicket): string | null {
  if (!t.complete) return '打印中断';
  if (!t.printed) return '未出票（打印机故障）';
  return null;
}

// ---------------------------------------------------------------- words

/** A counter's name without the number already shown beside it: "1号综合窗口" → "综合窗口". */
export function shortCounterName(number: number, name: string): string {
  const rest = name.startsWith(`${number}号`) ? name.slice(`${number}号`.length).trim() : name;
  return rest || name;
}

/** A wait in words: "不到 1 分钟", "12 分钟", "1 小时 05 分". */
export function formatWait(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return '不到 1 分钟';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} 分钟`;
  return `${Math.floor(minutes / 60)} 小时 ${String(minutes % 60).padStart(2, '0')} 分`;
}

/** A running timer: "04:07", "1:02:09". */
export function formatTimer(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

/** The hall's time of day of an instant (Asia/Shanghai, fixed UTC+8): "09:05" or "09:05:07". */
export function timeOfDay(ms: number, withSeconds = false): string {
  if (Number.isNaN(ms)) return '—';
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return withSeconds ? `${hm}:${pad(d.getUTCSeconds())}` : hm;
}
