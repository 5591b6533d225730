/**
 * The counter screen (/counter/{number}): a small wide screen above a window (1280×400, 800×480). The
 * window's number and name; the ticket called (blinking until the citizen arrives) or being served;
 * "暂停服务" when paused; the clerk on duty, name and 工号. Nothing personal of citizens. The type scales
 * with the screen; the top right corner stays free for the "连接中断" notice.
 */
import type { Counter, HallView, TicketView } from '@yimen/shared';
import type { ScreenProps } from '../lib/screen.js';
import { Clock } from './Hall.js';
import './counter.css';

type Show = { kind: 'called' | 'serving'; ticket: TicketView } | { kind: 'idle' } | { kind: 'paused' } | { kind: 'closed' };

export function counterShows(counter: Counter, view: HallView): Show {
  if (counter.state === 'paused') return { kind: 'paused' };
  if (counter.state === 'closed') return { kind: 'closed' };
  const ticket = counter.currentTicketId ? view.tickets[counter.currentTicketId] : undefined;
  if (ticket?.status === 'called') return { kind: 'called', ticket };
  if (ticket?.status === 'serving') return { kind: 'serving', ticket };
  return { kind: 'idle' };
}

export function CounterScreen({ route, state }: ScreenProps) {
  const view = state.view;
  const counter = view.counters.find((c) => c.number === route.number);
  if (!counter)
    return (
      <div className="connecting" data-testid="counter-unknown">
        本大厅没有 {route.number} 号窗口
      </div>
    );
  const show = counterShows(counter, view);
  return (
    <div className={`counter-screen counter-screen--${show.kind}`} data-testid="counter-screen" data-state={counter.state}>
      <div className="counter-screen__main">
        <div className="counter-screen__id">
          <div className="counter-screen__number" data-testid="counter-number">
            {counter.number}
            <small>号窗口</small>
          </div>
          <div className="counter-screen__name" data-testid="counter-name">
            {counter.name}
          </div>
        </div>
        <div className="counter-screen__status" data-testid="counter-status">
          <Status show={show} />
        </div>
      </div>
      <footer className="counter-screen__footer">
        <div className="counter-screen__clerk" data-testid="counter-clerk">
          {counter.clerk && counter.state !== 'closed' ? (
            <>
              <span className="counter-screen__clerk-label">工作人员</span>
              <strong>{counter.clerk.name}</strong>
              {counter.clerk.staffNo && (
                <>
                  <span className="counter-screen__clerk-label">工号</span>
                  <strong>{counter.clerk.staffNo}</strong>
                </>
              )}
            </>
          ) : (
            <span className="counter-screen__clerk-label">{view.hall.name}</span>
          )}
        </div>
        <Clock view={view} className="counter-screen__clock" />
      </footer>
    </div>
  );
}

function Status({ show }: { show: Show }) {
  switch (show.kind) {
    case 'called':
    case 'serving':
      return (
        <>
          <div className="counter-screen__label">{show.kind === 'called' ? '请' : '正在办理'}</div>
          <div
            // a recall restarts the blinking
            key={`${show.ticket.id}:${show.ticket.recallCount}`}
            className={`counter-screen__ticket${show.kind === 'called' ? ' counter-screen__ticket--called' : ''}${
              show.ticket.number.length > 4 ? ' counter-screen__ticket--long' : ''
            }`}
            data-testid="counter-ticket"
            data-status={show.ticket.status}
          >
            {show.ticket.number}
          </div>
          <div className="counter-screen__label">{show.kind === 'called' ? '号到本窗口办理' : '\u00a0'}</div>
        </>
      );
    case 'paused':
      return (
        <div className="counter-screen__big counter-screen__big--paused" data-testid="counter-paused">
          暂停服务
        </div>
      );
    case 'closed':
      return (
        <div className="counter-screen__big counter-screen__big--closed" data-testid="counter-closed">
          暂未开放
        </div>
      );
    default:
      return (
        <div className="counter-screen__big counter-screen__big--idle" data-testid="counter-idle">
          欢迎光临
        </div>
      );
  }
}
