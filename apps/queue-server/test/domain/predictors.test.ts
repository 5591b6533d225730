import { describe, expect, it } from 'vitest';
import type { TicketRecord } from '../../src/domain/model.js';
import type { Predictor } from '../../src/domain/predictors.js';
import { PREDICTORS, PredictorHistory, Ring, rebuildHistory } from '../../src/domain/predictors.js';
import { World } from './harness.js';

const p = (name: string) => PREDICTORS[name] as Predictor;
const at = (w: World, t: TicketRecord, name: string, h = new PredictorHistory()) =>
  p(name)(w.hall, w.state, w.ticket(t.id), w.now, h);

/**
 * w1 and w2 open (both serve gen-a, 8 min by default, and gen-b, 10 min; R2), w3 closed. 09:00 A001 gen-a
 * called at w1, 09:01 a gen-b ticket called at w2; then 09:02 gen-a X, 09:03 gen-b Y, 09:04 gen-a T.
 */
function busyHall() {
  const w = new World();
  w.open('w1');
  w.open('w2');
  w.take('gen-a');
  w.call('w1');
  w.advance(1).take('gen-b');
  w.call('w2');
  w.advance(1).take('gen-a');
  w.advance(1).take('gen-b');
  const t = w.advance(1).take('gen-a');
  return { w, t };
}

describe('Ring', () => {
  it('keeps the last `size` values, oldest first', () => {
    const r = new Ring(3);
    for (const x of [1, 2, 3, 4, 5]) r.push(x);
    expect(r.length).toBe(3);
    expect(r.last()).toEqual([3, 4, 5]);
    expect(r.last(2)).toEqual([4, 5]);
  });
});

describe('wait predictors on a hand-built state', () => {
  it('w4, the former server formula: X (gen-a, 8) and Y (gen-b, 10) ahead, over 2 open counters → 9', () => {
    const { w, t } = busyHall();
    expect(at(w, t, 'w4')).toBe(9);
  });

  it('current is what the server says, W4 since issue 6: qls (13.5 below) rounded → 14', () => {
    const { w, t } = busyHall();
    expect(at(w, t, 'current')).toBe(14);
  });

  it('ql: own line ahead 1 (X), no idle counter: (1 + 1) × 8 / 2 = 8', () => {
    const { w, t } = busyHall();
    expect(at(w, t, 'ql')).toBe(8);
  });

  it('qlp: X and Y ahead, gen-a at its measured 6 counter minutes, gen-b at W3 10: 3 × 8 / 2 = 12', () => {
    const { w, t } = busyHall();
    const h = new PredictorHistory();
    h.released('gen-a', 6);
    expect(at(w, t, 'qlp', h)).toBe(12);
    // Without history both at W3: (8 + 10) / 2 = 9 per ticket, 3 × 9 / 2.
    expect(at(w, t, 'qlp')).toBe(13.5);
  });

  it('hol: the head X was issued 2 minutes ago', () => {
    const { w, t } = busyHall();
    expect(at(w, t, 'hol')).toBe(2);
  });

  it('les and the rolling averages use the service’s last calls, else fall back to W4', () => {
    const { w, t } = busyHall();
    const h = new PredictorHistory();
    expect(at(w, t, 'les', h)).toBe(9);
    expect(at(w, t, 'avg-5', h)).toBe(9);
    for (const x of [10, 1, 2, 3, 4, 5]) h.called('gen-a', x);
    h.called('gen-b', 100);
    expect(at(w, t, 'les', h)).toBe(5);
    expect(at(w, t, 'avg-5', h)).toBe(3);
    expect(at(w, t, 'avg-10', h)).toBe(25 / 6);
  });

  it('blend: 0.7 × qls + 0.3 × les', () => {
    const { w, t } = busyHall();
    const h = new PredictorHistory();
    h.released('gen-a', 6);
    h.called('gen-a', 5);
    expect(at(w, t, 'blend', h)).toBeCloseTo(0.7 * 12 + 0.3 * 5, 10);
  });

  it('qls with one view: qlp again, W3 means (8 + 10) / 2 per ticket, 3 × 9 over w1 and w2 → 13.5', () => {
    const { w, t } = busyHall();
    expect(at(w, t, 'qls')).toBe(13.5);
  });

  it('qls: seen from w3 (service-order, just opened, idle), X and Y ahead, w1 and w2 helping in full: 2 × 9 / 3 → 6', () => {
    const { w, t } = busyHall();
    w.open('w3');
    // From w1: 3 × 9 over 1 + w2 (same view) + w3 (gen-a, gen-b of its gen-b, gen-a, consult: 2/3) = 10.125; the least wins.
    expect(at(w, t, 'qls')).toBe(6);
  });

  it('share: of a counter’s last calls, those for the services; before any, its services among them', () => {
    const h = new PredictorHistory();
    const w3 = new World().hall.counters.get('w3');
    if (!w3) throw new Error('no w3');
    const gen = new Set(['gen-a', 'gen-b']);
    expect(h.share(w3, gen)).toBe(2 / 3);
    for (const s of ['consult', 'consult', 'gen-a', 'consult']) h.counterCalled('w3', s);
    expect(h.share(w3, gen)).toBe(1 / 4);
  });

  it('an idle open counter takes the ticket at once: ql, qlp and hol give 0', () => {
    const w = new World();
    w.open('w1');
    const t = w.take('gen-a');
    for (const name of ['ql', 'qlp', 'qls', 'hol']) expect(at(w, t, name)).toBe(0);
  });

  it('a priority ticket ahead of the line: hol 0', () => {
    const { w } = busyHall();
    const t = w.take('gen-a', 'elderly');
    expect(at(w, t, 'hol')).toBe(0);
  });
});

describe('the history behind W3 and W4', () => {
  it('learn feeds calls and counter minutes; rebuildHistory from the stored tickets gives the same (a restart keeps it)', () => {
    const w = new World();
    w.open('w1');
    w.open('w3');
    w.take('gen-a');
    w.take('consult');
    w.call('w1'); // gen-a at w1, 09:00
    w.call('w3'); // consult at w3, 09:00
    w.advance(6);
    w.ok(w.finish('w1')); // 6 counter minutes for gen-a
    w.advance(2);
    w.ok(w.noShow('w3')); // 8 for consult
    expect(w.history.meanOccupancy('gen-a')).toBe(6);
    expect(w.history.meanOccupancy('consult')).toBe(8);
    const w3 = w.hall.counters.get('w3');
    if (!w3) throw new Error('no w3');
    expect(w.history.share(w3, new Set(['consult']))).toBe(1);
    const rebuilt = rebuildHistory([...w.state.tickets.values()]);
    expect(rebuilt.meanOccupancy('gen-a')).toBe(6);
    expect(rebuilt.meanOccupancy('consult')).toBe(8);
    expect(rebuilt.share(w3, new Set(['consult']))).toBe(1);
  });
});
