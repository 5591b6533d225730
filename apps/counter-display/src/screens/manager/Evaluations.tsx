/**
 * The evaluations recorded since this page began watching (the server's snapshot carries none: a view only
 * learns of evaluations as they happen), newest first; low ratings are marked to follow up.
 */
import type { Counter, Evaluation, User } from '@yimen/shared';
import { counterLabel, evaluationSummary, isLowRating, levelLabel, timeOfDay } from './model.js';

export function EvaluationList(props: {
  evaluations: Evaluation[];
  counters: Counter[];
  users: Map<string, User>;
  ticketNumber: (ticketId: string) => string | null;
}) {
  const { evaluations, counters, users, ticketNumber } = props;
  const s = evaluationSummary(evaluations);
  return (
    <section className="mgr-panel" data-testid="evaluations">
      <header className="mgr-panel-head">
        <h2>最新评价</h2>
        <span className="mgr-eval-summary" data-testid="evaluation-summary">
          {s.total} 条{s.goodPercent !== null && ` · 好评率 ${s.goodPercent}%`}
          {s.low > 0 && <span className="mgr-low-count"> · 差评 {s.low}</span>}
        </span>
      </header>
      <p className="mgr-muted mgr-note">仅列出本页打开后收到的评价（当日完整统计见日报）。</p>
      {evaluations.length === 0 ? (
        <p className="mgr-muted">本页打开后还没有新的评价。</p>
      ) : (
        <ul className="mgr-evals">
          {evaluations.map((e) => {
            const low = isLowRating(e.level);
            const clerk = e.clerkId ? users.get(e.clerkId) : undefined;
            const number = ticketNumber(e.ticketId);
            return (
              <li key={e.id} className={`mgr-eval${low ? ' mgr-eval-low' : ''}`} data-testid="evaluation" data-level={e.level}>
                <div className="mgr-eval-head">
                  <span className={`mgr-level mgr-level-${e.level}`}>{levelLabel(e.level)}</span>
                  {low && <span className="mgr-follow">需跟进</span>}
                  <span className="mgr-eval-time">{timeOfDay(Date.parse(e.createdAt))}</span>
                </div>
                <div className="mgr-eval-who">
                  {counterLabel(counters, e.counterId)}
                  {number && ` · ${number}`}
                  {clerk && ` · ${clerk.name}${clerk.staffNo ? `（${clerk.staffNo}）` : ''}`}
                </div>
                {(e.reasons.length > 0 || e.comment) && (
                  <div className="mgr-eval-why">
                    {e.reasons.join('、')}
                    {e.comment && `${e.reasons.length ? '：' : ''}${e.comment}`}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
