/**
 * The manager's live view (/manager, a manager or an admin logged in): every service's queue, every
 * counter, alerts (device faults among them), the latest evaluations, the devices with pairing approval and
 * revocation, the hall screen's notice line and, in demo mode, the tickets the virtual printer printed. Live over the screen's connection; while cut off the figures are greyed and
 * say from when they are, never passed off as live.
 */
import type { Device, Evaluation, HallView, Pairing, User } from '@yimen/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../lib/api.js';
import type { HallConnection } from '../lib/connection.js';
import { formatEstimate } from '../lib/estimate.js';
import { useNow } from '../lib/hooks.js';
import type { ScreenProps } from '../lib/screen.js';
import { DeviceList, PairingRequests } from './manager/Devices.js';
import { EvaluationList } from './manager/Evaluations.js';
import {
  ACTIVITY_LABELS,
  alerts as alertsOf,
  type CounterRow,
  counterRows,
  currentFaults,
  DEFAULT_QUEUE_SORT,
  formatTimer,
  formatWait,
  idleSeconds,
  LONG_PAUSE_MINUTES,
  LONG_WAIT_MINUTES,
  mergeEvaluations,
  nextSort,
  noteCounterActivity,
  offlineDevices,
  type QueueRow,
  type QueueSort,
  type QueueSortKey,
  queueRows,
  serverOffset,
  shortCounterName,
  sortQueueRows,
  timeOfDay,
} from './manager/model.js';
import { NoticeEditor } from './manager/Notice.js';
import { PrintedTickets } from './manager/PrintedTickets.js';
import { usePolled } from './manager/usePolled.js';
import './manager.css';

const PAIRINGS_POLL_MS = 3000;
/** A big hall has dozens of services: the first rows (in the chosen order) unless all are asked for. */
const QUEUE_ROWS_SHOWN = 10;
const DEVICES_POLL_MS = 15_000;
const USERS_POLL_MS = 60_000;

export function ManagerScreen(props: ScreenProps) {
  const { audience } = props.state;
  const role = audience?.type === 'user' ? audience.role : null;
  if (role !== 'admin' && role !== 'manager') {
    return (
      <div className="connecting" data-testid="manager-forbidden">
        <p>“大厅管理”仅限大厅管理人员和系统管理员使用。</p>
        <button type="button" className="mgr-btn mgr-btn-primary" onClick={props.signOut}>
          换个账号登录
        </button>
      </div>
    );
  }
  return <ManagerView {...props} role={role} userName={audience?.type === 'user' ? audience.name : ''} />;
}

function ManagerView({
  token,
  connection,
  state,
  signOut,
  role,
  userName,
}: ScreenProps & { role: 'admin' | 'manager'; userName: string }) {
  const { view, status } = state;
  const live = status === 'live';

  // The server's clock: the browser's plus the offset read at the last snapshot or fact. While cut off the
  // clock stops at the last live moment: the figures are as of then.
  const clientNow = useNow(1000);
  const offset = useMemo(() => serverOffset(view.serverTime, Date.now()), [view.serverTime]);
  const lastLive = useRef(clientNow + offset);
  if (live) lastLive.current = clientNow + offset;
  const now = live ? clientNow + offset : lastLive.current;

  const { observedFrom, lastActivity } = useCounterWatch(connection, view, live);
  const evaluations = useSeenEvaluations(view.evaluations);
  const ticketNumber = useTicketNumbers(token, view, evaluations);

  const onUnauthenticated = signOut;
  const loadPairings = useCallback(
    () => api<{ pairings: Pairing[] }>('GET', '/pairings', token).then((r) => r.pairings),
    [token],
  );
  const loadDevices = useCallback(() => api<{ devices: Device[] }>('GET', '/devices', token).then((r) => r.devices), [token]);
  const loadUsers = useCallback(
    () => api<{ users: User[] }>('GET', '/users', token).then((r) => new Map(r.users.map((u) => [u.id, u]))),
    [token],
  );
  const pairings = usePolled(loadPairings, PAIRINGS_POLL_MS, onUnauthenticated);
  const devices = usePolled(loadDevices, DEVICES_POLL_MS, onUnauthenticated);
  const users = usePolled(loadUsers, USERS_POLL_MS, onUnauthenticated);
  const refreshDevices = devices.refresh;
  const refreshPairings = pairings.refresh;
  const devicesChanged = useCallback(() => {
    refreshPairings();
    refreshDevices();
  }, [refreshPairings, refreshDevices]);

  const [sort, setSort] = useState<QueueSort>(DEFAULT_QUEUE_SORT);
  const queues = queueRows(view, now);
  const counters = counterRows(view, now);
  const idle = (r: CounterRow) => idleSeconds(r, observedFrom, lastActivity, now);
  const offline = offlineDevices(view.devices, devices.data, observedFrom, now);
  const faults = currentFaults(view.devices, devices.data);
  const alerts = alertsOf(queues, counters, idle, offline, faults, now);
  const totalWaiting = queues.reduce((n, q) => n + q.waiting, 0);

  const roleLabel = role === 'admin' ? '系统管理员' : '大厅管理员';
  const logout = () => {
    void api('POST', '/auth/logout', token, {}).catch(() => undefined);
    signOut();
  };

  return (
    <div className="mgr" data-testid="manager">
      <header className="mgr-top">
        <div className="mgr-title">
          <h1>大厅管理</h1>
          <span className="mgr-hall-name">{view.hall.name}</span>
        </div>
        <div className="mgr-clock" data-testid="manager-clock">
          <span>{view.hall.businessDay}</span>
          <strong>{timeOfDay(now, true)}</strong>
        </div>
        <div className="mgr-user">
          <span>{userName === roleLabel ? userName : `${userName} · ${roleLabel}`}</span>
          <button type="button" className="mgr-btn mgr-btn-small" onClick={logout}>
            退出登录
          </button>
          <span className={`mgr-live${live ? '' : ' mgr-live-off'}`} data-testid="manager-live">
            {live ? '● 实时' : status === 'offline' ? '连接中断' : '连接中…'}
          </span>
        </div>
      </header>

      {!live && (
        <div className="mgr-stale" role="status" data-testid="manager-stale">
          与服务器的连接中断，正在重新连接……以下是 {timeOfDay(now, true)} 的数据，不是实时数据；恢复连接后自动更新。
        </div>
      )}

      <section className={`mgr-alerts${live ? '' : ' mgr-is-stale'}`} data-testid="alerts" aria-label="提醒">
        <h2>提醒</h2>
        {alerts.length === 0 ? (
          <span className="mgr-alert mgr-alert-none">暂无提醒</span>
        ) : (
          alerts.map((a) => (
            <span
              key={a.id}
              className={`mgr-alert mgr-alert-${a.severity}`}
              data-testid="alert"
              data-kind={a.kind}
              data-code={a.code}
            >
              {a.text}
              {a.detail && <small className="mgr-alert-detail">{a.detail}</small>}
            </span>
          ))
        )}
      </section>

      <main className={`mgr-grid${live ? '' : ' mgr-is-stale'}`}>
        <div className="mgr-col">
          <QueueTable
            rows={sortQueueRows(queues, sort)}
            sort={sort}
            onSort={(k) => setSort(nextSort(sort, k))}
            total={totalWaiting}
          />
          <CounterTable rows={counters} view={view} />
        </div>
        <div className="mgr-col">
          <PairingRequests
            token={token}
            pairings={pairings.data}
            error={pairings.error}
            counters={view.counters}
            now={now}
            onChanged={devicesChanged}
          />
          <PrintedTickets onUnauthenticated={onUnauthenticated} />
          <EvaluationList
            evaluations={evaluations}
            counters={view.counters}
            users={users.data ?? new Map()}
            ticketNumber={ticketNumber}
          />
          <NoticeEditor token={token} notice={view.hall.notice} live={live} />
          <DeviceList
            token={token}
            canRevoke={role === 'admin'}
            devices={devices.data}
            presence={view.devices}
            offline={offline}
            error={devices.error}
            counters={view.counters}
            onChanged={devicesChanged}
          />
        </div>
      </main>
    </div>
  );
}

const SORT_COLUMNS: { key: QueueSortKey; label: string }[] = [
  { key: 'name', label: '业务' },
  { key: 'waiting', label: '等候人数' },
  { key: 'oldest', label: '最长等候' },
  { key: 'estimate', label: '预计等候' },
];

function QueueTable(props: { rows: QueueRow[]; sort: QueueSort; onSort: (k: QueueSortKey) => void; total: number }) {
  const { rows, sort, onSort, total } = props;
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, QUEUE_ROWS_SHOWN);
  return (
    <section className="mgr-panel" data-testid="queues">
      <header className="mgr-panel-head">
        <h2>各业务排队</h2>
        <span className="mgr-muted">
          共{' '}
          <strong className="mgr-total" data-testid="total-waiting">
            {total}
          </strong>{' '}
          人等候 · 等候超过 {LONG_WAIT_MINUTES} 分钟标红
        </span>
      </header>
      <table className="mgr-table mgr-queues">
        <thead>
          <tr>
            {SORT_COLUMNS.map((c) => (
              <th
                key={c.key}
                aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}
                className={c.key === 'name' ? undefined : 'mgr-num'}
              >
                <button type="button" className="mgr-sort" onClick={() => onSort(c.key)}>
                  {c.label}
                  <span className="mgr-sort-mark">{sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}</span>
                </button>
              </th>
            ))}
            <th className="mgr-num">开放窗口</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((r) => {
            const long = r.oldestWaitSeconds !== null && r.oldestWaitSeconds >= LONG_WAIT_MINUTES * 60;
            return (
              <tr
                key={r.service.id}
                data-testid="queue-row"
                data-service-id={r.service.id}
                className={long ? 'mgr-row-alert' : undefined}
              >
                <td className="mgr-cell-name">
                  <span className="mgr-prefix">{r.service.prefix}</span>
                  <span title={`${r.service.name} · ${r.service.department}`}>{r.service.name}</span>
                  {r.service.suspended && <span className="mgr-tag">已暂停取号</span>}
                </td>
                <td className="mgr-num mgr-big" data-testid="queue-waiting">
                  {r.waiting}
                </td>
                <td className={`mgr-num${long ? ' mgr-red' : ''}`} data-testid="queue-oldest">
                  {formatWait(r.oldestWaitSeconds)}
                </td>
                <td className="mgr-num" data-testid="queue-estimate">
                  {formatEstimate(r.estimatedWaitMinutes)}
                </td>
                <td className={`mgr-num${r.waiting > 0 && r.openCounters === 0 ? ' mgr-red' : ''}`}>{r.openCounters}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {rows.length > QUEUE_ROWS_SHOWN && (
        <button type="button" className="mgr-btn mgr-btn-small mgr-more" onClick={() => setAll(!all)}>
          {all ? `只看前 ${QUEUE_ROWS_SHOWN} 项` : `显示全部 ${rows.length} 项业务（另有 ${rows.length - shown.length} 项）`}
        </button>
      )}
    </section>
  );
}

function CounterTable({ rows, view }: { rows: CounterRow[]; view: HallView }) {
  const serviceNames = new Map(view.services.map((s) => [s.id, s.name]));
  const open = rows.filter((r) => r.counter.state !== 'closed').length;
  return (
    <section className="mgr-panel" data-testid="counters">
      <header className="mgr-panel-head">
        <h2>窗口状态</h2>
        <span className="mgr-muted">
          {open}/{rows.length} 个窗口在岗 · 暂停超过 {LONG_PAUSE_MINUTES} 分钟提醒
        </span>
      </header>
      <table className="mgr-table mgr-counters">
        <thead>
          <tr>
            <th>窗口</th>
            <th>状态</th>
            <th>当前号码</th>
            <th className="mgr-num">本号用时</th>
            <th className="mgr-num" title="今日办结 / 过号">
              今日办结
            </th>
            <th>工作人员</th>
            <th className="mgr-num">状态持续</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const services = r.counter.serviceIds.map((s) => serviceNames.get(s) ?? s).join('、');
            const longPause = r.counter.state === 'paused' && (r.stateSeconds ?? 0) >= LONG_PAUSE_MINUTES * 60;
            return (
              <tr key={r.counter.id} data-testid="counter-row" data-counter-id={r.counter.id} data-activity={r.activity}>
                <td className="mgr-cell-name">
                  <strong className="mgr-counter-no">{r.counter.number}号</strong>
                  <span className="mgr-counter-name" title={`${r.counter.name}：${services}`}>
                    {shortCounterName(r.counter.number, r.counter.name)}
                  </span>
                </td>
                <td>
                  <span className={`mgr-state mgr-state-${r.activity}`}>{ACTIVITY_LABELS[r.activity]}</span>
                  {r.counter.state === 'paused' && r.activity !== 'paused' && <span className="mgr-tag">已暂停</span>}
                </td>
                <td className="mgr-ticket" data-testid="counter-ticket">
                  {r.ticket?.number ?? (r.counter.currentTicketId ? '…' : '—')}
                </td>
                <td className="mgr-num" data-testid="counter-timer">
                  {formatTimer(r.ticketSeconds)}
                </td>
                <td className="mgr-num" data-testid="counter-served">
                  {view.today[r.counter.id]?.served ?? 0}
                  {(view.today[r.counter.id]?.noShows ?? 0) > 0 && (
                    <span className="mgr-muted"> / 过号 {view.today[r.counter.id]?.noShows}</span>
                  )}
                </td>
                <td>
                  {r.counter.clerk ? (
                    <span className="mgr-staff" data-testid="counter-staff">
                      {r.counter.clerk.name}
                      {r.counter.clerk.staffNo && <small className="mgr-staff-no">{r.counter.clerk.staffNo}</small>}
                    </span>
                  ) : (
                    <span className="mgr-muted">—</span>
                  )}
                </td>
                <td className={`mgr-num${longPause ? ' mgr-amber' : ''}`}>{formatWait(r.stateSeconds)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/**
 * What is known of counters' idleness: from when this view began watching (the last time it went live)
 * and, per counter, the server time of its last ticket activity since (from the facts).
 */
function useCounterWatch(connection: HallConnection, view: HallView, live: boolean) {
  const observedFrom = useRef(Date.parse(view.serverTime));
  const lastActivity = useRef<Record<string, number>>({});
  const serverTime = useRef(view.serverTime);
  serverTime.current = view.serverTime;
  useEffect(() => {
    if (!live) return;
    // (Re)connected: what happened while cut off is unknown, so watching starts again now.
    observedFrom.current = Date.parse(serverTime.current);
    lastActivity.current = {};
  }, [live]);
  useEffect(
    () =>
      connection.onFact((f) => {
        noteCounterActivity(lastActivity.current, f);
      }),
    [connection],
  );
  return { observedFrom: observedFrom.current, lastActivity: lastActivity.current };
}

/** Evaluations seen since the page opened: the view's list starts empty at every snapshot, this one does not. */
function useSeenEvaluations(fromView: Evaluation[]): Evaluation[] {
  const [seen, setSeen] = useState<Evaluation[]>(fromView);
  useEffect(() => {
    setSeen((prev) => mergeEvaluations(prev, fromView));
  }, [fromView]);
  return mergeEvaluations(seen, fromView);
}

/** Ticket numbers by id: from the tickets this view has seen, else asked once from the server. */
function useTicketNumbers(token: string, view: HallView, evaluations: Evaluation[]): (id: string) => string | null {
  const known = useRef(new Map<string, string>());
  for (const t of Object.values(view.tickets)) known.current.set(t.id, t.number);
  const [fetched, setFetched] = useState<Record<string, string>>({});
  const asked = useRef(new Set<string>());
  useEffect(() => {
    for (const e of evaluations) {
      const id = e.ticketId;
      if (known.current.has(id) || asked.current.has(id)) continue;
      asked.current.add(id);
      api<{ ticket: { number: string } }>('GET', `/tickets/${encodeURIComponent(id)}`, token).then(
        (r) => setFetched((f) => ({ ...f, [id]: r.ticket.number })),
        () => asked.current.delete(id),
      );
    }
  }, [evaluations, token]);
  return (id) => known.current.get(id) ?? fetched[id] ?? null;
}
