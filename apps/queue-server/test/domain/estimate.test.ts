import type { Priority } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import { counterMinutes, decidingCounters, estimateWait, meanServiceMinutes, queueSummary } from '../../src/domain/estimate.js';
import type { TicketRecord } from '../../src/domain/model.js';
import { MIN, World, withCounter, withSettings } from './harness.js';

const est = (w: World, t: TicketRecord) => estimateWait(w.hall, w.state, w.ticket(t.id), w.history);
const deciding = (w: World, t: TicketRecord) => decidingCounters(w.hall, w.state, w.ticket(t.id)).map((c) => c.id);

/** gen-a (8 min by default) tickets A001…A00n issued a minute apart from 09:00. */
function genA(n: number, w = new World()) {
  const tickets = Array.from({ length: n }, (_, i) => {
    if (i > 0) w.advance(1);
    return w.take('gen-a');
  });
  return { w, tickets };
}

describe('W1 deciding counters', () => {
  it('W1 those that may call the ticket and are not closed', () => {
    const { w, tickets } = genA(1);
    w.open('w1');
    w.open('w3');
    w.pause('w3');
    expect(deciding(w, tickets[0] as TicketRecord)).toEqual(['w1', 'w3']);
  });

  it('W1 all of them when every one is closed', () => {
    const { w, tickets } = genA(1);
    w.open('w4'); // open, but it does not serve gen-a
    expect(deciding(w, tickets[0] as TicketRecord)).toEqual(['w1', 'w2', 'w3']);
  });

  it('W1 for a ticket transferred to one counter: that counter only, even closed', () => {
    const { w } = genA(1);
    w.open('w1');
    w.call('w1');
    const moved = w.ok(w.transfer('w1', { counterId: 'w2' }));
    expect(deciding(w, moved)).toEqual(['w2']);
  });
});

describe('W4 estimated wait', () => {
  it('W4 3 waiting of an 8-min service, 2 open counters: the 4th ticket waits round(3·8/2) = 12 min', () => {
    const { w, tickets } = genA(4);
    w.open('w1');
    w.open('w2');
    expect(est(w, tickets[3] as TicketRecord)).toEqual({ peopleAhead: 3, minutes: 12 });
    expect(est(w, tickets[0] as TicketRecord)).toEqual({ peopleAhead: 0, minutes: 0 });
    expect(est(w, tickets[1] as TicketRecord)).toEqual({ peopleAhead: 1, minutes: 4 });
  });

  it('W4 one open counter: 3·8/1 = 24; the closed ones do not share the work', () => {
    const { w, tickets } = genA(4);
    w.open('w1');
    expect(est(w, tickets[3] as TicketRecord)).toEqual({ peopleAhead: 3, minutes: 24 });
  });

  it('W4 a paused deciding counter does not share the work while another is open: 3·8/1 = 24', () => {
    const { w, tickets } = genA(4);
    w.open('w1');
    w.open('w2');
    w.pause('w2');
    expect(est(w, tickets[3] as TicketRecord)).toEqual({ peopleAhead: 3, minutes: 24 });
  });

  it('W4 before the hall opens (all closed): (3 ahead + itself) shared among all 3 counters serving gen-a, 4·8/3 = 10.7 → 11', () => {
    const { w, tickets } = genA(4);
    // No deciding counter open: W4's fallback, nobody idle, so the ticket's own service counts too.
    expect(est(w, tickets[3] as TicketRecord)).toEqual({ peopleAhead: 3, minutes: 11 });
  });

  it('W4 only paused counters left: shared among them, (3 + 1)·8/1 = 32', () => {
    const { w, tickets } = genA(4);
    w.open('w2');
    w.pause('w2');
    expect(est(w, tickets[3] as TicketRecord)).toEqual({ peopleAhead: 3, minutes: 32 });
  });

  it('W4 each person ahead counts with their own service: gen-a 8 + gen-b 10 over 2 counters = 9', () => {
    const w = new World();
    w.take('gen-a');
    w.take('gen-b');
    const t = w.take('gen-a');
    w.open('w1');
    w.open('w2');
    expect(est(w, t)).toEqual({ peopleAhead: 2, minutes: 9 });
  });

  it('W4 rounds to whole minutes: 1 consult (3 min) ahead, from w3 with w5 in full = 1.5 → 2; 5 of 8 min = 17.1 → 17', () => {
    const w = new World();
    w.take('consult');
    const j = w.take('consult');
    w.open('w3');
    w.open('w5');
    // From w3 (idle, service-order): (1 + 1 − 1) × 3 over w3 + w5's share of consult (1) = 1.5; from w5 (idle):
    // 3 over w5 + w3's share (1 of its 3 services) = 2.25. The soonest, 1.5 → 2.
    expect(est(w, j)).toEqual({ peopleAhead: 1, minutes: 2 });
    const { w: v, tickets } = genA(6);
    v.open('w1');
    v.open('w2');
    v.open('w3');
    // From w1 (idle): (5 + 1 − 1) × 8 over w1 + w2 (same policy, in full) + w3 (gen-a share 1/3) = 40 / (7/3) =
    // 17.14; from w2 the same; from w3: 40 over w3 + ½ + ½ = 20. The soonest, 17.14 → 17.
    expect(est(v, tickets[5] as TicketRecord)).toEqual({ peopleAhead: 5, minutes: 17 });
  });
});

describe('W2 people ahead by every deciding counter’s own policy', () => {
  // w3 is service-order (gen-b, gen-a, consult); w1 is effective-time (gen-a, gen-b).
  function scene() {
    const w = new World();
    const a1 = w.take('gen-a'); // 09:00
    w.advance(1);
    const a2 = w.take('gen-b'); // 09:01
    w.advance(1);
    const a3 = w.take('gen-b'); // 09:02
    w.open('w3');
    return { w, a1, a2, a3 };
  }

  it('W2 at w3 alone, the later gen-b tickets are ahead of the earlier gen-a one', () => {
    const { w, a1, a2, a3 } = scene();
    expect(est(w, a1)).toEqual({ peopleAhead: 2, minutes: 20 });
    expect(est(w, a2)).toEqual({ peopleAhead: 0, minutes: 0 });
    expect(est(w, a3)).toEqual({ peopleAhead: 1, minutes: 10 });
  });

  it('W2 with w1 open too, a ticket is ahead when at least one deciding counter would call it first', () => {
    const { w, a1, a2, a3 } = scene();
    w.open('w1');
    // Both counters are idle. A001: w1 calls it first, w3 calls A002 and A003 first → 2 ahead; W4 from w1:
    // nobody ahead and w1 idle → 0.
    expect(est(w, a1)).toEqual({ peopleAhead: 2, minutes: 0 });
    // A002: w1 calls A001 first, w3 nobody → 1 ahead; from w3 (idle, nobody ahead) → 0.
    expect(est(w, a2)).toEqual({ peopleAhead: 1, minutes: 0 });
    // A003: w1 calls A001, A002 first; w3 calls A002 first → 2 ahead. From w3: (1 + 1 − 1) × 10 over w3 +
    // w1's gen-b share ½ = 6.67; from w1: (2 + 1 − 1) × 9 over w1 + w3's share ⅔ = 10.8. 6.67 → 7.
    expect(est(w, a3)).toEqual({ peopleAhead: 2, minutes: 7 });
  });

  it('W2 a consult ticket has the gen tickets ahead of it at w3, where consult comes last', () => {
    const { w } = scene();
    w.open('w5');
    w.pause('w5');
    const j = w.take('consult');
    // deciding: w3 (open), w5 (paused); w3 calls the three gen tickets first; c = 1 open → 8 + 10 + 10 = 28
    expect(est(w, j)).toEqual({ peopleAhead: 3, minutes: 28 });
  });

  it('W2 a ticket transferred to a service-order counter is ahead of everything else it serves', () => {
    const { w, a1, a2, a3 } = scene();
    w.open('w5');
    const j = w.take('consult');
    w.call('w5');
    const moved = w.ok(w.transfer('w5', { counterId: 'w3' }));
    expect(j.id).toBe(moved.id);
    // A002 was first at w3; now the consult ticket transferred to w3 is ahead of it, and of A001, A003
    expect(est(w, a2).peopleAhead).toBe(1);
    expect(est(w, a3).peopleAhead).toBe(2);
    expect(est(w, a1).peopleAhead).toBe(3);
    expect(est(w, moved)).toEqual({ peopleAhead: 0, minutes: 0 });
  });
});

describe('W2 exact under policies that reorder a line (R7, R8)', () => {
  /** Issues at a minute after 09:00 (the clock only moves forward here). */
  function issueAt(w: World, minute: number, serviceId: string, priority: Priority = 'none'): TicketRecord {
    w.at('2026-11-30T09:00:00+08:00').advance(minute);
    return w.take(serviceId, priority);
  }

  it('W2 R7 a priority ticket counts only the priority tickets before it; an ordinary one counts every priority ticket', () => {
    const w = new World({ edit: withCounter('w1', { policy: 'strict-priority' }) });
    const a1 = issueAt(w, 0, 'gen-a'); // A001
    const a2 = issueAt(w, 10, 'gen-b'); // A002
    const a3 = issueAt(w, 40, 'gen-a', 'elderly'); // A003, R2 time 09:25: behind A001 and A002 in R2's lines
    const a4 = issueAt(w, 41, 'gen-b', 'disabled'); // A004, R2 time 09:26
    const a5 = issueAt(w, 42, 'gen-a'); // A005
    w.open('w1'); // the only deciding counter (W1): w2 and w3 are closed
    // w1 calls A003, A004, A001, A002, A005. A004 waits behind A003 only (gen-a, 8 min): 1 × 8 = 8. A001 waits
    // behind both priority tickets, though each stands behind it in R2's line: 2 × (8 + 10) / 2 = 18.
    expect(est(w, a3)).toEqual({ peopleAhead: 0, minutes: 0 });
    expect(est(w, a4)).toEqual({ peopleAhead: 1, minutes: 8 });
    expect(est(w, a1)).toEqual({ peopleAhead: 2, minutes: 18 });
    expect(est(w, a2).peopleAhead).toBe(3);
    expect(est(w, a5).peopleAhead).toBe(4);
  });

  it("W2 R8 an ordinary ticket issued before a priority one is ahead of it, though behind it in R2's line", () => {
    const w = new World({ edit: withCounter('w1', { policy: 'fifo' }) });
    const a1 = issueAt(w, 0, 'gen-a'); // A001
    const a2 = issueAt(w, 5, 'gen-a', 'elderly'); // A002, R2 time 08:50: first in the gen-a line
    w.open('w1');
    expect(w.state.lines.get('gen-a')?.map((u) => u.number)).toEqual(['A002', 'A001']);
    expect(est(w, a2)).toEqual({ peopleAhead: 1, minutes: 8 });
    expect(est(w, a1)).toEqual({ peopleAhead: 0, minutes: 0 });
  });

  it('W2 counters with different policies: a ticket is ahead when either would call it first (the union)', () => {
    const w = new World({ edit: withCounter('w1', { policy: 'fifo' }) });
    const a1 = issueAt(w, 0, 'gen-a'); // A001
    const a2 = issueAt(w, 5, 'gen-a', 'elderly'); // A002
    w.open('w1'); // fifo: A001 first
    w.open('w2'); // effective-time: A002 first
    expect(est(w, a1).peopleAhead).toBe(1);
    expect(est(w, a2).peopleAhead).toBe(1);
    // Both counters idle: each ticket is next at one of them.
    expect(est(w, a1).minutes).toBe(0);
    expect(est(w, a2).minutes).toBe(0);
  });

  it('W2 W4 tickets transferred to an R8 counter: the work ahead is that of the very tickets it calls first', () => {
    const w = new World({ edit: withCounter('w1', { policy: 'fifo' }) });
    issueAt(w, 0, 'consult'); // J001
    issueAt(w, 6, 'gen-b', 'elderly'); // A001, R2 time 08:51
    const a2 = issueAt(w, 7, 'gen-b', 'elderly'); // A002, R2 time 08:52
    w.open('w5');
    w.call('w5'); // J001, held 3 min: consult's counter minutes (W3) 3
    w.advance(3);
    w.ok(w.transfer('w5', { counterId: 'w1' }));
    w.open('w2');
    for (let i = 0; i < 2; i++) {
      w.call('w2'); // A001, then A002, each held 10 min: gen-b's counter minutes 10
      w.advance(10);
      w.ok(w.transfer('w2', { counterId: 'w1' }));
    }
    w.close('w2');
    w.close('w5');
    w.open('w1');
    expect(w.state.lines.get('@w1')?.map((u) => u.number)).toEqual(['A001', 'A002', 'J001']);
    // w1 calls J001 (09:00), A001 (09:06), then A002: 2 ahead, 3 + 10 minutes of work, w1 idle → 13
    // (the first two of the line, A001 and A002 itself, would make it 20).
    expect(est(w, a2)).toEqual({ peopleAhead: 2, minutes: 13 });
  });
});

describe('W3 mean service time', () => {
  it('W3 the configured default until a service has finished a ticket today', () => {
    const w = new World();
    expect(meanServiceMinutes(w.hall, w.state, 'gen-a')).toBe(8);
    expect(meanServiceMinutes(w.hall, w.state, 'gen-b')).toBe(10);
    expect(meanServiceMinutes(w.hall, w.state, 're')).toBe(25);
    // fund sets none: the schema's default of 8
    expect(meanServiceMinutes(w.hall, w.state, 'fund')).toBe(8);
  });

  it('W3 the mean of real durations: start → finish, or call → finish when never started', () => {
    const { w } = genA(4);
    w.open('w1');
    w.call('w1');
    w.advance(2);
    w.ok(w.start('w1'));
    w.advance(20);
    w.ok(w.finish('w1')); // 20 min from start; the 2 min of calling do not count
    w.call('w1');
    w.advance(10);
    w.ok(w.finish('w1')); // never started: 10 min from the call
    expect(meanServiceMinutes(w.hall, w.state, 'gen-a')).toBe(15);
    expect(meanServiceMinutes(w.hall, w.state, 'gen-b')).toBe(10);
    // W4 costs a ticket its counter minutes (W3), call → finish: 22 and 10 → 16. The 2 gen-a tickets still
    // waiting count 16 each; w1 is idle, so a new ticket waits (2 + 1 − 1) × 16 = 32.
    expect(counterMinutes(w.hall, w.state, w.history, 'gen-a')).toBe(16);
    expect(counterMinutes(w.hall, w.state, w.history, 'gen-b')).toBe(10);
    expect(queueSummary(w.hall, w.state, 'gen-a', w.now, w.history).estimatedWaitMinutes).toBe(32);
  });

  it('W3 no-shows, cancellations and transfers are not services', () => {
    const { w, tickets } = genA(4);
    w.open('w1');
    w.call('w1');
    w.advance(5);
    w.ok(w.noShow('w1'));
    w.call('w1');
    w.advance(5);
    w.ok(w.transfer('w1', { serviceId: 'gen-b' }));
    w.call('w1');
    w.advance(5);
    w.ok(w.cancel(w.counter('w1').currentTicketId as string));
    expect(tickets).toHaveLength(4);
    expect(meanServiceMinutes(w.hall, w.state, 'gen-a')).toBe(8);
  });

  it('W3 the duration counts for the service the ticket was served for (after a transfer)', () => {
    const w = new World();
    w.open('w1');
    w.take('gen-a');
    w.call('w1');
    w.ok(w.transfer('w1', { serviceId: 'gen-b' }));
    w.call('w1');
    w.advance(4);
    w.ok(w.finish('w1'));
    expect(meanServiceMinutes(w.hall, w.state, 'gen-b')).toBe(4);
    expect(meanServiceMinutes(w.hall, w.state, 'gen-a')).toBe(8);
  });

  it('W3 only the last serviceTimeWindow services: window 2 over 10, 20, 30 min → 25', () => {
    const w = new World({ edit: withSettings({ serviceTimeWindow: 2 }) });
    w.open('w1');
    for (const minutes of [10, 20, 30]) {
      w.take('gen-a');
      w.call('w1');
      w.advance(minutes);
      w.ok(w.finish('w1'));
    }
    expect(w.state.durations.get('gen-a')).toEqual([20 * MIN, 30 * MIN]);
    expect(meanServiceMinutes(w.hall, w.state, 'gen-a')).toBe(25);
  });

  it('W3 today only: after the day rolls, the default again', () => {
    const w = new World({ enforceHours: false });
    w.open('w1');
    w.take('gen-a');
    w.call('w1');
    w.advance(30);
    w.ok(w.finish('w1'));
    expect(meanServiceMinutes(w.hall, w.state, 'gen-a')).toBe(30);
    w.rollTo('2026-12-01T09:00:00+08:00');
    expect(meanServiceMinutes(w.hall, w.state, 'gen-a')).toBe(8);
  });
});

describe('W5 queue summaries', () => {
  it('W5 an empty queue: nobody waiting, no oldest wait; before opening, its own service shared by 3: 8/3 → 3', () => {
    const w = new World();
    expect(queueSummary(w.hall, w.state, 'gen-a', w.now, w.history)).toEqual({
      serviceId: 'gen-a',
      waiting: 0,
      oldestWaitSeconds: null,
      estimatedWaitMinutes: 3,
      peopleAhead: 0,
    });
    w.open('w1');
    // w1 open and idle: it would call a new ticket at once.
    expect(queueSummary(w.hall, w.state, 'gen-a', w.now, w.history).estimatedWaitMinutes).toBe(0);
  });

  it('W5 waiting count, oldest wait in seconds, and the people ahead and estimate a new ordinary ticket would get', () => {
    const w = new World();
    w.take('gen-a'); // 09:00:00
    w.advance(1.5);
    w.take('gen-a'); // 09:01:30
    w.take('gen-b'); // 09:01:30, another queue
    w.advance(3.5); // 09:05:00
    const gA = queueSummary(w.hall, w.state, 'gen-a', w.now, w.history);
    // all counters closed: shared among w1, w2, w3; everyone waiting is ahead, and nobody idle, so the new
    // ticket too: (3 + 1) × (8 + 8 + 10)/3 / 3 = 11.56 → 12
    expect(gA).toEqual({ serviceId: 'gen-a', waiting: 2, oldestWaitSeconds: 300, estimatedWaitMinutes: 12, peopleAhead: 3 });
    w.open('w1');
    // w1 alone, idle: (3 + 1 − 1) × 26/3 = 26
    expect(queueSummary(w.hall, w.state, 'gen-a', w.now, w.history).estimatedWaitMinutes).toBe(26);
    expect(queueSummary(w.hall, w.state, 'gen-b', w.now, w.history)).toEqual({
      serviceId: 'gen-b',
      waiting: 1,
      oldestWaitSeconds: 210,
      estimatedWaitMinutes: 26,
      // One gen-b ticket waits, but w1 would call the two earlier gen-a tickets first too: a kiosk promises 3.
      peopleAhead: 3,
    });
    expect(queueSummary(w.hall, w.state, 'consult', w.now, w.history)).toMatchObject({ waiting: 0, oldestWaitSeconds: null });
  });

  it('W5 a new ordinary ticket comes after a priority one issued before it, even a later-issued one', () => {
    const w = new World();
    w.open('w5');
    w.take('consult'); // 09:00
    w.advance(10);
    w.take('consult', 'elderly'); // 09:10, effective 08:55
    expect(queueSummary(w.hall, w.state, 'consult', w.now, w.history)).toMatchObject({
      waiting: 2,
      estimatedWaitMinutes: 6,
      peopleAhead: 2,
    });
  });

  it('W5 a ticket transferred in waits in its new queue, its wait counted from its issue', () => {
    const w = new World();
    w.open('w1');
    w.take('gen-a'); // 09:00
    w.advance(10);
    w.call('w1');
    w.ok(w.transfer('w1', { serviceId: 'consult' }));
    expect(queueSummary(w.hall, w.state, 'consult', w.now, w.history)).toMatchObject({ waiting: 1, oldestWaitSeconds: 600 });
    expect(queueSummary(w.hall, w.state, 'gen-a', w.now, w.history)).toMatchObject({ waiting: 0, oldestWaitSeconds: null });
  });
});
