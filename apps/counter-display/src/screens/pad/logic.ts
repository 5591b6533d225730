/**
 * The evaluation pad's states, as a pure reducer: idle → rate (a ticket finished at this counter) →
 * reasons (a low rating) → sending → done (thanks, already rated, or refused) → idle. The screen runs the
 * timers and the request; this decides what each event means.
 */
import type { EvaluationLevel, RecentCall, TicketView } from '@yimen/shared';
import { RATING_TIMEOUT_MS } from './timing.js';

export interface PadTicket {
  id: string;
  number: string;
}

export type PadState =
  | { phase: 'idle' }
  | { phase: 'rate'; ticket: PadTicket; error: string | null }
  | { phase: 'reasons'; ticket: PadTicket; level: EvaluationLevel; reasons: string[]; comment: string; error: string | null }
  | {
      phase: 'sending';
      ticket: PadTicket;
      level: EvaluationLevel;
      reasons: string[];
      comment: string;
      /** a ticket finished meanwhile: asked next */
      next: PadTicket | null;
    }
  | { phase: 'done'; ticket: PadTicket; outcome: 'thanks' | 'already' | 'refused'; message: string; next: PadTicket | null };

export type PadEvent =
  | { type: 'finished'; ticket: PadTicket }
  | { type: 'choose'; level: EvaluationLevel }
  | { type: 'toggle-reason'; reason: string }
  | { type: 'comment'; text: string }
  | { type: 'back' }
  | { type: 'submit' }
  | { type: 'stored' }
  | { type: 'failed'; code: string; message: string }
  | { type: 'timeout' }
  | { type: 'thanks-over' };

export const IDLE: PadState = { phase: 'idle' };

/** 不满意 and 非常不满意 need at least one reason. */
export function needsReason(level: EvaluationLevel): boolean {
  return level === 'dissatisfied' || level === 'very_dissatisfied';
}

/** The body of POST /evaluations for a state ready to send. */
export function evaluationBody(s: Extract<PadState, { phase: 'sending' }>): {
  ticketId: string;
  level: EvaluationLevel;
  reasons?: string[];
  comment?: string;
} {
  const comment = s.comment.trim();
  return {
    ticketId: s.ticket.id,
    level: s.level,
    ...(s.reasons.length ? { reasons: s.reasons } : {}),
    ...(comment ? { comment } : {}),
  };
}

/** Whether the state asks the citizen something (the 30 s rule applies). */
export function isAsking(s: PadState): boolean {
  return s.phase === 'rate' || s.phase === 'reasons';
}

export function padReducer(s: PadState, e: PadEvent): PadState {
  switch (e.type) {
    case 'finished':
      if (s.phase === 'sending') return { ...s, next: e.ticket };
      if (s.phase !== 'idle' && s.ticket.id === e.ticket.id) return s;
      return { phase: 'rate', ticket: e.ticket, error: null };
    case 'choose':
      if (s.phase !== 'rate' && s.phase !== 'reasons') return s;
      if (needsReason(e.level)) {
        const kept = s.phase === 'reasons' ? { reasons: s.reasons, comment: s.comment } : { reasons: [], comment: '' };
        return { phase: 'reasons', ticket: s.ticket, level: e.level, ...kept, error: null };
      }
      return { phase: 'sending', ticket: s.ticket, level: e.level, reasons: [], comment: '', next: null };
    case 'toggle-reason':
      if (s.phase !== 'reasons') return s;
      return {
        ...s,
        error: null,
        reasons: s.reasons.includes(e.reason) ? s.reasons.filter((r) => r !== e.reason) : [...s.reasons, e.reason],
      };
    case 'comment':
      return s.phase === 'reasons' ? { ...s, comment: e.text.slice(0, 500) } : s;
    case 'back':
      return s.phase === 'reasons' ? { phase: 'rate', ticket: s.ticket, error: null } : s;
    case 'submit':
      if (s.phase !== 'reasons') return s;
      if (s.reasons.length === 0) return { ...s, error: '请至少选择一项原因。' };
      return { phase: 'sending', ticket: s.ticket, level: s.level, reasons: s.reasons, comment: s.comment, next: null };
    case 'stored':
      return s.phase === 'sending'
        ? { phase: 'done', ticket: s.ticket, outcome: 'thanks', message: '感谢您的评价！', next: s.next }
        : s;
    case 'failed':
      if (s.phase !== 'sending') return s;
      if (e.code === 'ALREADY_EVALUATED')
        return { phase: 'done', ticket: s.ticket, outcome: 'already', message: e.message, next: s.next };
      if (e.code === 'REASON_REQUIRED')
        return { phase: 'reasons', ticket: s.ticket, level: s.level, reasons: s.reasons, comment: s.comment, error: e.message };
      // A lost network or a busy server: the citizen may try again (a new ticket finished meanwhile wins).
      if (e.code === 'NETWORK' || e.code === 'UNAVAILABLE' || e.code === 'INTERNAL') {
        if (s.next) return { phase: 'rate', ticket: s.next, error: null };
        return needsReason(s.level)
          ? { phase: 'reasons', ticket: s.ticket, level: s.level, reasons: s.reasons, comment: s.comment, error: e.message }
          : { phase: 'rate', ticket: s.ticket, error: e.message };
      }
      return { phase: 'done', ticket: s.ticket, outcome: 'refused', message: e.message, next: s.next };
    case 'timeout':
      return isAsking(s) ? IDLE : s;
    case 'thanks-over':
      if (s.phase !== 'done') return s;
      return s.next ? { phase: 'rate', ticket: s.next, error: null } : IDLE;
  }
}

/**
 * After a lost connection: the ticket last called at this counter, when it is no longer active and the pad
 * never saw how it ended (its finish may have happened while the pad was cut off). null otherwise.
 */
export function unseenEnd(
  recentCalls: RecentCall[],
  tickets: Record<string, TicketView>,
  counterId: string | null,
  ended: ReadonlySet<string>,
): string | null {
  const last = recentCalls.find((c) => c.counterId === counterId);
  if (!last || tickets[last.ticketId] || ended.has(last.ticketId)) return null;
  return last.ticketId;
}

/** Whether a ticket checked after a lost connection was finished at this counter recently enough to ask. */
export function finishedMoments(
  t: Pick<TicketView, 'status' | 'counterId' | 'finishedAt'>,
  counterId: string | null,
  serverTime: string,
): boolean {
  if (t.status !== 'done' || t.counterId !== counterId || !t.finishedAt) return false;
  const age = Date.parse(serverTime) - Date.parse(t.finishedAt);
  return age >= 0 && age < RATING_TIMEOUT_MS;
}
