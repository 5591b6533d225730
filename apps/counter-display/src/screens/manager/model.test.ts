import type { Counter, Device, DevicePresence, Evaluation, HallView, Service, TicketView } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import {
  alerts,
  counterRows,
  DEFAULT_QUEUE_SORT,
  evaluationSummary,
  formatTimer,
  formatWait,
  idleSeconds,
  mergeEvaluations,
  nextSort,
  noteCounterActivity,
  offlineDevices,
  queueRows,
  serverOffset,
  shortCounterName,
  sortQueueRows,
  timeOfDay,
} from './model.js';

const T0 = Date.parse('2026-11-30T09:00:00+08:00');
const iso = (ms: number) => new Date(ms).toISOString();
const min = 60_000;

const service = (id: string, prefix: string, name: string): Service => ({
  id,
  prefix,
  name,
  department: '民政局',
  category: '综合服务',
  dailyCap: null,
  hours: [],
  perPersonDailyLimit: null,
  defaultServiceMinutes: 8,
  suspended: false,
  description: null,
});

const counter = (id: string, number: number, serviceIds: string[], patch: Partial<Counter> = {}): Counter => ({
  id,
  number,
  name: `${number}号窗口`,
  kind: 'comprehensive',
  serviceIds,
  policy: 'effective-time',
  state: 'open',
  currentTicketId: null,
  clerk: null,
  stateSince: iso(T0),
  ...patch,
});

const ticket = (id: string, number: string, serviceId: string, patch: Partial<TicketView> = {}): TicketView => ({
  id,
  number,
  serviceId,
  status: 'waiting',
  priority: 'none',
  businessDay: '2026-11-30',
  issuedAt: iso(T0),
  calledAt: null,
  startedAt: null,
  finishedAt: null,
  counterId: null,
  targetCounterId: null,
  recallCount: 0,
  transferCount: 0,
  ...patch,
});

function hallView(patch: Partial<HallView>): HallView {
  return {
    epoch: 'e1',
    seq: 1,
    serverTime: iso(T0),
    hall: {
      name: '测试县政务服务中心',
      timezone: 'Asia/Shanghai',
      notice: '',
      businessDay: '2026-11-30',
      ticketFooter: '',
      voiceTemplate: '请{number}号到{counter}号窗口办理',
    },
    services: [service('a', 'A', '社会救助'), service('c', 'C', '不动产登记')],
    counters: [counter('w1', 1, ['a']), counter('w5', 5, ['c'])],
    tickets: {},
    queues: {},
    recentCalls: [],
    evaluations: [],
    devices: {},
    today: {},
    ...patch,
  };
}

const evaluation = (id: string, level: Evaluation['level'], at: number): Evaluation => ({
  id,
  ticketId: `t-${id}`,
  counterId: 'w1',
  clerkId: null,
  level,
  reasons: [],
  comment: null,
  createdAt: iso(at),
});

describe('queue rows', () => {
  const view = hallView({
    tickets: {
      t1: ticket('t1', 'A001', 'a', { issuedAt: iso(T0 - 40 * min) }),
      t2: ticket('t2', 'A002', 'a', { issuedAt: iso(T0 - 5 * min) }),
      t3: ticket('t3', 'C001', 'c', { issuedAt: iso(T0 - 50 * min), status: 'called', counterId: 'w5' }),
    },
    queues: {
      a: { serviceId: 'a', waiting: 2, oldestWaitSeconds: 100, estimatedWaitMinutes: 12 },
      c: { serviceId: 'c', waiting: 0, oldestWaitSeconds: null, estimatedWaitMinutes: 25 },
    },
  });

  it('counts the oldest wait live from the waiting tickets, not from called ones', () => {
    const rows = queueRows(view, T0);
    const a = rows.find((r) => r.service.id === 'a');
    const c = rows.find((r) => r.service.id === 'c');
    expect(a).toMatchObject({ waiting: 2, oldestWaitSeconds: 40 * 60, estimatedWaitMinutes: 12, openCounters: 1 });
    expect(c).toMatchObject({ waiting: 0, oldestWaitSeconds: null, estimatedWaitMinutes: null });
  });

  it('falls back to the server figure when the tickets are not in the view', () => {
    const rows = queueRows({ ...view, tickets: {} }, T0);
    expect(rows.find((r) => r.service.id === 'a')?.oldestWaitSeconds).toBe(100);
  });

  it('sorts the longest waits first by default, nobody waiting last, and toggles on a second click', () => {
    const rows = queueRows(view, T0);
    expect(sortQueueRows(rows, DEFAULT_QUEUE_SORT).map((r) => r.service.id)).toEqual(['a', 'c']);
    expect(sortQueueRows(rows, { key: 'oldest', dir: 'asc' }).map((r) => r.service.id)).toEqual(['a', 'c']);
    expect(sortQueueRows(rows, { key: 'name', dir: 'desc' }).map((r) => r.service.id)).toEqual(['c', 'a']);
    expect(nextSort(DEFAULT_QUEUE_SORT, 'oldest')).toEqual({ key: 'oldest', dir: 'asc' });
    expect(nextSort(DEFAULT_QUEUE_SORT, 'name')).toEqual({ key: 'name', dir: 'asc' });
    expect(nextSort(DEFAULT_QUEUE_SORT, 'waiting')).toEqual({ key: 'waiting', dir: 'desc' });
  });
});

describe('counter rows', () => {
  it('tells called from serving, and times each from its own moment', () => {
    const view = hallView({
      counters: [
        counter('w1', 1, ['a'], { currentTicketId: 't1' }),
        counter('w2', 2, ['a'], { currentTicketId: 't2' }),
        counter('w5', 5, ['c'], { state: 'paused', stateSince: iso(T0 - 20 * min) }),
        counter('w9', 9, ['c'], { state: 'closed' }),
      ],
      tickets: {
        t1: ticket('t1', 'A001', 'a', { status: 'called', calledAt: iso(T0 - 30_000), counterId: 'w1' }),
        t2: ticket('t2', 'A002', 'a', {
          status: 'serving',
          calledAt: iso(T0 - 10 * min),
          startedAt: iso(T0 - 8 * min),
          counterId: 'w2',
        }),
      },
    });
    const rows = counterRows(view, T0);
    expect(rows.map((r) => [r.counter.id, r.activity, r.ticket?.number ?? null, r.ticketSeconds])).toEqual([
      ['w1', 'called', 'A001', 30],
      ['w2', 'serving', 'A002', 8 * 60],
      ['w5', 'paused', null, null],
      ['w9', 'closed', null, null],
    ]);
    expect(rows[2]?.stateSeconds).toBe(20 * 60);
  });
});

describe('idle counters', () => {
  const view = hallView({ counters: [counter('w1', 1, ['a'], { stateSince: iso(T0 - 60 * min) })] });
  const row = counterRows(view, T0)[0];
  if (!row) throw new Error('no row');

  it('counts idleness only from what was seen: the snapshot, then the last ticket activity', () => {
    expect(idleSeconds(row, T0 - 5 * min, {}, T0)).toBe(5 * 60);
    const last = noteCounterActivity({}, { type: 'ticket:finished', at: iso(T0 - 2 * min), counter: { id: 'w1' } });
    expect(idleSeconds(row, T0 - 5 * min, last, T0)).toBe(2 * 60);
    // facts that are not a counter's ticket activity change nothing
    expect(noteCounterActivity({}, { type: 'counter:paused', at: iso(T0), counter: { id: 'w1' } })).toEqual({});
  });

  it('a busy counter is not idle', () => {
    const busy = counterRows(hallView({ counters: [counter('w1', 1, ['a'], { currentTicketId: 'x' })] }), T0)[0];
    if (!busy) throw new Error('no row');
    expect(idleSeconds(busy, T0 - 60 * min, {}, T0)).toBeNull();
  });
});

describe('alerts', () => {
  it('flags a long wait, a long pause, a service without an open counter and a counter idle while people wait', () => {
    const view = hallView({
      counters: [
        counter('w1', 1, ['a'], { stateSince: iso(T0 - 60 * min) }),
        counter('w5', 5, ['c'], { state: 'paused', stateSince: iso(T0 - 16 * min) }),
      ],
      tickets: {
        t1: ticket('t1', 'A001', 'a', { issuedAt: iso(T0 - 31 * min) }),
        t2: ticket('t2', 'C001', 'c', { issuedAt: iso(T0 - 3 * min) }),
      },
      queues: {
        a: { serviceId: 'a', waiting: 1, oldestWaitSeconds: 0, estimatedWaitMinutes: 5 },
        c: { serviceId: 'c', waiting: 1, oldestWaitSeconds: 0, estimatedWaitMinutes: 25 },
      },
    });
    const queues = queueRows(view, T0);
    const counters = counterRows(view, T0);
    const found = alerts(queues, counters, (r) => idleSeconds(r, T0 - 11 * min, {}, T0));
    expect(found.map((a) => a.id).sort()).toEqual(
      ['idle-with-queue:w1', 'long-pause:w5', 'long-wait:a', 'no-open-counter:c'].sort(),
    );
    expect(found.find((a) => a.id === 'long-wait:a')?.text).toBe('社会救助（A）最长已等候 31 分钟，1 人在等');
    // red ones first
    expect(found.slice(0, 2).every((a) => a.severity === 'red')).toBe(true);
  });

  it('says nothing when all is well', () => {
    const view = hallView({
      queues: { a: { serviceId: 'a', waiting: 0, oldestWaitSeconds: null, estimatedWaitMinutes: 0 } },
    });
    expect(alerts(queueRows(view, T0), counterRows(view, T0), () => 60 * 60)).toEqual([]);
  });
});

describe('devices offline', () => {
  const presence = (deviceId: string, online: boolean, since: number): DevicePresence => ({
    deviceId,
    kind: 'evaluation-pad',
    name: `pad ${deviceId}`,
    counterId: 'w1',
    online,
    revoked: false,
    since: iso(since),
  });
  const device = (id: string, revoked: boolean): Device => ({
    id,
    kind: 'evaluation-pad',
    name: `pad ${id}`,
    counterId: 'w1',
    createdAt: iso(T0 - 60 * min),
    revokedAt: revoked ? iso(T0) : null,
  });
  const view = {
    d1: presence('d1', false, T0 - 10 * min),
    d2: presence('d2', true, T0),
    d3: presence('d3', false, T0 - 9 * min),
  };

  it('lists offline devices, counted at least from when this view began watching, minus revoked ones', () => {
    expect(offlineDevices(view, null, T0 - 5 * min, T0).map((o) => [o.device.deviceId, o.seconds])).toEqual([
      ['d1', 5 * 60],
      ['d3', 5 * 60],
    ]);
    expect(offlineDevices(view, [device('d3', true)], T0 - 60 * min, T0).map((o) => [o.device.deviceId, o.seconds])).toEqual([
      ['d1', 10 * 60],
    ]);
  });

  it('alerts only after a couple of minutes (a restart or a reconnect is not an outage)', () => {
    const v = hallView({});
    const offline = offlineDevices(view, null, T0 - 60 * min, T0);
    const found = alerts(queueRows(v, T0), counterRows(v, T0), () => null, offline);
    expect(found.map((a) => a.text)).toEqual([
      '评价器“pad d1”（1号窗口）已离线 10 分钟',
      '评价器“pad d3”（1号窗口）已离线 9 分钟',
    ]);
    const brief = offlineDevices({ d9: presence('d9', false, T0 - 30_000) }, null, 0, T0);
    expect(alerts(queueRows(v, T0), counterRows(v, T0), () => null, brief)).toEqual([]);
  });
});

describe('evaluations', () => {
  it('keeps every evaluation seen, newest first, once each', () => {
    const a = evaluation('1', 'satisfied', T0);
    const b = evaluation('2', 'very_dissatisfied', T0 + min);
    const c = evaluation('3', 'basic', T0 + 2 * min);
    // a snapshot empties the view's list: what was seen stays
    expect(mergeEvaluations([b, a], []).map((e) => e.id)).toEqual(['2', '1']);
    expect(mergeEvaluations([b, a], [c, b]).map((e) => e.id)).toEqual(['3', '2', '1']);
    expect(mergeEvaluations([b, a], [c], 2).map((e) => e.id)).toEqual(['3', '2']);
  });

  it('sums up: good, low, the share of good ones', () => {
    expect(evaluationSummary([])).toEqual({ total: 0, good: 0, low: 0, goodPercent: null });
    const list = [evaluation('1', 'very_satisfied', T0), evaluation('2', 'dissatisfied', T0), evaluation('3', 'basic', T0)];
    expect(evaluationSummary(list)).toEqual({ total: 3, good: 2, low: 1, goodPercent: 67 });
  });
});

describe('words and clocks', () => {
  it('reads waits and timers', () => {
    expect(formatWait(null)).toBe('—');
    expect(formatWait(59)).toBe('不到 1 分钟');
    expect(formatWait(12 * 60 + 30)).toBe('12 分钟');
    expect(formatWait(65 * 60)).toBe('1 小时 05 分');
    expect(formatTimer(247)).toBe('04:07');
    expect(formatTimer(3729)).toBe('1:02:09');
    expect(formatTimer(null)).toBe('—');
  });

  it('shows the hall time of day, whatever the browser zone', () => {
    expect(timeOfDay(T0 + 5 * min + 7000)).toBe('09:05');
    expect(timeOfDay(T0 + 5 * min + 7000, true)).toBe('09:05:07');
  });

  it('drops the number from a counter name shown beside its number', () => {
    expect(shortCounterName(1, '1号综合窗口')).toBe('综合窗口');
    expect(shortCounterName(12, '12号')).toBe('12号');
    expect(shortCounterName(2, '咨询服务窗口')).toBe('咨询服务窗口');
  });

  it('reads the server clock offset from a server time', () => {
    expect(serverOffset(iso(T0), T0 - 1000)).toBe(1000);
    expect(serverOffset('not a time', T0)).toBe(0);
  });
});
