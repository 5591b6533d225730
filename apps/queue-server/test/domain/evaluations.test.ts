import type { EvaluationLevel } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import { clerk, codeOf, World } from './harness.js';

/** A gen-a ticket served and finished at w1, taken by clerk1. */
function served() {
  const w = new World();
  w.open('w1', clerk('clerk1'));
  const t = w.take('gen-a');
  w.call('w1');
  w.ok(w.start('w1'));
  w.advance(6);
  w.ok(w.finish('w1'));
  return { w, t };
}

describe('E1 only a done ticket can be rated', () => {
  it('E1 a done ticket is rated; the evaluation names the counter and the clerk who served it', () => {
    const { w, t } = served();
    w.advance(1);
    const e = w.ok(w.evaluate(t.id, 'very_satisfied'));
    expect(e).toMatchObject({
      ticketId: t.id,
      counterId: 'w1',
      clerkId: 'clerk1',
      level: 'very_satisfied',
      reasons: [],
      comment: null,
      createdAt: w.now,
      submittedBy: 'pad-w1',
    });
    expect(w.ticket(t.id).status).toBe('done');
  });

  it.each(['waiting', 'called', 'serving', 'no_show', 'cancelled'] as const)('E1 a %s ticket: TICKET_NOT_DONE', (status) => {
    const w = new World();
    w.open('w1');
    const t = w.take('gen-a');
    if (status !== 'waiting' && status !== 'cancelled') w.call('w1');
    if (status === 'serving') w.ok(w.start('w1'));
    if (status === 'no_show') w.ok(w.noShow('w1'));
    if (status === 'cancelled') w.ok(w.cancel(t.id));
    expect(w.ticket(t.id).status).toBe(status);
    expect(codeOf(w.evaluate(t.id, 'satisfied'))).toBe('TICKET_NOT_DONE');
  });
});

describe('E2 once', () => {
  it('E2 a ticket already rated: ALREADY_EVALUATED', () => {
    const { w, t } = served();
    expect(codeOf(w.evaluate(t.id, 'satisfied', [], true))).toBe('ALREADY_EVALUATED');
  });

  it('E2 is checked before E3: a second, reasonless low rating is ALREADY_EVALUATED', () => {
    const { w, t } = served();
    expect(codeOf(w.evaluate(t.id, 'very_dissatisfied', [], true))).toBe('ALREADY_EVALUATED');
  });
});

describe('E3 low ratings need a reason', () => {
  it.each<[EvaluationLevel, string]>([
    ['dissatisfied', 'REASON_REQUIRED'],
    ['very_dissatisfied', 'REASON_REQUIRED'],
    ['basic', 'ok'],
    ['satisfied', 'ok'],
    ['very_satisfied', 'ok'],
  ])('E3 %s without a reason: %s', (level, expected) => {
    const { w, t } = served();
    expect(codeOf(w.evaluate(t.id, level, []))).toBe(expected);
  });

  it.each<EvaluationLevel>(['dissatisfied', 'very_dissatisfied'])('E3 %s with a reason is recorded with it', (level) => {
    const { w, t } = served();
    expect(w.ok(w.evaluate(t.id, level, ['效率低']))).toMatchObject({ level, reasons: ['效率低'] });
  });
});
