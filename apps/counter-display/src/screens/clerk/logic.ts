/**
 * The clerk console's pure parts: which actions apply now (mirroring the server's rules, with the server's
 * own zh-CN messages), the shortcuts, the waiting list of a counter, the transfer search and the day's tally.
 */
import type { Counter, ErrorCode, EvaluationLevel, FactMessage, HallView, Priority, Service, TicketView } from '@yimen/shared';
import { ERRORS } from '@yimen/shared';
import { pinyinInitials } from './pinyin.js';

export type ClerkAction = 'call-next' | 'recall' | 'start' | 'finish' | 'no-show' | 'transfer' | 'pause' | 'resume' | 'close';

export const ACTION_LABELS: Record<ClerkAction, string> = {
  'call-next': '叫号',
  recall: '重呼',
  start: '开始办理',
  finish: '办结',
  'no-show': '过号',
  transfer: '转移',
  pause: '暂停',
  resume: '恢复',
  close: '下班',
};

/** The key of each action; F7 toggles 暂停 / 恢复. */
export const SHORTCUTS: Record<ClerkAction, string> = {
  'call-next': 'F1',
  recall: 'F2',
  start: 'F3',
  finish: 'F4',
  'no-show': 'F5',
  transfer: 'F6',
  pause: 'F7',
  resume: 'F7',
  close: 'F8',
};

/** The action a key asks for at a counter in this state, or null when the key is not one of ours. */
export function actionForKey(key: string, counterState: Counter['state'] | null): ClerkAction | null {
  switch (key) {
    case 'F1':
      return 'call-next';
    case 'F2':
      return 'recall';
    case 'F3':
      return 'start';
    case 'F4':
      return 'finish';
    case 'F5':
      return 'no-show';
    case 'F6':
      return 'transfer';
    case 'F7':
      return counterState === 'paused' ? 'resume' : 'pause';
    case 'F8':
      return 'close';
    default:
      return null;
  }
}

export interface Refusal {
  code: ErrorCode | 'NO_WAITING';
  message: string;
}

const refusal = (code: ErrorCode, message?: string): Refusal => ({ code, message: message ?? ERRORS[code].message });

export interface ActionContext {
  counter: Pick<Counter, 'state' | 'currentTicketId'>;
  /** false when another clerk holds the counter */
  mine: boolean;
  /** The ticket the counter holds, when the view has it. */
  ticket: Pick<TicketView, 'status'> | null;
  /** Waiting tickets this counter may call. */
  callable: number;
}

/**
 * Why an action cannot apply now, in the server's words, or null when it can. The server decides in the
 * end (its answer is shown as it is); this only keeps buttons honest and explains a key pressed in vain.
 */
export function whyNot(action: ClerkAction, ctx: ActionContext): Refusal | null {
  const { counter, ticket } = ctx;
  if (!ctx.mine) return refusal('COUNTER_IN_USE');
  const held = counter.currentTicketId !== null;
  // The view may lack a ticket the counter still holds (one from before midnight): let finish and transfer try.
  const status = ticket?.status ?? (held ? 'unknown' : null);
  const calledOnly = (): Refusal | null => {
    if (counter.state === 'closed') return refusal('COUNTER_NOT_OPEN');
    if (status === null) return refusal('NO_CURRENT_TICKET');
    if (status === 'serving') return refusal('TICKET_ALREADY_SERVING');
    if (status !== 'called') return refusal('TICKET_NOT_CALLED');
    return null;
  };
  const calledOrServing = (): Refusal | null => {
    if (counter.state === 'closed') return refusal('COUNTER_NOT_OPEN');
    if (status === null) return refusal('NO_CURRENT_TICKET');
    if (status !== 'called' && status !== 'serving' && status !== 'unknown') return refusal('TICKET_NOT_CALLED');
    return null;
  };
  switch (action) {
    case 'call-next':
      if (counter.state !== 'open') return refusal('COUNTER_NOT_OPEN');
      if (!held && ctx.callable === 0) return { code: 'NO_WAITING', message: '当前没有等候的号票。' };
      return null;
    case 'recall':
    case 'start':
    case 'no-show':
      return calledOnly();
    case 'finish':
    case 'transfer':
      return calledOrServing();
    case 'pause':
      return counter.state === 'open' ? null : refusal('COUNTER_NOT_OPEN');
    case 'resume':
      return counter.state === 'paused' ? null : refusal('COUNTER_NOT_PAUSED');
    case 'close':
      if (counter.state === 'closed') return refusal('COUNTER_NOT_OPEN', '窗口已经关闭。');
      if (held) return refusal('COUNTER_BUSY');
      return null;
  }
}

/** The counters a person may work at from the console: a clerk's own (AB岗: several); a manager's: all. */
export function countersFor(
  view: Pick<HallView, 'counters'>,
  audience: { type: 'user'; role: string; counterIds: string[] },
): Counter[] {
  if (audience.role === 'clerk') return view.counters.filter((c) => audience.counterIds.includes(c.id));
  return view.counters;
}

/** The waiting tickets a counter may call, by issue time (the routing policy picks among them). */
export function waitingAt(tickets: Record<string, TicketView>, counter: Pick<Counter, 'id' | 'serviceIds'>): TicketView[] {
  const out: TicketView[] = [];
  for (const t of Object.values(tickets)) {
    if (t.status !== 'waiting') continue;
    const mine = t.targetCounterId === counter.id || (t.targetCounterId === null && counter.serviceIds.includes(t.serviceId));
    if (mine) out.push(t);
  }
  return out.sort((a, b) => Date.parse(a.issuedAt) - Date.parse(b.issuedAt) || a.number.localeCompare(b.number));
}

export const PRIORITY_LABELS: Record<Priority, string | null> = {
  none: null,
  elderly: '老年人',
  disabled: '残疾人',
  military: '军人',
  appointment: '预约',
};

export const STATUS_LABELS: Record<TicketView['status'], string> = {
  waiting: '等候中',
  called: '已叫号',
  serving: '办理中',
  done: '已办结',
  no_show: '过号',
  cancelled: '已取消',
};

export const COUNTER_STATE_LABELS: Record<Counter['state'], string> = {
  open: '工作中',
  paused: '暂停服务',
  closed: '未开启',
};

/** A wait or a duration as a clerk reads it: 45 秒, 12 分钟, 1 小时 5 分. */
export function formatWait(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} 分钟`;
  return `${Math.floor(m / 60)} 小时 ${m % 60} 分`;
}

/** m:ss (or h:mm:ss), for the ticket at the counter. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** HH:MM:SS of an instant in the hall's time zone. */
export function formatClock(at: number | string, timeZone: string, seconds = true): string {
  const d = typeof at === 'number' ? new Date(at) : new Date(Date.parse(at));
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(d);
}

// ------------------------------------------------------------------ transfer search

export interface TransferOption {
  kind: 'service' | 'counter';
  id: string;
  label: string;
  detail: string;
  /** lowercased words and pinyin initials the search matches */
  keys: string[];
  /** Why it cannot be picked, when it cannot: it is listed, greyed, with this reason. */
  unavailable?: string;
}

/**
 * Why a transfer to a closed counter is not offered: the server accepts it (SPEC T7), but a ticket sent to one
 * counter may be called by that counter only (R1), so the citizen would wait until it opens — maybe all day.
 */
export const CLOSED_COUNTER_REASON = '窗口未开启，转入后无人叫号';

export function transferOptions(
  services: Service[],
  counters: Counter[],
  from: { counterId: string; serviceId: string | null },
): TransferOption[] {
  const out: TransferOption[] = [];
  for (const s of services) {
    if (s.id === from.serviceId) continue;
    out.push({
      kind: 'service',
      id: s.id,
      label: s.name,
      detail: `${s.department} · ${s.prefix} 字头${s.suspended ? ' · 今日暂停' : ''}`,
      keys: [s.name, s.department, s.category, s.prefix, s.id, pinyinInitials(s.name), pinyinInitials(s.department)].map((k) =>
        k.toLowerCase(),
      ),
    });
  }
  // the counters that can call it first; the closed ones after them, not selectable
  const closed: TransferOption[] = [];
  for (const c of counters) {
    if (c.id === from.counterId) continue;
    const o: TransferOption = {
      kind: 'counter',
      id: c.id,
      label: c.name.startsWith(`${c.number}号`) ? c.name : `${c.number}号窗口 ${c.name}`,
      detail:
        c.state === 'closed'
          ? `${COUNTER_STATE_LABELS[c.state]} · 转入后无人叫号`
          : `${COUNTER_STATE_LABELS[c.state]}${c.state === 'paused' ? '（恢复后叫号）' : ''}${c.clerk ? ` · ${c.clerk.name}` : ''}`,
      keys: [String(c.number), `${c.number}号`, c.name, c.id, pinyinInitials(c.name), c.clerk?.name ?? ''].map((k) =>
        k.toLowerCase(),
      ),
      ...(c.state === 'closed' ? { unavailable: CLOSED_COUNTER_REASON } : {}),
    };
    (c.state === 'closed' ? closed : out).push(o);
  }
  return [...out, ...closed];
}

/** The options a query matches: a number matches a counter's number exactly, words and initials anywhere. */
export function searchOptions(options: TransferOption[], query: string): TransferOption[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, '');
  if (!q) return options;
  if (/^\d+$/.test(q)) return options.filter((o) => (o.kind === 'counter' ? o.keys[0] === q : o.keys.some((k) => k.includes(q))));
  return options.filter((o) => o.keys.some((k) => k.includes(q)));
}

// ------------------------------------------------------------------ today's own counts

/**
 * What this console has seen its clerk do today: tickets finished, no-shows, transfers out, ratings. Kept
 * by ticket id (a fact seen twice counts once) and by business day; only facts this screen received count,
 * so the panel says so.
 */
export interface Tally {
  day: string;
  served: string[];
  noShow: string[];
  transferred: string[];
  ratings: Record<string, EvaluationLevel>;
}

export const emptyTally = (day: string): Tally => ({ day, served: [], noShow: [], transferred: [], ratings: {} });

const add = (list: string[], id: string) => (list.includes(id) ? list : [...list, id]);

export function tallyFact(t: Tally, f: FactMessage, clerkId: string, businessDay: string): Tally {
  const base = t.day === businessDay ? t : emptyTally(businessDay);
  switch (f.type) {
    case 'ticket:finished':
      return f.counter.clerk?.id === clerkId ? { ...base, served: add(base.served, f.ticket.id) } : base;
    case 'ticket:no-show':
      return f.counter.clerk?.id === clerkId ? { ...base, noShow: add(base.noShow, f.ticket.id) } : base;
    case 'ticket:transferred':
      return f.counter.clerk?.id === clerkId ? { ...base, transferred: add(base.transferred, f.ticket.id) } : base;
    case 'evaluation:recorded':
      return f.evaluation.clerkId === clerkId
        ? { ...base, ratings: { ...base.ratings, [f.evaluation.ticketId]: f.evaluation.level } }
        : base;
    case 'day:changed':
      return emptyTally(f.businessDay);
    default:
      return base;
  }
}

/** Share of good ratings (非常满意, 满意, 基本满意), whole percent, or null without ratings. */
export function satisfaction(ratings: Record<string, EvaluationLevel>): number | null {
  const levels = Object.values(ratings);
  if (levels.length === 0) return null;
  const good = levels.filter((l) => l === 'very_satisfied' || l === 'satisfied' || l === 'basic').length;
  return Math.round((good / levels.length) * 100);
}

export function parseTally(raw: string | null, day: string): Tally {
  if (!raw) return emptyTally(day);
  try {
    const t = JSON.parse(raw) as Partial<Tally>;
    if (t.day !== day || !Array.isArray(t.served) || !Array.isArray(t.noShow) || !Array.isArray(t.transferred))
      return emptyTally(day);
    return { day, served: t.served, noShow: t.noShow, transferred: t.transferred, ratings: t.ratings ?? {} };
  } catch {
    return emptyTally(day);
  }
}

/** A request id for call-next retries: random, and available outside secure contexts (a hall's LAN over http). */
export function newRequestId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `clerk-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
