/**
 * The clerk console (/clerk, a counter PC): the clerk's counter, its current ticket, large action buttons
 * with F-key shortcuts, the waiting tickets it may call, and the day's own counts. Actions go over HTTP;
 * the live view (socket facts) shows their effect. Every refusal is shown in the server's own words.
 */
import type { Counter, HallView, Ticket, TicketView } from '@yimen/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiFailure, api } from '../lib/api.js';
import type { HallConnection } from '../lib/connection.js';
import { formatEstimate } from '../lib/estimate.js';
import { useNow } from '../lib/hooks.js';
import type { ScreenProps } from '../lib/screen.js';
import {
  ACTION_LABELS,
  type ActionContext,
  actionForKey,
  type ClerkAction,
  COUNTER_STATE_LABELS,
  countersFor,
  emptyTally,
  formatClock,
  formatElapsed,
  formatWait,
  newRequestId,
  PRIORITY_LABELS,
  parseTally,
  SHORTCUTS,
  STATUS_LABELS,
  satisfaction,
  type TransferOption,
  tallyFact,
  transferOptions,
  waitingAt,
  whyNot,
} from './clerk/logic.js';
import { TransferDialog } from './clerk/TransferDialog.js';
import './clerk.css';

/** How long the hint of a key pressed in vain stays. */
const HINT_MS = 4000;

type UserAudience = Extract<NonNullable<ScreenProps['state']['audience']>, { type: 'user' }>;

export function ClerkScreen({ token, connection, state, signOut }: ScreenProps) {
  const audience = state.audience;
  if (audience?.type !== 'user') {
    return (
      <div className="clerk-blocked" data-testid="clerk-blocked">
        <p>窗口工作台需要工作人员账号登录。</p>
        <button type="button" onClick={signOut}>
          重新登录
        </button>
      </div>
    );
  }
  return (
    <Console
      token={token}
      connection={connection}
      view={state.view}
      live={state.status === 'live'}
      audience={audience}
      signOut={signOut}
    />
  );
}

function Console(props: {
  token: string;
  connection: HallConnection;
  view: HallView;
  live: boolean;
  audience: UserAudience;
  signOut: () => void;
}) {
  const { token, connection, view, live, audience, signOut } = props;
  const tz = view.hall.timezone;
  const choices = countersFor(view, audience);
  const [chosenId, setChosenId] = useState<string | null>(null);
  // A clerk works at one counter at a time: the one they hold wins; else the one chosen; else the only one.
  const held = choices.find((c) => c.clerk?.id === audience.id && c.state !== 'closed');
  const counter: Counter | null =
    held ?? choices.find((c) => c.id === chosenId) ?? (choices.length === 1 ? (choices[0] as Counter) : null);

  // The server's clock: the tests' server (and a hall's badly set PC) need not agree with this PC's clock.
  const offset = useMemo(() => Date.parse(view.serverTime) - Date.now(), [view.serverTime]);
  const now = useNow(1000) + offset;

  const ticket: TicketView | null = counter?.currentTicketId ? (view.tickets[counter.currentTicketId] ?? null) : null;
  const waiting = useMemo(() => (counter ? waitingAt(view.tickets, counter) : []), [view.tickets, counter]);
  const mine = counter !== null && !(audience.role === 'clerk' && counter.clerk !== null && counter.clerk.id !== audience.id);
  const ctx: ActionContext | null = counter ? { counter, mine, ticket, callable: waiting.length } : null;
  const serviceName = (id: string) => view.services.find((s) => s.id === id)?.name ?? id;
  const counterLabel = (id: string) => {
    const c = view.counters.find((x) => x.id === id);
    return c ? `${c.number}号窗口` : id;
  };

  // ---------------------------------------------------------------- actions
  const [busy, setBusy] = useState<ClerkAction | 'open' | null>(null);
  const busyRef = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // a key pressed while its action does not apply: a brief, quiet hint in the status line (never the red banner)
  const [hint, setHint] = useState<{ text: string; at: number } | null>(null);
  const [transferOpen, setTransferOpen] = useState(false);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 8000);
    return () => clearTimeout(t);
  }, [notice]);
  useEffect(() => {
    if (!hint) return;
    const t = setTimeout(() => setHint(null), HINT_MS);
    return () => clearTimeout(t);
  }, [hint]);

  const post = useCallback(
    async (action: ClerkAction | 'open', body: object, done: (r: { ticket?: Ticket } | undefined) => string) => {
      if (!counter || busyRef.current) return;
      busyRef.current = true;
      setBusy(action);
      setError(null);
      setNotice(null);
      setHint(null);
      try {
        const r = await api<{ ticket?: Ticket } | undefined>('POST', `/counters/${counter.id}/${action}`, token, body);
        setNotice(done(r));
      } catch (e) {
        if (e instanceof ApiFailure && e.code === 'UNAUTHENTICATED') signOut();
        setError(e instanceof ApiFailure ? e.message : '操作没有成功，请重试。');
      } finally {
        busyRef.current = false;
        setBusy(null);
      }
    },
    [counter, token, signOut],
  );

  const trigger = (action: ClerkAction) => {
    if (!ctx || busyRef.current) return;
    const why = whyNot(action, ctx);
    if (why) {
      // only a key reaches here (the button is disabled): say why, briefly, without an alarm
      setNotice(null);
      setHint({ text: `${ACTION_LABELS[action]}（${SHORTCUTS[action]}）暂不可用：${why.message}`, at: Date.now() });
      return;
    }
    const n = ticket?.number ?? '';
    switch (action) {
      case 'transfer':
        setError(null);
        setTransferOpen(true);
        return;
      case 'call-next':
        return void post('call-next', { requestId: newRequestId() }, (r) => {
          const finished = ticket ? `${ticket.number} 已办结；` : '';
          return r?.ticket ? `${finished}已叫号 ${r.ticket.number}` : `${finished}当前没有等候的号票。`;
        });
      case 'recall':
        return void post('recall', {}, () => `已重呼 ${n}`);
      case 'start':
        return void post('start', {}, () => `${n} 开始办理`);
      case 'finish':
        return void post('finish', {}, () => `${n} 已办结`);
      case 'no-show':
        return void post('no-show', {}, () => `${n} 已过号`);
      case 'pause':
        return void post('pause', {}, () => '窗口已暂停服务');
      case 'resume':
        return void post('resume', {}, () => '窗口已恢复服务');
      case 'close':
        return void post('close', {}, () => '窗口已关闭。辛苦了！');
    }
  };
  const triggerRef = useRef(trigger);
  triggerRef.current = trigger;
  const keyState = useRef({ dialog: transferOpen, state: counter?.state ?? null });
  keyState.current = { dialog: transferOpen, state: counter?.state ?? null };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = actionForKey(e.key, keyState.current.state);
      if (!action) return;
      e.preventDefault(); // F1 help, F3 find, F5 reload, F6 address bar, F7 caret browsing: ours here
      if (e.repeat || keyState.current.dialog) return;
      triggerRef.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const transfer = (o: TransferOption) => {
    const n = ticket?.number ?? '';
    void post('transfer', o.kind === 'service' ? { serviceId: o.id } : { counterId: o.id }, () => {
      setTransferOpen(false);
      return `${n} 已转至${o.kind === 'service' ? `“${o.label}”` : counterLabel(o.id)}`;
    });
  };
  const options = useMemo(
    () =>
      counter
        ? transferOptions(view.services, view.counters, { counterId: counter.id, serviceId: ticket?.serviceId ?? null })
        : [],
    [view.services, view.counters, counter, ticket?.serviceId],
  );
  useEffect(() => {
    if (transferOpen && (!ctx || whyNot('transfer', ctx))) setTransferOpen(false);
  });

  const logout = async () => {
    try {
      await api('POST', '/auth/logout', token, {});
    } catch {
      // the token is forgotten here anyway
    }
    signOut();
  };

  // ---------------------------------------------------------------- today's own counts
  const tallyKey = `yimen.clerk.tally.${audience.id}`;
  const day = view.hall.businessDay;
  const [tally, setTally] = useState(() => parseTally(localStorage.getItem(tallyKey), day));
  useEffect(
    () =>
      connection.onFact((f) => {
        const today = connection.getState().view?.hall.businessDay ?? f.at.slice(0, 10);
        setTally((t) => tallyFact(t, f, audience.id, today));
      }),
    [connection, audience.id],
  );
  useEffect(() => localStorage.setItem(tallyKey, JSON.stringify(tally)), [tallyKey, tally]);
  const today = tally.day === day ? tally : emptyTally(day);
  const rated = Object.keys(today.ratings).length;
  const pct = satisfaction(today.ratings);

  // ---------------------------------------------------------------- the screen
  const shown: ClerkAction[] = [
    'call-next',
    'recall',
    'start',
    'finish',
    'no-show',
    'transfer',
    counter?.state === 'paused' ? 'resume' : 'pause',
    'close',
  ];

  return (
    <div className={`clerk${live ? '' : ' stale'}`} data-testid="clerk">
      <header className="clerk-top">
        <div className="clerk-brand">
          <b>窗口工作台</b>
          <span>{view.hall.name}</span>
        </div>
        {counter && (
          <div className="clerk-counter-name" data-testid="clerk-counter">
            <b>{counter.number}号窗口</b>
            <span>{counter.name}</span>
          </div>
        )}
        {counter && (
          <span className={`clerk-state ${counter.state}`} data-testid="clerk-state">
            {COUNTER_STATE_LABELS[counter.state]}
          </span>
        )}
        <div className="clerk-spacer" />
        <div className="clerk-user" data-testid="clerk-user">
          {audience.name}
        </div>
        <div className="clerk-clock">{formatClock(now, tz)}</div>
        {choices.length > 1 && counter && counter.state === 'closed' && (
          <button type="button" className="clerk-top-button" onClick={() => setChosenId(null)}>
            切换窗口
          </button>
        )}
        <button type="button" className="clerk-top-button" data-testid="clerk-logout" onClick={logout}>
          退出登录
        </button>
      </header>

      {error && (
        <div className="clerk-error" role="alert" data-testid="clerk-error">
          <span className="clerk-error-icon" aria-hidden="true">
            !
          </span>
          <span className="clerk-error-text">{error}</span>
          <button type="button" onClick={() => setError(null)}>
            知道了
          </button>
        </div>
      )}
      {!live && <div className="clerk-stale-note">连接中断：以下内容可能不是最新的，恢复连接后自动更新。</div>}

      {!counter ? (
        <Chooser choices={choices} onChoose={setChosenId} audienceId={audience.id} />
      ) : (
        <main className="clerk-main">
          <section className="clerk-work">
            {counter.state === 'closed' || !mine || (audience.role === 'clerk' && counter.clerk === null) ? (
              <OpenPanel
                counter={counter}
                mine={mine}
                busy={busy === 'open'}
                onOpen={() => void post('open', {}, () => '窗口已开启，开始工作')}
              />
            ) : (
              <div className={`clerk-current ${ticket?.status ?? 'none'}`} data-testid="clerk-current">
                <div className="clerk-current-label">当前号票</div>
                {ticket ? (
                  <>
                    <div className="clerk-current-number" data-testid="clerk-current-number">
                      {ticket.number}
                    </div>
                    <div className="clerk-current-info">
                      <span className={`clerk-status ${ticket.status}`} data-testid="clerk-current-status">
                        {STATUS_LABELS[ticket.status]}
                      </span>
                      <span className="clerk-current-service">{serviceName(ticket.serviceId)}</span>
                      {PRIORITY_LABELS[ticket.priority] && <span className="clerk-tag">{PRIORITY_LABELS[ticket.priority]}</span>}
                      {ticket.transferCount > 0 && <span className="clerk-tag">转入</span>}
                    </div>
                    <div className="clerk-current-times">
                      <span>取号 {formatClock(ticket.issuedAt, tz)}</span>
                      {ticket.calledAt && <span>叫号 {formatClock(ticket.calledAt, tz)}</span>}
                      {ticket.status === 'serving' && ticket.startedAt ? (
                        <span>
                          开始办理 {formatClock(ticket.startedAt, tz)}，已办理{' '}
                          <b>{formatElapsed(now - Date.parse(ticket.startedAt))}</b>
                        </span>
                      ) : (
                        ticket.calledAt && (
                          <span>
                            已等候到场 <b>{formatElapsed(now - Date.parse(ticket.calledAt))}</b>
                          </span>
                        )
                      )}
                      {ticket.recallCount > 0 && <span>已重呼 {ticket.recallCount} 次</span>}
                    </div>
                  </>
                ) : counter.currentTicketId ? (
                  <div className="clerk-current-empty">本窗口持有一张不在今日列表中的号票，请办结。</div>
                ) : (
                  <div className="clerk-current-empty">
                    暂无号票
                    <small>{counter.state === 'open' ? `按 ${SHORTCUTS['call-next']} 叫号` : ''}</small>
                  </div>
                )}
                {counter.state === 'paused' && (
                  <div className="clerk-paused-band" data-testid="clerk-paused">
                    窗口已暂停服务（{formatClock(counter.stateSince, tz, false)} 起）· 按 {SHORTCUTS.resume} 恢复
                  </div>
                )}
              </div>
            )}

            <div className="clerk-actions">
              {shown.map((a) => {
                const why = ctx ? whyNot(a, ctx) : null;
                return (
                  <button
                    key={a}
                    type="button"
                    className={`clerk-action ${a}${busy === a ? ' busy' : ''}`}
                    data-testid={`clerk-action-${a}`}
                    disabled={why !== null || busy !== null}
                    title={why?.message ?? `${ACTION_LABELS[a]}（${SHORTCUTS[a]}）`}
                    aria-keyshortcuts={SHORTCUTS[a]}
                    onClick={() => trigger(a)}
                  >
                    <span className="clerk-action-name">{ACTION_LABELS[a]}</span>
                    <kbd>{SHORTCUTS[a]}</kbd>
                    {a === 'call-next' && ticket && !why && <small>将先办结 {ticket.number}</small>}
                  </button>
                );
              })}
            </div>
            {/* One live region that keeps its place, so a screen reader reads each new hint or notice. */}
            <div
              className={hint && !notice ? 'clerk-notice clerk-hint' : 'clerk-notice'}
              role="status"
              data-testid={hint && !notice ? 'clerk-hint' : 'clerk-notice'}
            >
              {hint && !notice ? hint.text : (notice ?? '')}
            </div>
          </section>

          <aside className="clerk-side">
            <section className="clerk-waiting" data-testid="clerk-waiting">
              <header>
                <h2>等候中</h2>
                <span className="clerk-waiting-count">
                  <b data-testid="clerk-waiting-count">{waiting.length}</b> 人
                </span>
              </header>
              <div className="clerk-queues">
                {counter.serviceIds.map((id) => {
                  const q = view.queues[id];
                  return (
                    <span key={id} className="clerk-queue">
                      {serviceName(id)} <b>{q?.waiting ?? 0}</b> 人
                      {q?.estimatedWaitMinutes != null && q.waiting > 0 && <> · {formatEstimate(q.estimatedWaitMinutes)}</>}
                    </span>
                  );
                })}
              </div>
              {waiting.length === 0 ? (
                <p className="clerk-muted clerk-waiting-empty">暂无等候的号票</p>
              ) : (
                <ol>
                  {waiting.slice(0, 200).map((t) => (
                    <li key={t.id} data-testid={`waiting-${t.number}`}>
                      <b className="clerk-waiting-number">{t.number}</b>
                      <span className="clerk-waiting-service">{serviceName(t.serviceId)}</span>
                      <span className="clerk-waiting-tags">
                        {PRIORITY_LABELS[t.priority] && <span className="clerk-tag">{PRIORITY_LABELS[t.priority]}</span>}
                        {t.targetCounterId === counter.id && <span className="clerk-tag">指定本窗口</span>}
                        {t.transferCount > 0 && t.targetCounterId !== counter.id && <span className="clerk-tag">转入</span>}
                      </span>
                      <span className="clerk-waiting-wait">已等 {formatWait(now - Date.parse(t.issuedAt))}</span>
                    </li>
                  ))}
                </ol>
              )}
              {waiting.length > 200 && <p className="clerk-muted">另有 {waiting.length - 200} 张未列出</p>}
            </section>
            <section
              className="clerk-tally"
              data-testid="clerk-tally"
              title="办结、过号为服务器记录的本窗口今日数字；转出、评价为本电脑打开工作台期间收到的消息统计。"
            >
              <h2>今日统计</h2>
              <dl>
                <div>
                  <dt>办结</dt>
                  <dd data-testid="tally-served">{view.today[counter.id]?.served ?? 0}</dd>
                </div>
                <div>
                  <dt>过号</dt>
                  <dd data-testid="tally-no-show">{view.today[counter.id]?.noShows ?? 0}</dd>
                </div>
                <div>
                  <dt>
                    转出 <small>本机</small>
                  </dt>
                  <dd data-testid="tally-transferred">{today.transferred.length}</dd>
                </div>
                <div>
                  <dt>
                    评价 <small>本机</small>
                  </dt>
                  <dd data-testid="tally-rated">
                    {rated}
                    {pct !== null && <small> 满意 {pct}%</small>}
                  </dd>
                </div>
              </dl>
            </section>
          </aside>
        </main>
      )}

      {transferOpen && ticket && (
        <TransferDialog
          ticketNumber={ticket.number}
          options={options}
          busy={busy !== null}
          error={error}
          onPick={transfer}
          onClose={() => setTransferOpen(false)}
        />
      )}
    </div>
  );
}

function OpenPanel(props: { counter: Counter; mine: boolean; busy: boolean; onOpen: () => void }) {
  const { counter, mine, busy, onOpen } = props;
  if (!mine) {
    return (
      <div className="clerk-open-panel" data-testid="clerk-in-use">
        <h2>该窗口正由 {counter.clerk?.name ?? '其他工作人员'} 使用</h2>
        <p>一个窗口同一时间只能由一位工作人员登录使用。</p>
      </div>
    );
  }
  const takeOver = counter.state !== 'closed';
  return (
    <div className="clerk-open-panel">
      <h2>
        {counter.number}号窗口 {takeOver ? `${COUNTER_STATE_LABELS[counter.state]}，尚无工作人员` : '未开启'}
      </h2>
      <button type="button" className="clerk-open-button" data-testid="clerk-open" disabled={busy} onClick={onOpen}>
        {takeOver ? '接管窗口，开始工作' : '开启窗口，开始工作'}
      </button>
    </div>
  );
}

function Chooser(props: { choices: Counter[]; onChoose: (id: string) => void; audienceId: string }) {
  const { choices, onChoose, audienceId } = props;
  if (choices.length === 0) {
    return (
      <main className="clerk-chooser" data-testid="clerk-no-counter">
        <h2>您的账号还没有分配窗口</h2>
        <p>请联系大厅管理员分配窗口后再登录。</p>
      </main>
    );
  }
  return (
    <main className="clerk-chooser" data-testid="clerk-chooser">
      <h2>请选择今天工作的窗口</h2>
      <ul>
        {choices.map((c) => {
          const taken = c.clerk !== null && c.clerk.id !== audienceId;
          return (
            <li key={c.id}>
              <button type="button" data-testid={`choose-${c.id}`} onClick={() => onChoose(c.id)}>
                <b>{c.number}号窗口</b>
                <span>{c.name}</span>
                <small>
                  {COUNTER_STATE_LABELS[c.state]}
                  {taken ? ` · ${c.clerk?.name} 使用中` : ''}
                </small>
              </button>
            </li>
          );
        })}
      </ul>
    </main>
  );
}
