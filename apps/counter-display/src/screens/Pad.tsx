/**
 * The evaluation pad (/pad/{n}, a tablet at the counter). Idle: the window and the clerk on duty. When a
 * ticket is finished at this counter it asks for a rating (five large choices); a low rating asks for a
 * reason; then thanks, and idle again. With no touch for RATING_TIMEOUT_MS it goes back to idle and the
 * ticket stays unrated. One rating per ticket: the server's ALREADY_EVALUATED is shown politely.
 */
import type { Counter, FactType, Ticket } from '@yimen/shared';
import { EVALUATION_LEVEL_LABELS, EVALUATION_LEVELS, EVALUATION_REASONS } from '@yimen/shared';
import { useEffect, useReducer, useRef, useState } from 'react';
import { ApiFailure, api } from '../lib/api.js';
import type { ScreenProps } from '../lib/screen.js';
import { Face } from './pad/Face.js';
import { evaluationBody, finishedMoments, IDLE, isAsking, type PadEvent, padReducer, unseenEnd } from './pad/logic.js';
import { RATING_TIMEOUT_MS, THANKS_MS } from './pad/timing.js';
import './pad.css';

/** Facts that end a ticket's stay at a counter. */
const ENDINGS = new Set<FactType>(['ticket:finished', 'ticket:no-show', 'ticket:transferred', 'ticket:cancelled']);

export function PadScreen({ route, token, connection, state }: ScreenProps) {
  const { view, audience } = state;
  const counterId = audience?.type === 'device' ? audience.counterId : null;
  const counter = view.counters.find((c) => c.id === counterId) ?? view.counters.find((c) => c.number === route.number) ?? null;
  const cid = counter?.id ?? null;

  const [pad, dispatch] = useReducer(padReducer, IDLE);
  const [touches, setTouches] = useState(0);

  // A ticket finished at this counter (by 办结, or by 叫号 finishing the one held): ask for a rating.
  // `ended` remembers the tickets whose end at this counter the pad has seen (or checked).
  const ended = useRef(new Set<string>());
  useEffect(() => {
    if (!cid) return;
    return connection.onFact((f) => {
      if (!ENDINGS.has(f.type) || !('counter' in f) || f.counter?.id !== cid || !('ticket' in f)) return;
      ended.current.add(f.ticket.id);
      if (f.type === 'ticket:finished') dispatch({ type: 'finished', ticket: { id: f.ticket.id, number: f.ticket.number } });
    });
  }, [connection, cid]);

  // Back from a lost connection, the snapshot may hold a call at this counter whose end the pad never saw:
  // ask the server; a ticket finished here moments ago is still asked for its rating.
  const missed = unseenEnd(view.recentCalls, view.tickets, cid, ended.current);
  const serverTime = view.serverTime;
  useEffect(() => {
    if (!missed) return;
    ended.current.add(missed);
    api<{ ticket: Ticket }>('GET', `/tickets/${missed}`, token).then(
      ({ ticket: t }) => {
        if (finishedMoments(t, cid, serverTime)) dispatch({ type: 'finished', ticket: { id: t.id, number: t.number } });
      },
      () => {}, // unknown now: the ticket stays unrated, as after the 30 s
    );
  }, [missed, token, cid, serverTime]);

  // No touch for RATING_TIMEOUT_MS while asking: back to idle, unrated. Every touch restarts the wait.
  const askingKey = isAsking(pad) ? `${pad.phase}:${'ticket' in pad ? pad.ticket.id : ''}:${touches}` : null;
  useEffect(() => {
    if (!askingKey) return;
    const t = setTimeout(() => dispatch({ type: 'timeout' }), RATING_TIMEOUT_MS);
    return () => clearTimeout(t);
  }, [askingKey]);

  const doneKey = pad.phase === 'done' ? pad.ticket.id : null;
  useEffect(() => {
    if (!doneKey) return;
    const t = setTimeout(() => dispatch({ type: 'thanks-over' }), THANKS_MS);
    return () => clearTimeout(t);
  }, [doneKey]);

  const act = (e: PadEvent) => {
    setTouches((n) => n + 1);
    const next = padReducer(pad, e);
    dispatch(e);
    if (next.phase === 'sending' && pad.phase !== 'sending') {
      api('POST', '/evaluations', token, evaluationBody(next)).then(
        () => dispatch({ type: 'stored' }),
        (err: unknown) =>
          dispatch(
            err instanceof ApiFailure
              ? { type: 'failed', code: err.code, message: err.message }
              : { type: 'failed', code: 'NETWORK', message: '提交没有成功，请再试一次。' },
          ),
      );
    }
  };

  if (!counter) {
    return (
      <div className="pad pad-idle" data-testid="pad-unknown">
        <p className="pad-slogan">本评价器没有对应的窗口，请联系大厅管理员。</p>
      </div>
    );
  }

  const touch = () => setTouches((n) => n + 1);

  switch (pad.phase) {
    case 'idle':
      return <Idle counter={counter} hallName={view.hall.name} />;
    case 'rate':
      return (
        <div className="pad pad-ask" data-testid="pad-rate" onPointerDown={touch}>
          <Strip counter={counter} />
          <div className="pad-ask-title">
            <h1>请您对本次服务进行评价</h1>
            <p className="pad-ticket">
              号票 <b data-testid="pad-ticket">{pad.ticket.number}</b>
            </p>
          </div>
          <div className="pad-levels">
            {EVALUATION_LEVELS.map((level) => (
              <button
                key={level}
                type="button"
                className={`pad-level ${level}`}
                data-testid={`pad-level-${level}`}
                onClick={() => act({ type: 'choose', level })}
              >
                <Face level={level} />
                <span>{EVALUATION_LEVEL_LABELS[level]}</span>
              </button>
            ))}
          </div>
          {pad.error && (
            <p className="pad-error" role="alert">
              {pad.error}
            </p>
          )}
        </div>
      );
    case 'reasons':
      return (
        <div className="pad pad-ask pad-reasons" data-testid="pad-reasons" onPointerDown={touch}>
          <Strip counter={counter} />
          <div className="pad-ask-title">
            <h1>很抱歉没有让您满意</h1>
            <p className="pad-chosen">
              <Face level={pad.level} />
              您的评价：<b>{EVALUATION_LEVEL_LABELS[pad.level]}</b>
              <span className="pad-sep">·</span>请选择原因（可多选）
            </p>
          </div>
          <div className="pad-reason-list">
            {EVALUATION_REASONS.map((reason) => {
              const on = pad.reasons.includes(reason);
              return (
                <button
                  key={reason}
                  type="button"
                  className={`pad-reason${on ? ' on' : ''}`}
                  aria-pressed={on}
                  data-testid={`pad-reason-${reason}`}
                  onClick={() => act({ type: 'toggle-reason', reason })}
                >
                  <span className="pad-check" aria-hidden="true">
                    {on ? '✓' : ''}
                  </span>
                  {reason}
                </button>
              );
            })}
          </div>
          <textarea
            className="pad-comment"
            data-testid="pad-comment"
            placeholder="其他意见或建议（选填）"
            maxLength={500}
            value={pad.comment}
            onChange={(e) => act({ type: 'comment', text: e.target.value })}
          />
          <div className="pad-reason-actions">
            <button type="button" className="pad-secondary" data-testid="pad-back" onClick={() => act({ type: 'back' })}>
              重新选择
            </button>
            <span className="pad-hint" role="alert">
              {pad.error ?? (pad.reasons.length === 0 ? '请至少选择一项原因' : '')}
            </span>
            <button
              type="button"
              className="pad-primary"
              data-testid="pad-submit"
              disabled={pad.reasons.length === 0}
              onClick={() => act({ type: 'submit' })}
            >
              提交评价
            </button>
          </div>
        </div>
      );
    case 'sending':
      return (
        <div className="pad pad-message" data-testid="pad-sending">
          <p className="pad-message-text">正在提交您的评价…</p>
        </div>
      );
    case 'done':
      return (
        <div className={`pad pad-message ${pad.outcome}`} data-testid="pad-thanks" data-outcome={pad.outcome}>
          {pad.outcome === 'thanks' && (
            <svg className="pad-tick" viewBox="0 0 100 100" aria-hidden="true">
              <circle cx="50" cy="50" r="46" fill="#2ec27e" />
              <path
                d="M28 52 L44 67 L73 36"
                fill="none"
                stroke="#fff"
                strokeWidth="9"
                strokeLinecap="round"
                strokeLinejoin="round"
              />
            </svg>
          )}
          <p className="pad-message-text" data-testid="pad-thanks-text">
            {pad.message}
          </p>
          {pad.outcome === 'thanks' && <p className="pad-message-sub">您的评价将帮助我们改进服务，祝您办事顺利！</p>}
        </div>
      );
  }
}

function Idle({ counter, hallName }: { counter: Counter; hallName: string }) {
  const onDuty = counter.state !== 'closed' && counter.clerk !== null;
  return (
    <div className="pad pad-idle" data-testid="pad-idle">
      <div className="pad-hall">{hallName}</div>
      <div className="pad-window" data-testid="pad-window">
        <span className="pad-window-number">{counter.number}</span>
        <span className="pad-window-unit">号窗口</span>
      </div>
      <div className="pad-window-name">{counter.name}</div>
      {onDuty && counter.clerk ? (
        <div className="pad-clerk" data-testid="pad-clerk">
          <div className="pad-avatar" aria-hidden="true">
            {counter.clerk.name.slice(0, 1)}
          </div>
          <div>
            <div className="pad-clerk-role">为您服务的工作人员</div>
            <div className="pad-clerk-name">{counter.clerk.name}</div>
            <div className="pad-clerk-no">工号 {counter.clerk.staffNo ?? '—'}</div>
          </div>
        </div>
      ) : (
        <div className="pad-off" data-testid="pad-off">
          {counter.state === 'closed' ? '本窗口暂未开放' : '本窗口工作人员暂未登录'}
        </div>
      )}
      {counter.state === 'paused' && <div className="pad-off small">暂停服务，请稍候</div>}
      <p className="pad-slogan">业务办结后，请您对我们的服务进行评价</p>
    </div>
  );
}

/** The top line while asking: which window and who served. */
function Strip({ counter }: { counter: Counter }) {
  return (
    <div className="pad-strip">
      <span>
        <b>{counter.number}号窗口</b> {counter.name}
      </span>
      {counter.clerk && (
        <span>
          {counter.clerk.name} · 工号 {counter.clerk.staffNo ?? '—'}
        </span>
      )}
    </div>
  );
}
