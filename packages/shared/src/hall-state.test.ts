import { describe, expect, it } from 'vitest';
import { applyFact, applyPresence, viewFromSnapshot } from './hall-state.js';
import type { DevicePresence, FactMessage, Snapshot } from './protocol.js';
import type { Counter, TicketView } from './schemas.js';

const ticket = (id: string, status: TicketView['status'], extra: Partial<TicketView> = {}): TicketView => ({
  id,
  number: `A00${id}`,
  serviceId: 'gen-a',
  status,
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
  ...extra,
});
const counter = (patch: Partial<Counter> = {}): Counter => ({
  id: 'w1',
  number: 1,
  name: '1号窗口',
  kind: 'comprehensive',
  serviceIds: ['gen-a'],
  policy: 'effective-time',
  state: 'open',
  currentTicketId: null,
  clerk: null,
  stateSince: '2026-11-30T08:30:00.000+08:00',
  ...patch,
});
const snapshot: Snapshot = {
  protocolVersion: 1,
  epoch: 'e1',
  seq: 10,
  serverTime: '2026-11-30T09:00:00.000+08:00',
  audience: { type: 'device', id: 'd1', kind: 'hall-display', counterId: null },
  hall: {
    name: '测试中心',
    timezone: 'Asia/Shanghai',
    notice: '',
    businessDay: '2026-11-30',
    ticketFooter: '',
    voiceTemplate: '请{number}号到{counter}号窗口办理',
    elderlyAge: 60,
  },
  services: [],
  counters: [counter()],
  tickets: [ticket('1', 'waiting')],
  queues: [{ serviceId: 'gen-a', waiting: 1, oldestWaitSeconds: 0, estimatedWaitMinutes: 8, peopleAhead: 1 }],
  recentCalls: [],
  today: [{ counterId: 'w1', served: 4, noShows: 1 }],
  devices: [
    {
      deviceId: 'd1',
      kind: 'hall-display',
      name: '大厅屏',
      counterId: null,
      online: true,
      revoked: false,
      since: '2026-11-30T08:00:00.000+08:00',
      faults: [],
    },
  ],
};
let seq = 10;
const fact = (f: Record<string, unknown>) =>
  ({ ...f, seq: ++seq, epoch: 'e1', at: '2026-11-30T09:05:00.000+08:00' }) as FactMessage;

describe('the screens’ hall view', () => {
  it('S1 S2 a snapshot then facts: issued, called (with the recent call), finished (gone), queue and notice', () => {
    let v = viewFromSnapshot(snapshot);
    expect(Object.keys(v.tickets)).toEqual(['1']);
    v = applyFact(v, fact({ type: 'ticket:issued', ticket: ticket('2', 'waiting') }));
    expect(Object.keys(v.tickets).sort()).toEqual(['1', '2']);
    const called = ticket('1', 'called', { counterId: 'w1', calledAt: '2026-11-30T09:05:00.000+08:00' });
    const call = {
      ticketId: '1',
      number: 'A001',
      serviceId: 'gen-a',
      counterId: 'w1',
      counterNumber: 1,
      at: called.calledAt as string,
      recall: false,
    };
    v = applyFact(v, fact({ type: 'ticket:called', ticket: called, counter: counter({ currentTicketId: '1' }), call }));
    expect(v.recentCalls[0]).toEqual(call);
    expect(v.counters[0]?.currentTicketId).toBe('1');
    v = applyFact(v, fact({ type: 'ticket:finished', ticket: ticket('1', 'done', { counterId: 'w1' }), counter: counter() }));
    expect(v.tickets['1']).toBeUndefined();
    expect(v.today.w1).toEqual({ counterId: 'w1', served: 5, noShows: 1 });
    v = applyFact(
      v,
      fact({
        type: 'queue:updated',
        queues: [{ serviceId: 'gen-a', waiting: 1, oldestWaitSeconds: 300, estimatedWaitMinutes: 4, peopleAhead: 1 }],
      }),
    );
    expect(v.queues['gen-a']?.oldestWaitSeconds).toBe(300);
    v = applyFact(v, fact({ type: 'hall:notice-changed', notice: '今日下午停电检修' }));
    expect(v.hall.notice).toBe('今日下午停电检修');
    const d1 = snapshot.devices[0] as DevicePresence;
    v = applyPresence(v, { ...d1, online: false });
    expect(v.devices.d1?.online).toBe(false);
    v = applyPresence(v, { ...d1, online: false, revoked: true });
    expect(v.devices).toEqual({});
    expect(v.seq).toBe(seq); // presence is no numbered fact
  });

  it('N4 a new day drops yesterday’s tickets and recent calls; the snapshot itself is never changed', () => {
    const before = JSON.stringify(snapshot);
    let v = viewFromSnapshot(snapshot);
    v = applyFact(v, fact({ type: 'day:changed', businessDay: '2026-12-01' }));
    expect(v.tickets).toEqual({});
    expect(v.today).toEqual({});
    expect(v.hall.businessDay).toBe('2026-12-01');
    expect(JSON.stringify(snapshot)).toBe(before);
  });
});
