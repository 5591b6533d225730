import type { Service } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import { AGENT_ERRORS } from '../contract.js';
import { adoptFromAddress, type StorageLike, stored } from './address.js';
import { canIssue, isRetryable } from './agent.js';
import { categorize, glyphOf, pages } from './catalog.js';
import {
  aheadText,
  clockParts,
  minutesOfDay,
  newRequestId,
  noticeParts,
  queueOf,
  sentences,
  spokenNumber,
  unavailableReason,
  waitText,
} from './format.js';

const service = (over: Partial<Service>): Service => ({
  id: 's',
  prefix: 'A',
  name: '社保卡申领',
  department: '人社局',
  category: '综合服务',
  dailyCap: null,
  hours: [],
  perPersonDailyLimit: null,
  defaultServiceMinutes: 8,
  suspended: false,
  description: null,
  ...over,
});

describe('format', () => {
  it('says the wait in words', () => {
    expect(waitText(12, 3)).toBe('约 12 分钟');
    expect(waitText(null, 3)).toBe('暂无估计');
    // Nobody ahead but every window busy: the minutes, as the printed ticket says them.
    expect(waitText(30, 0)).toBe('约 30 分钟');
    expect(waitText(0, 0)).toBe('无需等候');
    expect(waitText(0, 2)).toBe('约 1 分钟');
    expect(waitText(185, 20)).toBe('约 3 小时 5 分钟');
    expect(waitText(null, null)).toBe('暂无估计');
  });

  it("promises the people ahead of a new ticket (peopleAhead), not the service's own waiting count", () => {
    const queues = {
      a: { serviceId: 'a', waiting: 4, oldestWaitSeconds: 60, estimatedWaitMinutes: 10, peopleAhead: 6 },
      b: { serviceId: 'b', waiting: 0, oldestWaitSeconds: null, estimatedWaitMinutes: null, peopleAhead: null },
    };
    expect(queueOf(queues, 'a')).toEqual({ waiting: 4, ahead: 6, minutes: 10 });
    // no counter may call it: nobody can tell
    expect(queueOf(queues, 'b')).toEqual({ waiting: 0, ahead: null, minutes: null });
    expect(aheadText(queueOf(queues, 'b').ahead)).toBe('—');
    // no queue yet: nobody ahead
    expect(queueOf(queues, 'c')).toEqual({ waiting: 0, ahead: 0, minutes: null });
    // the wait follows the people ahead: none of the service's own waiting, but 6 ahead, is no "无需等候"
    expect(waitText(10, queueOf(queues, 'a').ahead)).toBe('约 10 分钟');
  });

  it('says 暂停取号 once: the headline of a stop message, then the rest', () => {
    expect(noticeParts(AGENT_ERRORS.PRINTER_PAPER_OUT)).toEqual({
      head: '打印纸已用完，暂停取号',
      rest: '请联系工作人员或到咨询台取号。',
    });
    expect(noticeParts('打印机故障')).toEqual({ head: '暂停取号', rest: '打印机故障' });
    expect(sentences(AGENT_ERRORS.PRINTER_PAPER_OUT)).toEqual(['打印纸已用完，暂停取号。', '请联系工作人员或到咨询台取号。']);
    expect(sentences(AGENT_ERRORS.PRINTER_PAPER_OUT).join('')).toBe(AGENT_ERRORS.PRINTER_PAPER_OUT);
  });

  it('reads ticket numbers digit by digit', () => {
    expect(spokenNumber('A001')).toBe('A零零一');
    expect(spokenNumber('BC1000')).toBe('BC一零零零');
  });

  it('tells the time in Asia/Shanghai', () => {
    const ms = Date.parse('2026-11-30T01:05:00Z');
    expect(clockParts(ms).time).toBe('09:05');
    expect(clockParts(ms).date).toContain('11月30日');
    expect(minutesOfDay(ms)).toBe(9 * 60 + 5);
  });

  it('greys out suspended services and services outside their own hours', () => {
    const nine = Date.parse('2026-11-30T09:00:00+08:00');
    expect(unavailableReason(service({}), nine)).toBeNull();
    expect(unavailableReason(service({ suspended: true }), nine)).toBe('暂停办理');
    expect(unavailableReason(service({ hours: [{ from: '08:30', to: '11:30' }] }), nine)).toBeNull();
    expect(unavailableReason(service({ hours: [{ from: '14:00', to: '17:00' }] }), nine)).toBe('取号时间 14:00-17:00');
  });

  it('makes a v4 uuid without crypto.randomUUID (plain http on the hall LAN is no secure context)', () => {
    const id = newRequestId({ getRandomValues: crypto.getRandomValues.bind(crypto) });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newRequestId()).not.toBe(newRequestId());
  });
});

describe('catalog', () => {
  it('puts services in their categories by name or id, adds categories for the others, drops empty ones', () => {
    const services = [
      service({ id: 'a', category: '综合服务' }),
      service({ id: 'b', category: 'estate' }),
      service({ id: 'c', category: '交通运输' }),
    ];
    const cats = categorize(
      services,
      [
        { id: 'general', name: '综合服务', icon: null },
        { id: 'estate', name: '不动产登记', icon: '房' },
        { id: 'fire', name: '公安消防', icon: null },
      ],
      { a: { serviceId: 'a', waiting: 4, oldestWaitSeconds: 60, estimatedWaitMinutes: 10, peopleAhead: 6 } },
    );
    expect(cats.map((c) => [c.name, c.services.map((s) => s.id), c.waiting, c.glyph])).toEqual([
      ['综合服务', ['a'], 4, '综'],
      ['不动产登记', ['b'], 0, '房'],
      ['交通运输', ['c'], 0, '交'],
    ]);
  });

  it('uses a short icon text as the glyph, not an icon name', () => {
    expect(glyphOf('公安消防', 'fire-extinguisher')).toBe('公');
    expect(glyphOf('公安消防', '消')).toBe('消');
    expect(pages([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(pages([], 2)).toEqual([[]]);
  });
});

describe('address and agent rules', () => {
  const memory = (): StorageLike & { data: Map<string, string> } => {
    const data = new Map<string, string>();
    return {
      data,
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => void data.set(k, v),
      removeItem: (k) => void data.delete(k),
    };
  };

  it('stores ?token, ?agent and ?agentKey and drops them from the address; keeps the rest', () => {
    const s = memory();
    const left = adoptFromAddress('http://hall/kiosk?token=t1&agent=http%3A%2F%2F127.0.0.1%3A7070&agentKey=k&idleSeconds=3#x', s);
    expect(left).toBe('/kiosk?idleSeconds=3#x');
    expect(stored(s, 'token')).toBe('t1');
    expect(stored(s, 'agent')).toBe('http://127.0.0.1:7070');
    expect(stored(s, 'agentKey')).toBe('k');
    expect(adoptFromAddress('http://hall/kiosk', s)).toBeNull();
    expect(adoptFromAddress('http://hall/kiosk?agent=', s)).toBe('/kiosk');
    expect(stored(s, 'agent')).toBeNull();
  });

  it('issues with a printer ready or nearly out of paper, or without a printer; retries network errors only', () => {
    expect(canIssue('ready')).toBe(true);
    expect(canIssue('paper-near-end')).toBe(true);
    expect(canIssue('absent')).toBe(true);
    for (const s of ['paper-out', 'cover-open', 'offline', 'error'] as const) expect(canIssue(s)).toBe(false);
    expect(isRetryable('SERVER_UNREACHABLE')).toBe(true);
    expect(isRetryable('DAILY_CAP_REACHED')).toBe(false);
    expect(isRetryable('PERSON_LIMIT_REACHED')).toBe(false);
  });
});
