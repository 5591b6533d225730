import { describe, expect, it } from 'vitest';
import { codeOf, World, withSettings } from './harness.js';

/** A hall that issues around the clock, so numbering can be tested across midnight with hours enforced. */
const allDay = () =>
  new World({
    edit: withSettings({ defaultHours: [{ from: '00:00', to: '24:00' }], openDays: 'everyday' }),
    now: '2026-11-30T23:59:00+08:00',
  });

describe('numbering (N)', () => {
  it('N1 numbers are the prefix and three digits at least: A001 … A999, then A1000, A1001 (never truncated)', () => {
    const w = new World({ enforceHours: false });
    const numbers: string[] = [];
    for (let i = 0; i < 1001; i++) numbers.push(w.take('gen-a').number);
    expect(numbers.slice(0, 3)).toEqual(['A001', 'A002', 'A003']);
    expect(numbers[8]).toBe('A009');
    expect(numbers[9]).toBe('A010');
    expect(numbers[98]).toBe('A099');
    expect(numbers[99]).toBe('A100');
    expect(numbers[998]).toBe('A999');
    expect(numbers[999]).toBe('A1000');
    expect(numbers[1000]).toBe('A1001');
    expect(new Set(numbers).size).toBe(1001);
  });

  it('N1 the sequence is kept apart from the prefix on the ticket', () => {
    const w = new World();
    const t = w.take('consult');
    expect(t).toMatchObject({ number: 'J001', prefix: 'J', sequence: 1 });
  });

  it('N2 services sharing a prefix share its sequence; other prefixes count on their own', () => {
    const w = new World();
    const got = ['gen-a', 'gen-b', 'consult', 'gen-a', 're', 'gen-b', 'consult'].map((s) => w.take(s).number);
    expect(got).toEqual(['A001', 'A002', 'J001', 'A003', 'C001', 'A004', 'J002']);
  });

  it('N2 a refused issue uses no number', () => {
    const w = new World();
    w.take('re');
    expect(codeOf(w.issue('closed'))).toBe('SERVICE_CLOSED');
    expect(codeOf(w.issue('nope'))).toBe('NOT_FOUND');
    w.take('re');
    w.take('re');
    expect(codeOf(w.issue('re'))).toBe('DAILY_CAP_REACHED');
    expect(w.take('gen-a').number).toBe('A001');
    expect([...w.state.tickets.values()].map((t) => t.number).sort()).toEqual(['A001', 'C001', 'C002', 'C003']);
  });

  it('N3 tickets issued at 23:59 Shanghai, then after the day rolls at 00:00, restart at 001', () => {
    const w = allDay();
    expect(w.state.businessDay).toBe('2026-11-30');
    const late = [w.take('gen-a'), w.take('gen-b'), w.take('consult')];
    expect(late.map((t) => t.number)).toEqual(['A001', 'A002', 'J001']);
    expect(late.every((t) => t.businessDay === '2026-11-30')).toBe(true);
    w.rollTo('2026-12-01T00:00:00+08:00');
    expect(w.state.businessDay).toBe('2026-12-01');
    const early = [w.take('gen-b'), w.take('consult'), w.take('gen-a')];
    expect(early.map((t) => t.number)).toEqual(['A001', 'J001', 'A002']);
    expect(early.every((t) => t.businessDay === '2026-12-01')).toBe(true);
    // the routing tie restarts too: the first ticket of the day is issue order 1
    expect(early[0]?.rankTie).toBe(1);
  });

  it('N3 the day rolls at 00:00 Shanghai, which is 16:00 UTC', () => {
    const w = allDay();
    w.at('2026-11-30T15:59:59.999Z');
    w.take('gen-a');
    w.rollTo('2026-11-30T16:00:00.000Z');
    expect(w.state.businessDay).toBe('2026-12-01');
    expect(w.take('gen-a').number).toBe('A001');
  });

  it('N5 numbering continues from the sequences a restart restores (the highest stored per prefix)', () => {
    const w = new World();
    // what the server's load puts back after a restart: A041 and J007 were the last numbers, 50 the last issue order
    w.state.sequences.set('A', 41);
    w.state.sequences.set('J', 7);
    w.state.issueOrder = 50;
    expect(w.take('gen-b')).toMatchObject({ number: 'A042', rankTie: 51 });
    expect(w.take('consult').number).toBe('J008');
    expect(w.take('re').number).toBe('C001');
  });

  it("N4 after the day rolls, yesterday's waiting tickets are never called", () => {
    const w = allDay();
    w.take('gen-a');
    w.take('gen-b');
    w.open('w1');
    w.rollTo('2026-12-01T00:00:00+08:00');
    expect(w.state.waiting.size).toBe(0);
    expect(w.ok(w.callNext('w1'))).toBeNull();
    const today = w.take('gen-a');
    expect(w.call('w1').id).toBe(today.id);
    expect(w.ok(w.callNext('w1'))).toBeNull();
  });

  it('N4 a ticket a counter holds across midnight stays with it until the counter finishes it', () => {
    const w = allDay();
    w.take('gen-a');
    w.take('gen-a');
    w.open('w1');
    const held = w.call('w1');
    w.rollTo('2026-12-01T00:00:00+08:00');
    expect(w.counter('w1').currentTicketId).toBe(held.id);
    expect(w.ticket(held.id)).toMatchObject({ status: 'called', businessDay: '2026-11-30' });
    expect(w.ok(w.start('w1')).status).toBe('serving');
    const today = w.take('gen-a');
    // call-next finishes the held ticket first, then calls today's ticket, not yesterday's A002
    expect(w.call('w1').id).toBe(today.id);
    expect(w.ticket(held.id).status).toBe('done');
  });

  it("N4 yesterday's caps and limits no longer count", () => {
    const w = allDay();
    for (let i = 0; i < 3; i++) w.take('re');
    expect(codeOf(w.issue('re'))).toBe('DAILY_CAP_REACHED');
    w.rollTo('2026-12-01T00:00:00+08:00');
    expect(w.take('re').number).toBe('C001');
  });
});
