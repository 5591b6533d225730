import type { Counter, Device, DeviceFault, DevicePresence, Evaluation, HallView, Service, TicketView } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import {
  alerts,
  counterRows,
  currentFaults,
  DEFAULT_QUEUE_SORT,
  evaluationSummary,
  formatTimer,
  formatWait,
  idleSeconds,
  mergeEvaluations,
  nextSort,
  noteCounterActivity,
  offlineDevices,
  parsePrinted,
  printedNumber,
  printedTrouble,
  queueRows,
  serverOffset,
  shortCounterName,
  sinceLabel,
  sortFaults,
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
      elderlyAge: 60,
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
      a: { serviceId: 'a', waiting: 2, oldestWaitSeconds: 100, estimatedWaitMinutes: 12, peopleAhead: 2 },
      c: { serviceId: 'c', waiting: 0, oldestWaitSeconds: null, estimatedWaitMinutes: 25, peopleAhead: 0 },
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
        a: { serviceId: 'a', waiting: 1, oldestWaitSeconds: 0, estimatedWaitMinutes: 5, peopleAhead: 1 },
        c: { serviceId: 'c', waiting: 1, oldestWaitSeconds: 0, estimatedWaitMinutes: 25, peopleAhead: 1 },
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
      queues: { a: { serviceId: 'a', waiting: 0, oldestWaitSeconds: null, estimatedWaitMinutes: 0, peopleAhead: 0 } },
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
    faults: [],
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

describe('device faults', () => {
  const fault = (component: DeviceFault['component'], code: DeviceFault['code'], at: number, detail: string | null = null) => ({
    component,
    code,
    detail,
    since: iso(at),
  });
  const kiosk = (deviceId: string, name: string, faults: DeviceFault[], online = true): DevicePresence => ({
    deviceId,
    kind: 'kiosk',
    name,
    counterId: null,
    online,
    revoked: false,
    since: iso(T0 - 60 * min),
    faults,
  });
  const presence = {
    k1: kiosk('k1', '一楼东取号机', [fault('printer', 'PAPER_NEAR_END', T0 - 30 * min)]),
    k2: kiosk('k2', '一楼西取号机', [
      fault('card-reader', 'READER_ERROR', T0 - 5 * min, '读卡超时'),
      fault('printer', 'PAPER_OUT', T0 - 10 * min),
    ]),
    k3: kiosk('k3', '二楼取号机', [fault('printer', 'COVER_OPEN', T0 - 20 * min)], false),
    k4: kiosk('k4', '三楼取号机', []),
  };

  it('lists every current fault: red before amber, then the oldest first; an amber one even when older', () => {
    expect(currentFaults(presence, null).map((f) => [f.device.deviceId, f.fault.code, f.severity])).toEqual([
      ['k3', 'COVER_OPEN', 'red'],
      ['k2', 'PAPER_OUT', 'red'],
      ['k2', 'READER_ERROR', 'red'],
      ['k1', 'PAPER_NEAR_END', 'amber'],
    ]);
  });

  it('leaves out a device revoked since the snapshot, and one without faults', () => {
    const known: Device[] = [
      { id: 'k3', kind: 'kiosk', name: '二楼取号机', counterId: null, createdAt: iso(T0), revokedAt: iso(T0) },
    ];
    expect(currentFaults(presence, known).map((f) => f.device.deviceId)).toEqual(['k2', 'k2', 'k1']);
    expect(currentFaults({ k4: presence.k4 }, null)).toEqual([]);
  });

  it("sorts one device's faults the same way", () => {
    const k2 = presence.k2.faults;
    expect(sortFaults([...presence.k1.faults, ...k2]).map((f) => f.code)).toEqual([
      'PAPER_OUT',
      'READER_ERROR',
      'PAPER_NEAR_END',
    ]);
  });

  it('alerts each fault as "name：label · 自 HH:MM", the detail apart, red ones before amber ones', () => {
    const v = hallView({});
    const found = alerts(queueRows(v, T0), counterRows(v, T0), () => null, [], currentFaults(presence, null), T0);
    expect(found.map((a) => [a.kind, a.severity, a.text, a.detail ?? null])).toEqual([
      ['device-fault', 'red', '二楼取号机：打印机盖未关 · 自 08:40', null],
      ['device-fault', 'red', '一楼西取号机：打印机缺纸 · 自 08:50', null],
      ['device-fault', 'red', '一楼西取号机：身份证读卡器故障 · 自 08:55', '读卡超时'],
      ['device-fault', 'amber', '一楼东取号机：打印纸将尽 · 自 08:30', null],
    ]);
    expect(new Set(found.map((a) => a.id)).size).toBe(4);
    // a fault reported gone is gone from the alerts
    const fixed = { ...presence, k2: { ...presence.k2, faults: [] }, k3: { ...presence.k3, faults: [] } };
    expect(alerts([], [], () => null, [], currentFaults(fixed, null), T0).map((a) => a.code)).toEqual(['PAPER_NEAR_END']);
  });

  it('says the day of a fault from an earlier day', () => {
    expect(sinceLabel(T0 - 5 * min, T0)).toBe('自 08:55');
    expect(sinceLabel(T0 - 16 * 60 * min, T0)).toBe('自 11-29 17:00');
    expect(sinceLabel(Number.NaN, T0)).toBe('');
  });
});

describe('the demo printer record', () => {
  const entry = (n: number, patch: Record<string, unknown> = {}) => ({
    file: `${String(n).padStart(4, '0')}-0901${String(n).padStart(2, '0')}.png`,
    receivedAt: iso(T0 + n * 1000),
    complete: true,
    printed: true,
    lines: ['测试县政务服务中心', '社会救助申请', `A${String(n).padStart(3, '0')}`, '前面还有 1 人'],
    ...patch,
  });

  it('reads the record loosely, newest first as given, the first few only', () => {
    const list = Array.from({ length: 12 }, (_, i) => entry(12 - i));
    expect(parsePrinted(list).map((t) => t.file)).toHaveLength(8);
    expect(parsePrinted(list)[0]?.file).toBe('0012-090112.png');
    expect(parsePrinted([])).toEqual([]);
    expect(parsePrinted(null)).toEqual([]);
    expect(parsePrinted({ error: 'x' })).toEqual([]);
    // no usable file name: left out (the name goes into a URL)
    expect(parsePrinted([entry(1, { file: '../secret' }), entry(2, { file: 3 }), 'x', entry(3)]).map((t) => t.file)).toEqual([
      '0003-090103.png',
    ]);
    expect(parsePrinted([{ file: '0001-090000.png' }])).toEqual([
      { file: '0001-090000.png', receivedAt: '', complete: true, printed: true, lines: [] },
    ]);
  });

  it('finds the ticket number among the lines and says what went wrong', () => {
    expect(printedNumber(entry(7).lines)).toBe('A007');
    expect(printedNumber(['测试县政务服务中心', '  CB012 '])).toBe('CB012');
    expect(printedNumber(['打印测试页'])).toBeNull();
    const [ok, cut, unprinted] = parsePrinted([
      entry(1),
      entry(2, { complete: false, printed: false }),
      entry(3, { printed: false }),
    ]);
    expect([ok, cut, unprinted].map((t) => (t ? printedTrouble(t) : 'missing'))).toEqual([
      null,
      '打印中断',
      '未出票（打印机故障）',
    ]);
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
