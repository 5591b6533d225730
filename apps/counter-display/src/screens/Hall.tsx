/**
 * The hall's big screen (/hall, 1920×1080, read from 15 m): the latest call, large and animated; the recent
 * calls; every counter's state and current number; each business's waiting count and estimated wait, grouped
 * by category; the date and time; the hall's name; the scrolling notice line. Nothing personal: tickets,
 * counters and businesses only. Every call and recall is announced by voice (src/voice).
 *
 * The layout is drawn on a fixed 1920×1080 canvas scaled to the screen, so a 1366×768 television shows the same
 * picture. The top right corner is left free for the "连接中断" notice.
 */
import type { Counter, HallView, QueueSummary, RecentCall, Service, TicketView } from '@yimen/shared';
import { useEffect, useMemo, useRef, useState } from 'react';
import { formatEstimate } from '../lib/estimate.js';
import type { ScreenProps } from '../lib/screen.js';
import { useHallVoice } from '../voice/useHallVoice.js';
import './hall.css';

const WIDTH = 1920;
const HEIGHT = 1080;
const RECENT_SHOWN = 10;
const PAGE_MS = 10_000;
/** Layout figures of hall.css, in canvas pixels: the height of the main area, a queue row. */
const MAIN_HEIGHT = 858;
const QUEUE_ROW = 48;
const COUNTER_GAP = 8;
const COUNTER_ROWS_MAX = 4;

/** The counters' grid: few counters get large cells, a big hall eight a row (and pages beyond 32). */
export function counterGrid(n: number): { cols: number; rowHeight: number; size: 'l' | 'm' | 's'; rows: number } {
  const g =
    n <= 4
      ? { cols: 4, rowHeight: 120, size: 'l' as const }
      : n <= 12
        ? { cols: 6, rowHeight: 96, size: 'm' as const }
        : { cols: 8, rowHeight: 72, size: 's' as const };
  return { ...g, rows: Math.max(1, Math.min(COUNTER_ROWS_MAX, Math.ceil(n / g.cols))) };
}

export function HallScreen({ connection, state }: ScreenProps) {
  const view = state.view;
  const voice = useHallVoice(connection, view);
  const scale = useFitScale(WIDTH, HEIGHT);
  const latest = view.recentCalls[0] ?? null;
  // a browser without the autoplay flag plays sound only after a touch, a click or a key
  useEffect(() => {
    if (!voice.blocked) return;
    const events = ['pointerdown', 'keydown'] as const;
    for (const e of events) window.addEventListener(e, voice.unlock);
    return () => {
      for (const e of events) window.removeEventListener(e, voice.unlock);
    };
  }, [voice.blocked, voice.unlock]);
  return (
    <div className="hall-frame">
      <div className="hall" style={{ transform: `scale(${scale})` }} data-testid="hall">
        <header className="hall-header">
          <Clock view={view} />
          <h1 className="hall-name">{view.hall.name}</h1>
          <div className="hall-header-side" />
        </header>
        <main className="hall-main">
          <section className="hall-calls">
            <LatestCall view={view} call={latest} />
            <RecentCalls view={view} calls={view.recentCalls.slice(1, 1 + RECENT_SHOWN)} />
          </section>
          <section className="hall-side">
            <Counters view={view} />
            <Queues view={view} />
          </section>
        </main>
        <footer className="hall-footer">
          <Notice text={view.hall.notice} />
        </footer>
        {voice.blocked && <div className="hall-voice-blocked">点击屏幕启用语音播报</div>}
      </div>
    </div>
  );
}

// ---------------------------------------------------------------- the latest call

function LatestCall({ view, call }: { view: HallView; call: RecentCall | null }) {
  const service = call ? view.services.find((s) => s.id === call.serviceId) : undefined;
  if (!call)
    return (
      <div className="hall-latest hall-latest-empty" data-testid="no-call">
        <div className="hall-latest-welcome">欢迎光临</div>
        <div className="hall-latest-hint">请留意叫号，听到您的号码后到指定窗口办理</div>
      </div>
    );
  return (
    // keyed by the call: a new call (or a recall) is a new element, so its entrance animation plays again
    <div className="hall-latest" key={`${call.ticketId}@${call.at}`} data-testid="latest-call">
      <div className="hall-latest-top">
        <span className="hall-latest-label">{call.recall ? '重复呼叫' : '正在呼叫'}</span>
        {service && <span className="hall-latest-service">{service.name}</span>}
      </div>
      <div className="hall-latest-line">
        <span className="hall-latest-number" data-testid="latest-number">
          {call.number}
        </span>
        <span className="hall-latest-to">号</span>
      </div>
      <div className="hall-latest-line">
        <span className="hall-latest-to">请到</span>
        <span className="hall-latest-counter" data-testid="latest-counter">
          {call.counterNumber}号窗口
        </span>
        <span className="hall-latest-to">办理</span>
      </div>
    </div>
  );
}

function RecentCalls({ view, calls }: { view: HallView; calls: RecentCall[] }) {
  return (
    <div className="hall-panel hall-recent" data-testid="recent-calls">
      <h2>最近呼叫</h2>
      {calls.length === 0 ? (
        <p className="hall-empty">暂无</p>
      ) : (
        <ol className="hall-recent-list">
          {calls.map((c) => (
            <li key={`${c.ticketId}@${c.at}`} className="hall-recent-item" data-testid="recent-call">
              <span className="hall-recent-number">{c.number}</span>
              <span className="hall-recent-arrow">→</span>
              <span className="hall-recent-counter">{c.counterNumber}号窗口</span>
              {c.recall && <span className="hall-tag">重呼</span>}
              {isServing(view, c) && <span className="hall-tag hall-tag-ok">办理中</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function isServing(view: HallView, c: RecentCall): boolean {
  return view.tickets[c.ticketId]?.status === 'serving';
}

// ---------------------------------------------------------------- counters

type CounterLook = { text: string; tone: 'called' | 'serving' | 'idle' | 'paused' | 'closed' };

export function counterLook(counter: Counter, ticket: TicketView | undefined): CounterLook {
  if (counter.state === 'paused') return { text: '暂停服务', tone: 'paused' };
  if (counter.state === 'closed') return { text: '暂未开放', tone: 'closed' };
  if (ticket?.status === 'called') return { text: ticket.number, tone: 'called' };
  if (ticket?.status === 'serving') return { text: ticket.number, tone: 'serving' };
  return { text: '空闲', tone: 'idle' };
}

function Counters({ view }: { view: HallView }) {
  const counters = useMemo(() => [...view.counters].sort((a, b) => a.number - b.number), [view.counters]);
  const grid = counterGrid(counters.length);
  const perPage = grid.cols * COUNTER_ROWS_MAX;
  const pages = Math.max(1, Math.ceil(counters.length / perPage));
  const page = usePage(pages, PAGE_MS);
  const shown = counters.slice(page * perPage, (page + 1) * perPage);
  return (
    <div className="hall-panel hall-counters" data-testid="counters">
      <h2>
        窗口状态
        <span className="hall-legend" data-testid="counter-legend">
          <span className="hall-legend-item hall-legend-called">已叫号，请前往</span>
          <span className="hall-legend-item hall-legend-serving">办理中</span>
        </span>
        <PageDots page={page} pages={pages} />
      </h2>
      <ul
        className={`hall-counter-grid hall-counter-grid--${grid.size}`}
        style={{ gridTemplateColumns: `repeat(${grid.cols}, minmax(0, 1fr))`, gridAutoRows: `${grid.rowHeight}px` }}
      >
        {shown.map((c) => {
          const look = counterLook(c, c.currentTicketId ? view.tickets[c.currentTicketId] : undefined);
          return (
            <li
              key={c.id}
              className={`hall-counter hall-tone-${look.tone}`}
              data-testid={`counter-${c.number}`}
              data-state={c.state}
              title={c.name}
            >
              <span className="hall-counter-no">{c.number}号</span>
              <span className={`hall-counter-now${look.text.length > 4 ? ' hall-counter-now-long' : ''}`}>{look.text}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

// ---------------------------------------------------------------- queues

type QueueRow =
  | { kind: 'category'; key: string; name: string; waiting: number; minutes: number | null; continued?: boolean }
  | { kind: 'service'; key: string; name: string; prefix: string; waiting: number; minutes: number | null };

/** Pages of the detailed list beyond which the screen shows the categories' totals instead. */
const DETAILED_PAGES_MAX = 3;

/**
 * The pages of the waiting panel, `fits` rows a page: each category with anyone waiting, and under it its
 * businesses with anyone waiting (a category cut by a page is named again, 续); when that takes more than
 * three pages, the categories' totals only (their longest estimate). The categories where nobody waits are
 * named in one line below.
 */
export function queuePages(
  services: Service[],
  queues: Record<string, QueueSummary>,
  fits: number,
): { pages: QueueRow[][]; detailed: boolean; quiet: string[] } {
  const byCategory = new Map<string, { service: Service; q: QueueSummary }[]>();
  for (const service of services) {
    const list = byCategory.get(service.category) ?? [];
    byCategory.set(service.category, list);
    const q = queues[service.id];
    if (q && q.waiting > 0) list.push({ service, q });
  }
  const busy = [...byCategory.keys()].filter((c) => (byCategory.get(c)?.length ?? 0) > 0);
  const quiet = [...byCategory.keys()].filter((c) => (byCategory.get(c)?.length ?? 0) === 0);
  const categoryRow = (c: string, continued = false): QueueRow => {
    const list = byCategory.get(c) ?? [];
    const minutes = list.map((x) => x.q.estimatedWaitMinutes).filter((m): m is number => m !== null);
    return {
      kind: 'category',
      key: `c:${c}`,
      name: c,
      waiting: list.reduce((n, x) => n + x.q.waiting, 0),
      minutes: minutes.length ? Math.max(...minutes) : null,
      ...(continued ? { continued } : {}),
    };
  };
  const rows = Math.max(2, fits);
  const pages: QueueRow[][] = [];
  let page: QueueRow[] = [];
  const turn = () => {
    if (page.length) pages.push(page);
    page = [];
  };
  for (const c of busy) {
    if (page.length >= rows - 1) turn();
    page.push(categoryRow(c));
    for (const { service, q } of byCategory.get(c) ?? []) {
      if (page.length >= rows) {
        turn();
        page.push(categoryRow(c, true));
      }
      page.push({
        kind: 'service',
        key: `s:${service.id}`,
        name: service.name,
        prefix: service.prefix,
        waiting: q.waiting,
        minutes: q.estimatedWaitMinutes,
      });
    }
  }
  turn();
  if (pages.length <= DETAILED_PAGES_MAX) return { pages, detailed: true, quiet };
  const totals = busy.map((c) => categoryRow(c));
  const totalPages: QueueRow[][] = [];
  for (let i = 0; i < totals.length; i += rows) totalPages.push(totals.slice(i, i + rows));
  return { pages: totalPages, detailed: false, quiet };
}

function Queues({ view }: { view: HallView }) {
  const grid = counterGrid(view.counters.length);
  // the room left under the counters: the main area less the counters panel (heading, rows, padding), the gap,
  // this panel's heading, its padding and the line of quiet categories
  const countersPanel = 46 + grid.rows * (grid.rowHeight + COUNTER_GAP) - COUNTER_GAP + 24;
  const fits = Math.max(4, Math.floor((MAIN_HEIGHT - countersPanel - 20 - 46 - 24 - 40) / QUEUE_ROW));
  const { pages, detailed, quiet } = useMemo(
    () => queuePages(view.services, view.queues, fits),
    [view.services, view.queues, fits],
  );
  const page = usePage(pages.length, PAGE_MS);
  const shown = pages[page] ?? [];
  return (
    <div className="hall-panel hall-queues" data-testid="queues">
      <h2>
        {detailed ? '等候情况' : '等候情况（按类别）'}
        <PageDots page={page} pages={pages.length} />
        <span className="hall-queues-head">
          <span>等候</span>
          <span>预计等候</span>
        </span>
      </h2>
      {pages.length === 0 ? (
        <p className="hall-empty">目前无人等候，取号后即可办理</p>
      ) : (
        <ul className="hall-queue-list">
          {shown.map((r) => (
            <li key={r.key} className={`hall-queue-row hall-queue-${r.kind}`} data-testid={`queue-${r.key}`}>
              <span className="hall-queue-name">
                {r.kind === 'service' && <span className="hall-queue-prefix">{r.prefix}</span>}
                {r.name}
                {r.kind === 'category' && r.continued && <span className="hall-queue-continued">（续）</span>}
              </span>
              <span className="hall-queue-waiting">{r.waiting}人</span>
              <span className="hall-queue-wait">{formatEstimate(r.minutes)}</span>
            </li>
          ))}
        </ul>
      )}
      {quiet.length > 0 && pages.length > 0 && <p className="hall-queue-quiet">暂无等候：{quiet.join('、')}</p>}
    </div>
  );
}

// ---------------------------------------------------------------- header, footer, helpers

export function Clock({ view, className = 'hall-clock' }: { view: HallView; className?: string }) {
  const now = useServerClock(view.serverTime);
  const tz = view.hall.timezone || 'Asia/Shanghai';
  const { date, time } = useMemo(() => formatClock(now, tz), [now, tz]);
  return (
    <div className={className} data-testid="clock">
      <div className="screen-clock-time">{time}</div>
      <div className="screen-clock-date">{date}</div>
    </div>
  );
}

const clockFormats = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
export function formatClock(ms: number, timeZone: string): { date: string; time: string } {
  let f = clockFormats.get(timeZone);
  if (!f) {
    f = {
      date: new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }),
      time: new Intl.DateTimeFormat('zh-CN', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }),
    };
    clockFormats.set(timeZone, f);
  }
  return { date: f.date.format(ms), time: f.time.format(ms) };
}

/**
 * The time now by the server's clock: a screen on the hall's LAN may have no time source of its own. The
 * offset is taken from each snapshot and fact; small differences (transit) are not chased.
 */
export function useServerClock(serverTime: string, tickMs = 1000): number {
  const offset = useRef(0);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const server = Date.parse(serverTime);
    if (Number.isNaN(server)) return;
    const seen = server - Date.now();
    if (Math.abs(seen - offset.current) > 2000) {
      offset.current = seen;
      setNow(Date.now() + seen);
    }
  }, [serverTime]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() + offset.current), tickMs);
    return () => clearInterval(t);
  }, [tickMs]);
  return now;
}

function Notice({ text }: { text: string }) {
  const line = text.trim() || '请留意叫号信息，听到您的号码后到指定窗口办理。过号请到咨询台重新排队。';
  // speed from the length, so a long notice does not race past; the line twice, so the loop has no seam
  const seconds = Math.max(16, Math.round(line.length * 0.5 + 10));
  return (
    <div className="hall-notice" data-testid="notice">
      <div key={line} className="hall-notice-track" style={{ animationDuration: `${seconds}s` }}>
        <span className="hall-notice-text">{line}</span>
        <span className="hall-notice-text" aria-hidden="true">
          {line}
        </span>
      </div>
    </div>
  );
}

function PageDots({ page, pages }: { page: number; pages: number }) {
  if (pages <= 1) return null;
  return (
    <span className="hall-pages">
      {page + 1}/{pages}
    </span>
  );
}

/** Turns pages every `ms` when there is more than one. */
function usePage(pages: number, ms: number): number {
  const [page, setPage] = useState(0);
  useEffect(() => {
    if (pages <= 1) return;
    const t = setInterval(() => setPage((p) => (p + 1) % pages), ms);
    return () => clearInterval(t);
  }, [pages, ms]);
  return page < pages ? page : 0;
}

/** The scale that fits a fixed canvas into the window. */
function useFitScale(width: number, height: number): number {
  const [scale, setScale] = useState(() => Math.min(window.innerWidth / width, window.innerHeight / height));
  useEffect(() => {
    const on = () => setScale(Math.min(window.innerWidth / width, window.innerHeight / height));
    on();
    window.addEventListener('resize', on);
    return () => window.removeEventListener('resize', on);
  }, [width, height]);
  return scale;
}
