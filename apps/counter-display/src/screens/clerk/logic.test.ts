import type { Counter, FactMessage, TicketView } from '@yimen/shared';
import { ERRORS } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import {
  type ActionContext,
  actionForKey,
  CLOSED_COUNTER_REASON,
  emptyTally,
  formatElapsed,
  formatWait,
  parseTally,
  satisfaction,
  searchOptions,
  tallyFact,
  transferOptions,
  waitingAt,
  whyNot,
} from './logic.js';

const ticket = (over: Partial<TicketView>): TicketView => ({
  id: 't1',
  number: 'A001',
  serviceId: 'gen-a',
  status: 'waiting',
  priority: 'none',
  businessDay: '2026-11-30',
  issuedAt: '2026-11-30T09:00:00.000+08:00',
  calledAt: null,
  startedAt: null,
  finishedAt: null,
  counterId: null,
  targetCounterId: null,
  recallCount: 0,
  transferCount: 0,
  ...over,
});

const counter = (over: Partial<Counter>): Counter => ({
  id: 'w1',
  number: 1,
  name: '1号综合窗口',
  kind: 'comprehensive',
  serviceIds: ['gen-a', 'gen-b'],
  policy: 'effective-time',
  state: 'open',
  currentTicketId: null,
  clerk: { id: 'u1', name: '张晓明', staffNo: 'GD0101' },
  stateSince: '2026-11-30T08:30:00.000+08:00',
  ...over,
});

const ctx = (over: Partial<ActionContext> & { state?: Counter['state']; held?: boolean }): ActionContext => ({
  counter: { state: over.state ?? 'open', currentTicketId: over.held || over.ticket ? 't1' : null },
  mine: over.mine ?? true,
  ticket: over.ticket ?? null,
  callable: over.callable ?? 0,
});

describe('whyNot: the actions a counter can take, in the server’s words', () => {
  it('call-next needs an open counter and someone to call (or a ticket to finish first)', () => {
    expect(whyNot('call-next', ctx({ callable: 2 }))).toBeNull();
    expect(whyNot('call-next', ctx({ state: 'paused', callable: 2 }))?.message).toBe(ERRORS.COUNTER_NOT_OPEN.message);
    expect(whyNot('call-next', ctx({ callable: 0 }))?.code).toBe('NO_WAITING');
    expect(whyNot('call-next', ctx({ ticket: { status: 'serving' } }))).toBeNull();
  });
  it('recall, start and no-show need a called ticket; serving says so', () => {
    for (const a of ['recall', 'start', 'no-show'] as const) {
      expect(whyNot(a, ctx({ ticket: { status: 'called' } }))).toBeNull();
      expect(whyNot(a, ctx({ ticket: { status: 'serving' } }))?.message).toBe('该号票已在办理中。');
      expect(whyNot(a, ctx({}))?.code).toBe('NO_CURRENT_TICKET');
    }
  });
  it('finish and transfer take a called or serving ticket, also while paused', () => {
    for (const a of ['finish', 'transfer'] as const) {
      expect(whyNot(a, ctx({ ticket: { status: 'called' } }))).toBeNull();
      expect(whyNot(a, ctx({ state: 'paused', ticket: { status: 'serving' } }))).toBeNull();
      expect(whyNot(a, ctx({ held: true }))).toBeNull();
      expect(whyNot(a, ctx({}))?.code).toBe('NO_CURRENT_TICKET');
      expect(whyNot(a, ctx({ state: 'closed' }))?.code).toBe('COUNTER_NOT_OPEN');
    }
  });
  it('pause, resume and close follow the counter’s state', () => {
    expect(whyNot('pause', ctx({}))).toBeNull();
    expect(whyNot('pause', ctx({ state: 'paused' }))?.code).toBe('COUNTER_NOT_OPEN');
    expect(whyNot('resume', ctx({ state: 'paused' }))).toBeNull();
    expect(whyNot('resume', ctx({}))?.code).toBe('COUNTER_NOT_PAUSED');
    expect(whyNot('close', ctx({}))).toBeNull();
    expect(whyNot('close', ctx({ ticket: { status: 'called' } }))?.code).toBe('COUNTER_BUSY');
    expect(whyNot('close', ctx({ state: 'closed' }))?.message).toBe('窗口已经关闭。');
  });
  it('a counter another clerk holds refuses everything', () => {
    expect(whyNot('call-next', ctx({ mine: false, callable: 3 }))?.code).toBe('COUNTER_IN_USE');
  });
});

describe('shortcuts', () => {
  it('maps F1–F8, F7 toggling pause and resume', () => {
    expect(actionForKey('F1', 'open')).toBe('call-next');
    expect(actionForKey('F6', 'open')).toBe('transfer');
    expect(actionForKey('F7', 'open')).toBe('pause');
    expect(actionForKey('F7', 'paused')).toBe('resume');
    expect(actionForKey('F8', 'open')).toBe('close');
    expect(actionForKey('a', 'open')).toBeNull();
  });
});

describe('waitingAt', () => {
  it('lists the counter’s waiting tickets by issue time, with tickets sent to it and none sent elsewhere', () => {
    const tickets = Object.fromEntries(
      [
        ticket({ id: 'b', number: 'A002', issuedAt: '2026-11-30T09:02:00.000+08:00' }),
        ticket({ id: 'a', number: 'A001', issuedAt: '2026-11-30T09:01:00.000+08:00', serviceId: 'gen-b' }),
        ticket({ id: 'c', number: 'C001', serviceId: 're' }),
        ticket({ id: 'd', number: 'C002', serviceId: 're', targetCounterId: 'w1', issuedAt: '2026-11-30T08:59:00.000+08:00' }),
        ticket({ id: 'e', number: 'A003', targetCounterId: 'w2' }),
        ticket({ id: 'f', number: 'A004', status: 'called', counterId: 'w2' }),
      ].map((t) => [t.id, t]),
    );
    expect(waitingAt(tickets, counter({})).map((t) => t.number)).toEqual(['C002', 'A001', 'A002']);
  });
});

describe('transfer search', () => {
  const services = [
    { id: 'gen-a', prefix: 'A', name: '社会救助申请', department: '民政局', category: '综合服务' },
    { id: 'gen-b', prefix: 'A', name: '就业登记', department: '人社局', category: '综合服务' },
    { id: 're', prefix: 'C', name: '不动产登记', department: '不动产登记管理局', category: '不动产登记' },
  ].map((s) => ({
    ...s,
    dailyCap: null,
    hours: [],
    perPersonDailyLimit: null,
    defaultServiceMinutes: 8,
    suspended: false,
    description: null,
  }));
  const counters = [counter({}), counter({ id: 'w2', number: 2, name: '2号综合窗口', clerk: null, state: 'closed' })];
  const options = transferOptions(services, counters, { counterId: 'w1', serviceId: 'gen-a' });

  it('offers every other service and every other counter', () => {
    expect(options.map((o) => `${o.kind}:${o.id}`)).toEqual(['service:gen-b', 'service:re', 'counter:w2']);
  });
  it('finds by name, by pinyin initials and by counter number', () => {
    expect(searchOptions(options, '就业').map((o) => o.id)).toEqual(['gen-b']);
    expect(searchOptions(options, 'jydj').map((o) => o.id)).toEqual(['gen-b']);
    expect(searchOptions(options, 'BDC').map((o) => o.id)).toEqual(['re']);
    expect(searchOptions(options, '2').map((o) => o.id)).toEqual(['w2']);
    expect(searchOptions(options, '  ')).toHaveLength(3);
    expect(searchOptions(options, '没有这个')).toEqual([]);
  });
  it('lists a closed counter after the others, not selectable, with the reason (it would strand the ticket)', () => {
    expect(options.find((o) => o.id === 'w2')).toMatchObject({ unavailable: CLOSED_COUNTER_REASON });
    expect(options.find((o) => o.id === 'w2')?.detail).toContain('未开启');
    const open = counter({ id: 'w3', number: 3, name: '3号综合窗口', clerk: null, state: 'open' });
    const more = transferOptions(services, [...counters, open], { counterId: 'w1', serviceId: 'gen-a' });
    expect(more.filter((o) => o.kind === 'counter').map((o) => o.id)).toEqual(['w3', 'w2']);
    expect(more.find((o) => o.id === 'w3')?.unavailable).toBeUndefined();
  });
});

describe('the day’s tally', () => {
  const at = '2026-11-30T09:10:00.000+08:00';
  const base = { seq: 1, epoch: 'e', at };
  const mine = counter({});
  const other = counter({ id: 'w2', clerk: { id: 'u2', name: '李红', staffNo: null } });
  it('counts what its clerk did, once per ticket, and starts again on a new day', () => {
    let t = emptyTally('2026-11-30');
    const finished = { ...base, type: 'ticket:finished', ticket: ticket({ status: 'done' }), counter: mine } as FactMessage;
    t = tallyFact(t, finished, 'u1', '2026-11-30');
    t = tallyFact(t, finished, 'u1', '2026-11-30');
    t = tallyFact(t, { ...finished, counter: other } as FactMessage, 'u1', '2026-11-30');
    t = tallyFact(t, { ...base, type: 'ticket:no-show', ticket: ticket({ id: 't2' }), counter: mine }, 'u1', '2026-11-30');
    t = tallyFact(
      t,
      {
        ...base,
        type: 'ticket:transferred',
        ticket: ticket({ id: 't3' }),
        counter: mine,
        from: { serviceId: 'gen-a', counterId: 'w1' },
      },
      'u1',
      '2026-11-30',
    );
    t = tallyFact(
      t,
      {
        ...base,
        type: 'evaluation:recorded',
        evaluation: {
          id: 'e1',
          ticketId: 't1',
          counterId: 'w1',
          clerkId: 'u1',
          level: 'dissatisfied',
          reasons: ['效率低'],
          comment: null,
          createdAt: at,
        },
      },
      'u1',
      '2026-11-30',
    );
    expect([t.served, t.noShow, t.transferred]).toEqual([['t1'], ['t2'], ['t3']]);
    expect(satisfaction(t.ratings)).toBe(0);
    expect(parseTally(JSON.stringify(t), '2026-11-30')).toEqual(t);
    expect(parseTally(JSON.stringify(t), '2026-12-01')).toEqual(emptyTally('2026-12-01'));
    expect(tallyFact(t, { ...base, type: 'day:changed', businessDay: '2026-12-01' }, 'u1', '2026-12-01').served).toEqual([]);
  });
  it('reads a broken store as empty', () => {
    expect(parseTally('{not json', '2026-11-30')).toEqual(emptyTally('2026-11-30'));
    expect(satisfaction({})).toBeNull();
    expect(satisfaction({ a: 'satisfied', b: 'very_dissatisfied', c: 'basic', d: 'very_satisfied' })).toBe(75);
  });
});

describe('durations', () => {
  it('reads as a clerk says them', () => {
    expect(formatWait(45_000)).toBe('45 秒');
    expect(formatWait(12 * 60_000 + 5000)).toBe('12 分钟');
    expect(formatWait(65 * 60_000)).toBe('1 小时 5 分');
    expect(formatWait(-5000)).toBe('0 秒');
    expect(formatElapsed(125_000)).toBe('2:05');
    expect(formatElapsed(3_725_000)).toBe('1:02:05');
  });
});
