import { describe, expect, it } from 'vitest';
import { clerk, codeOf, keypad, MANAGER, World } from './harness.js';

const ZHANG = clerk('clerk1');
const LI = clerk('clerk2');

describe('C1 open', () => {
  it('C1 closed → open; the clerk who opens it takes it', () => {
    const w = new World();
    w.advance(5);
    expect(w.ok(w.open('w1', ZHANG))).toMatchObject({ state: 'open', clerkId: 'clerk1', stateSince: w.now });
    expect(w.counter('w1')).toMatchObject({ state: 'open', clerkId: 'clerk1' });
  });

  it('C1 a manager or a keypad opens a counter without taking it', () => {
    const w = new World();
    expect(w.ok(w.open('w1', MANAGER))).toMatchObject({ state: 'open', clerkId: null });
    expect(w.ok(w.open('w2', keypad('w2')))).toMatchObject({ state: 'open', clerkId: null });
  });

  it('C1 an open or paused counter: COUNTER_NOT_CLOSED', () => {
    const w = new World();
    w.open('w1', ZHANG);
    expect(codeOf(w.open('w1', ZHANG))).toBe('COUNTER_NOT_CLOSED');
    expect(codeOf(w.open('w1', MANAGER))).toBe('COUNTER_NOT_CLOSED');
    w.pause('w1', ZHANG);
    expect(codeOf(w.open('w1', ZHANG))).toBe('COUNTER_NOT_CLOSED');
    expect(w.counter('w1').state).toBe('paused');
  });

  it('C1 an unknown counter: NOT_FOUND', () => {
    const w = new World();
    expect(codeOf(w.open('w99'))).toBe('NOT_FOUND');
    expect(codeOf(w.close('w99'))).toBe('NOT_FOUND');
    expect(codeOf(w.pause('w99'))).toBe('NOT_FOUND');
    expect(codeOf(w.resume('w99'))).toBe('NOT_FOUND');
  });
});

describe('C2 taking a counter nobody holds', () => {
  it('C2 a clerk takes an open counter a manager opened; it stays open', () => {
    const w = new World();
    w.open('w1', MANAGER);
    const since = w.counter('w1').stateSince;
    w.advance(10);
    expect(w.ok(w.open('w1', ZHANG))).toMatchObject({ state: 'open', clerkId: 'clerk1', stateSince: since });
  });

  it('C2 the counter, once taken, cannot be taken by another clerk', () => {
    const w = new World();
    w.open('w1', keypad('w1'));
    w.ok(w.open('w1', ZHANG));
    expect(codeOf(w.open('w1', LI))).toBe('COUNTER_IN_USE');
    expect(w.counter('w1').clerkId).toBe('clerk1');
  });
});

describe('C3 one clerk at a time', () => {
  it.each(['callNext', 'recall', 'start', 'finish', 'noShow', 'pause', 'close'] as const)(
    "C3 another clerk's %s at a taken counter is COUNTER_IN_USE",
    (action) => {
      const w = new World();
      w.take('gen-a');
      w.open('w1', ZHANG);
      w.call('w1', ZHANG);
      expect(codeOf(w[action]('w1', LI))).toBe('COUNTER_IN_USE');
    },
  );

  it("C3 another clerk's transfer and resume are COUNTER_IN_USE too", () => {
    const w = new World();
    w.take('gen-a');
    w.open('w1', ZHANG);
    w.call('w1', ZHANG);
    expect(codeOf(w.transfer('w1', { serviceId: 'consult' }, LI))).toBe('COUNTER_IN_USE');
    w.ok(w.pause('w1', ZHANG));
    expect(codeOf(w.resume('w1', LI))).toBe('COUNTER_IN_USE');
  });

  it("C3 the hall's manager and the counter's keypad may act at a taken counter at any time", () => {
    const w = new World();
    w.take('gen-a');
    w.take('gen-a');
    w.open('w1', ZHANG);
    expect(w.call('w1', MANAGER).number).toBe('A001');
    expect(codeOf(w.recall('w1', keypad('w1')))).toBe('ok');
    expect(codeOf(w.start('w1', MANAGER))).toBe('ok');
    expect(w.call('w1', keypad('w1')).number).toBe('A002');
    expect(codeOf(w.noShow('w1', keypad('w1')))).toBe('ok');
    expect(codeOf(w.pause('w1', keypad('w1')))).toBe('ok');
    expect(codeOf(w.resume('w1', MANAGER))).toBe('ok');
    expect(codeOf(w.close('w1', MANAGER))).toBe('ok');
    // the keypad's and manager's work kept the clerk until the counter closed
    expect(w.counter('w1')).toMatchObject({ state: 'closed', clerkId: null });
  });

  it('C3 the finished ticket names the clerk on duty even when the manager finished it', () => {
    const w = new World();
    w.take('gen-a');
    w.open('w1', ZHANG);
    w.call('w1', ZHANG);
    expect(w.ok(w.finish('w1', MANAGER)).clerkId).toBe('clerk1');
  });
});

describe('C4 one counter per clerk', () => {
  it('C4 opening a second counter while the first is open or paused: CLERK_AT_OTHER_COUNTER', () => {
    const w = new World();
    w.open('w2', LI);
    expect(codeOf(w.open('w1', LI))).toBe('CLERK_AT_OTHER_COUNTER');
    w.pause('w2', LI);
    expect(codeOf(w.open('w1', LI))).toBe('CLERK_AT_OTHER_COUNTER');
    expect(w.counter('w1').state).toBe('closed');
  });

  it('C4 taking a counter a manager opened while at another is CLERK_AT_OTHER_COUNTER too', () => {
    const w = new World();
    w.open('w1', MANAGER);
    w.open('w2', LI);
    expect(codeOf(w.open('w1', LI))).toBe('CLERK_AT_OTHER_COUNTER');
    expect(w.counter('w1').clerkId).toBeNull();
  });

  it('C4 after closing the first, the clerk may open another (AB岗)', () => {
    const w = new World();
    w.open('w2', LI);
    w.ok(w.close('w2', LI));
    expect(w.ok(w.open('w1', LI))).toMatchObject({ state: 'open', clerkId: 'clerk2' });
  });
});

describe('C5 close', () => {
  it('C5 closes an open or paused counter without a ticket and releases the clerk', () => {
    const w = new World();
    w.open('w1', ZHANG);
    w.advance(30);
    expect(w.ok(w.close('w1', ZHANG))).toMatchObject({ state: 'closed', clerkId: null, stateSince: w.now });
    w.ok(w.open('w1', LI));
    w.ok(w.pause('w1', LI));
    expect(w.ok(w.close('w1', LI)).state).toBe('closed');
  });

  it('C5 a counter holding a ticket (called or serving) is COUNTER_BUSY, paused or not', () => {
    const w = new World();
    w.take('gen-a');
    w.open('w1', ZHANG);
    w.call('w1', ZHANG);
    expect(codeOf(w.close('w1', ZHANG))).toBe('COUNTER_BUSY');
    w.ok(w.start('w1', ZHANG));
    expect(codeOf(w.close('w1', MANAGER))).toBe('COUNTER_BUSY');
    w.ok(w.pause('w1', ZHANG));
    expect(codeOf(w.close('w1', ZHANG))).toBe('COUNTER_BUSY');
    w.ok(w.finish('w1', ZHANG));
    expect(codeOf(w.close('w1', ZHANG))).toBe('ok');
  });

  it('C5 a closed counter cannot be closed again', () => {
    const w = new World();
    expect(w.close('w1').ok).toBe(false);
  });
});

describe('C6 pause and resume', () => {
  it('C6 pause: open → paused; resume: paused → open', () => {
    const w = new World();
    w.open('w1');
    w.advance(1);
    expect(w.ok(w.pause('w1'))).toMatchObject({ state: 'paused', stateSince: w.now });
    w.advance(1);
    expect(w.ok(w.resume('w1'))).toMatchObject({ state: 'open', stateSince: w.now });
  });

  it('C6 pause of a paused or closed counter: COUNTER_NOT_OPEN', () => {
    const w = new World();
    expect(codeOf(w.pause('w1'))).toBe('COUNTER_NOT_OPEN');
    w.open('w1');
    w.pause('w1');
    expect(codeOf(w.pause('w1'))).toBe('COUNTER_NOT_OPEN');
  });

  it('C6 resume of an open or closed counter: COUNTER_NOT_PAUSED', () => {
    const w = new World();
    expect(codeOf(w.resume('w1'))).toBe('COUNTER_NOT_PAUSED');
    w.open('w1');
    expect(codeOf(w.resume('w1'))).toBe('COUNTER_NOT_PAUSED');
  });

  it('C6 pausing keeps the clerk and the current ticket', () => {
    const w = new World();
    w.take('gen-a');
    w.open('w1', ZHANG);
    const t = w.call('w1', ZHANG);
    w.ok(w.pause('w1', ZHANG));
    expect(w.counter('w1')).toMatchObject({ state: 'paused', clerkId: 'clerk1', currentTicketId: t.id });
  });
});

describe('C7 a paused counter finishes what it holds but calls no one', () => {
  function pausedHolding() {
    const w = new World();
    w.take('gen-a');
    w.take('gen-a');
    w.open('w1');
    const t = w.call('w1');
    w.ok(w.pause('w1'));
    return { w, t };
  }

  it('C7 recall, start and finish work while paused', () => {
    const { w, t } = pausedHolding();
    expect(w.ok(w.recall('w1')).recallCount).toBe(1);
    expect(w.ok(w.start('w1')).status).toBe('serving');
    expect(w.ok(w.finish('w1')).status).toBe('done');
    expect(w.counter('w1')).toMatchObject({ state: 'paused', currentTicketId: null });
    expect(w.ticket(t.id).status).toBe('done');
  });

  it('C7 no-show and transfer work while paused', () => {
    const a = pausedHolding();
    expect(a.w.ok(a.w.noShow('w1')).status).toBe('no_show');
    const b = pausedHolding();
    expect(b.w.ok(b.w.transfer('w1', { serviceId: 'consult' })).status).toBe('waiting');
  });

  it('C7 call-next while paused is COUNTER_NOT_OPEN: the held ticket is not finished and nobody is called', () => {
    const { w, t } = pausedHolding();
    expect(codeOf(w.callNext('w1'))).toBe('COUNTER_NOT_OPEN');
    expect(w.ticket(t.id).status).toBe('called');
    expect(w.state.waiting.size).toBe(1);
    w.ok(w.resume('w1'));
    expect(w.call('w1').number).toBe('A002');
  });
});

describe('C8 call by number', () => {
  it('C8 the full number or its digits call that waiting ticket, out of turn; the current one is finished first', () => {
    const w = new World();
    const a1 = w.take('gen-a');
    const a2 = w.take('gen-b');
    const a3 = w.take('gen-a');
    w.open('w1');
    const first = w.call('w1');
    expect(first.id).toBe(a1.id);
    expect(w.ok(w.callNumber('w1', 'A003'))).toMatchObject({ id: a3.id, status: 'called', counterId: 'w1' });
    expect(w.ticket(a1.id).status).toBe('done');
    expect(w.ok(w.callNumber('w1', '2'))).toMatchObject({ id: a2.id, status: 'called' });
    expect(w.ticket(a3.id).status).toBe('done');
    expect(w.counter('w1').currentTicketId).toBe(a2.id);
  });

  it('C8 refusals change nothing: another counter’s service, not waiting, unknown, ambiguous digits, not open', () => {
    const w = new World();
    const a1 = w.take('gen-a');
    const c1 = w.take('re');
    const j1 = w.take('consult');
    w.open('w1');
    const held = w.call('w1');
    expect(codeOf(w.callNumber('w1', c1.number))).toBe('TICKET_NOT_FOR_COUNTER');
    expect(codeOf(w.callNumber('w1', 'A001'))).toBe('TICKET_NOT_WAITING'); // w1 holds it now
    expect(codeOf(w.callNumber('w1', 'A099'))).toBe('NOT_FOUND');
    expect(w.counter('w1').currentTicketId).toBe(held.id);
    expect(w.ticket(a1.id).status).toBe('called');
    // w3 serves gen-a and consult: "1" could be A001 (not waiting) or J001 (waiting) → J001
    w.open('w3');
    expect(w.ok(w.callNumber('w3', '1')).id).toBe(j1.id);
    const a2 = w.take('gen-a');
    const j2 = w.take('consult');
    expect(codeOf(w.callNumber('w3', '2'))).toBe('NUMBER_AMBIGUOUS');
    expect(w.ok(w.callNumber('w3', 'j002')).id).toBe(j2.id);
    expect(w.ticket(a2.id).status).toBe('waiting');
    w.pause('w3');
    expect(codeOf(w.callNumber('w3', 'A002'))).toBe('COUNTER_NOT_OPEN');
    expect(codeOf(w.callNumber('w2', 'A002'))).toBe('COUNTER_NOT_OPEN');
  });

  it('C8 a ticket transferred to one counter is callable by number there only', () => {
    const w = new World();
    w.take('gen-a');
    w.open('w1');
    w.open('w2');
    const t = w.call('w1');
    w.ok(w.transfer('w1', { counterId: 'w2' }));
    w.take('gen-a');
    expect(codeOf(w.callNumber('w1', t.number))).toBe('TICKET_NOT_FOR_COUNTER');
    expect(w.ok(w.callNumber('w2', t.number)).id).toBe(t.id);
  });
});
