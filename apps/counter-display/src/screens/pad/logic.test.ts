import type { RecentCall, TicketView } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import {
  evaluationBody,
  finishedMoments,
  IDLE,
  isAsking,
  needsReason,
  type PadEvent,
  type PadState,
  padReducer,
  unseenEnd,
} from './logic.js';

const A001 = { id: 't1', number: 'A001' };
const A002 = { id: 't2', number: 'A002' };
const run = (events: PadEvent[], from: PadState = IDLE) => events.reduce(padReducer, from);

describe('the pad', () => {
  it('asks when a ticket is finished, and a good rating is sent at once', () => {
    const s = run([
      { type: 'finished', ticket: A001 },
      { type: 'choose', level: 'satisfied' },
    ]);
    expect(s.phase).toBe('sending');
    if (s.phase !== 'sending') return;
    expect(evaluationBody(s)).toEqual({ ticketId: 't1', level: 'satisfied' });
    const done = padReducer(s, { type: 'stored' });
    expect(done).toMatchObject({ phase: 'done', outcome: 'thanks' });
    expect(padReducer(done, { type: 'thanks-over' })).toEqual(IDLE);
  });

  it('a low rating needs a reason before it is sent; comments are trimmed', () => {
    expect(needsReason('dissatisfied') && needsReason('very_dissatisfied') && !needsReason('basic')).toBe(true);
    let s = run([
      { type: 'finished', ticket: A001 },
      { type: 'choose', level: 'dissatisfied' },
    ]);
    expect(s.phase).toBe('reasons');
    s = padReducer(s, { type: 'submit' });
    expect(s).toMatchObject({ phase: 'reasons', error: '请至少选择一项原因。' });
    s = run(
      [
        { type: 'toggle-reason', reason: '效率低' },
        { type: 'toggle-reason', reason: '其他' },
        { type: 'toggle-reason', reason: '其他' },
        { type: 'comment', text: '  等太久了 ' },
        { type: 'submit' },
      ],
      s,
    );
    expect(s.phase).toBe('sending');
    if (s.phase !== 'sending') return;
    expect(evaluationBody(s)).toEqual({ ticketId: 't1', level: 'dissatisfied', reasons: ['效率低'], comment: '等太久了' });
  });

  it('going back from the reasons keeps nothing sent; choosing another low level keeps the reasons', () => {
    let s = run([
      { type: 'finished', ticket: A001 },
      { type: 'choose', level: 'very_dissatisfied' },
      { type: 'toggle-reason', reason: '态度不好' },
      { type: 'choose', level: 'dissatisfied' },
    ]);
    expect(s).toMatchObject({ phase: 'reasons', level: 'dissatisfied', reasons: ['态度不好'] });
    s = padReducer(s, { type: 'back' });
    expect(s).toEqual({ phase: 'rate', ticket: A001, error: null });
  });

  it('times out to idle only while asking', () => {
    const asking = run([{ type: 'finished', ticket: A001 }]);
    expect(isAsking(asking)).toBe(true);
    expect(padReducer(asking, { type: 'timeout' })).toEqual(IDLE);
    const sending = padReducer(asking, { type: 'choose', level: 'basic' });
    expect(padReducer(sending, { type: 'timeout' })).toBe(sending);
  });

  it('already rated is a polite end; a lost network lets the citizen try again', () => {
    const sending = run([
      { type: 'finished', ticket: A001 },
      { type: 'choose', level: 'basic' },
    ]);
    expect(
      padReducer(sending, { type: 'failed', code: 'ALREADY_EVALUATED', message: '该号票已经评价过了，感谢您的反馈。' }),
    ).toMatchObject({
      phase: 'done',
      outcome: 'already',
    });
    expect(padReducer(sending, { type: 'failed', code: 'NETWORK', message: '网络连接中断' })).toMatchObject({
      phase: 'rate',
      error: '网络连接中断',
    });
    expect(padReducer(sending, { type: 'failed', code: 'TICKET_NOT_DONE', message: 'x' })).toMatchObject({ outcome: 'refused' });
  });

  it('a newer ticket replaces the question; one finished while sending is asked next', () => {
    expect(
      run([
        { type: 'finished', ticket: A001 },
        { type: 'finished', ticket: A002 },
      ]),
    ).toMatchObject({ ticket: A002 });
    const s = run([
      { type: 'finished', ticket: A001 },
      { type: 'choose', level: 'very_satisfied' },
      { type: 'finished', ticket: A002 },
      { type: 'stored' },
      { type: 'thanks-over' },
    ]);
    expect(s).toEqual({ phase: 'rate', ticket: A002, error: null });
  });
});

describe('a finish missed while cut off', () => {
  const call = (ticketId: string, counterId: string): RecentCall => ({
    ticketId,
    number: 'A001',
    serviceId: 'gen-a',
    counterId,
    counterNumber: 1,
    at: '2026-11-30T09:00:00.000+08:00',
    recall: false,
  });
  const calls = [call('t9', 'w2'), call('t2', 'w1'), call('t1', 'w1')];
  it('is the last call at this counter whose ticket is gone and whose end the pad did not see', () => {
    expect(unseenEnd(calls, {}, 'w1', new Set())).toBe('t2');
    expect(unseenEnd(calls, {}, 'w1', new Set(['t2']))).toBeNull();
    expect(unseenEnd(calls, { t2: {} as TicketView }, 'w1', new Set())).toBeNull();
    expect(unseenEnd(calls, {}, 'w5', new Set())).toBeNull();
  });
  it('is asked only when done here moments ago', () => {
    const now = '2026-11-30T09:10:00.000+08:00';
    const t = { status: 'done' as const, counterId: 'w1', finishedAt: '2026-11-30T09:09:50.000+08:00' };
    expect(finishedMoments(t, 'w1', now)).toBe(true);
    expect(finishedMoments({ ...t, finishedAt: '2026-11-30T09:09:00.000+08:00' }, 'w1', now)).toBe(false);
    expect(finishedMoments({ ...t, status: 'no_show' }, 'w1', now)).toBe(false);
    expect(finishedMoments(t, 'w2', now)).toBe(false);
  });
});
