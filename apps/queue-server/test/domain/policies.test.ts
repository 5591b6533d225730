/**
 * The routing policies added with the hall simulator (issue 6): strict priority (R7) and plain FIFO (R8).
 * They are compared with R2 and R3 by `src/sim/compare.ts`, which runs these very functions.
 */
import type { Priority } from '@yimen/shared';
import { HallConfig, ROUTING_POLICIES } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import type { TicketRecord } from '../../src/domain/model.js';
import { fifo, POLICIES, strictPriority } from '../../src/domain/routing.js';
import { hallConfig, World, withCounter } from './harness.js';

/** Issues at a minute after 09:00 (the clock only moves forward here). */
function issueAt(w: World, minute: number, serviceId: string, priority: Priority = 'none'): TicketRecord {
  w.at('2026-11-30T09:00:00+08:00').advance(minute);
  return w.take(serviceId, priority);
}

/** Calls at a counter until nobody is left; the numbers in call order. */
function drain(w: World, counterId: string): string[] {
  const out: string[] = [];
  for (let t = w.ok(w.callNext(counterId)); t !== null; t = w.ok(w.callNext(counterId))) out.push(t.number);
  return out;
}

describe('R7 strict priority', () => {
  it('R7 is a named policy of the server and of the hall configuration', () => {
    expect(POLICIES['strict-priority']).toBe(strictPriority);
    expect(strictPriority.name).toBe('strict-priority');
    expect(ROUTING_POLICIES).toContain('strict-priority');
    expect(hallConfig(withCounter('w1', { policy: 'strict-priority' })).counters[0]?.policy).toBe('strict-priority');
  });

  it('R7 any priority ticket goes first, however long ordinary tickets waited (R2 would stop at the head start)', () => {
    const w = new World({ edit: withCounter('w1', { policy: 'strict-priority' }) });
    issueAt(w, 0, 'gen-a'); // A001, 09:00
    issueAt(w, 10, 'gen-a'); // A002, 09:10
    issueAt(w, 40, 'gen-a', 'elderly'); // A003, 09:40: 25 min after A002's effective time less the head start
    issueAt(w, 41, 'gen-b', 'disabled'); // A004, another line
    issueAt(w, 42, 'gen-a'); // A005
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['A003', 'A004', 'A001', 'A002', 'A005']);
  });

  it('R7 R2 (effective-time) on the same tickets calls the long-waiting ordinary tickets first', () => {
    const w = new World();
    issueAt(w, 0, 'gen-a');
    issueAt(w, 10, 'gen-a');
    issueAt(w, 40, 'gen-a', 'elderly');
    issueAt(w, 41, 'gen-b', 'disabled');
    issueAt(w, 42, 'gen-a');
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['A001', 'A002', 'A003', 'A004', 'A005']);
  });

  it('R7 within each class R2 decides: priority tickets by issue time, then ordinary ones by issue time', () => {
    const w = new World({ edit: withCounter('w1', { policy: 'strict-priority' }) });
    issueAt(w, 0, 'gen-b', 'military'); // A001
    issueAt(w, 1, 'gen-a'); // A002
    issueAt(w, 2, 'gen-a', 'appointment'); // A003
    issueAt(w, 3, 'gen-b'); // A004
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['A001', 'A003', 'A002', 'A004']);
  });

  it('R7 R1 still holds: a ticket transferred to another counter is not called here', () => {
    const w = new World({ edit: withCounter('w1', { policy: 'strict-priority' }) });
    issueAt(w, 0, 'gen-a', 'elderly');
    issueAt(w, 1, 'gen-a');
    w.open('w2');
    w.call('w2');
    w.ok(w.transfer('w2', { counterId: 'w4' }));
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['A002']);
  });
});

describe('R8 plain FIFO', () => {
  it('R8 is a named policy of the server and of the hall configuration', () => {
    expect(POLICIES.fifo).toBe(fifo);
    expect(fifo.name).toBe('fifo');
    expect(HallConfig.shape.counters.element.shape.policy.parse('fifo')).toBe('fifo');
  });

  it('R8 calls in issue order: the priority head start is ignored, across lines too', () => {
    const w = new World({ edit: withCounter('w1', { policy: 'fifo' }) });
    issueAt(w, 0, 'gen-a'); // A001
    issueAt(w, 1, 'gen-b'); // A002
    issueAt(w, 2, 'gen-a', 'elderly'); // A003: R2 would call it first
    issueAt(w, 3, 'gen-b', 'disabled'); // A004
    issueAt(w, 4, 'gen-a'); // A005
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['A001', 'A002', 'A003', 'A004', 'A005']);
  });

  it('R8 a transferred ticket keeps its place by issue time (T7)', () => {
    const w = new World({ edit: withCounter('w1', { policy: 'fifo' }) });
    issueAt(w, 0, 'consult'); // J001
    issueAt(w, 1, 'gen-a', 'elderly'); // A001
    issueAt(w, 2, 'gen-b'); // A002
    w.open('w5');
    w.call('w5'); // J001
    w.ok(w.transfer('w5', { serviceId: 'gen-a' }));
    w.open('w1');
    expect(drain(w, 'w1')).toEqual(['J001', 'A001', 'A002']);
  });

  it('R8 a reactivated ordinary no-show waits behind the next tickets of its service (T9)', () => {
    const w = new World({ edit: withCounter('w1', { policy: 'fifo' }) });
    for (let i = 0; i < 5; i++) issueAt(w, i, 'gen-a'); // A001…A005
    w.open('w1');
    const first = w.call('w1');
    w.ok(w.noShow('w1'));
    w.ok(w.reactivate(first.id));
    expect(drain(w, 'w1')).toEqual(['A002', 'A003', 'A004', 'A001', 'A005']);
  });
});
