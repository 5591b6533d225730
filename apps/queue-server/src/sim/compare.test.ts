import { fileURLToPath } from 'node:url';
import type { Priority } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import type { TicketRecord } from '../domain/model.js';
import { waitingTicket } from '../domain/model.js';
import { POLICIES } from '../domain/routing.js';
import type { Candidate } from './compare.js';
import {
  comparePoliciesOverSeeds,
  formatPooledComparison,
  poolResults,
  runPlan,
  studyCandidates,
  withCandidates,
} from './compare.js';
import { loadPlan } from './plan.js';

const PLANS = fileURLToPath(new URL('../../halls/day-plans/', import.meta.url));
const plan = loadPlan(`${PLANS}tiny-day.yaml`);
const MIN = 60_000;
const NINE = Date.parse('2026-03-02T09:00:00+08:00');

/** A waiting ticket issued `minute` minutes after 09:00, with the hall's 15-minute head start (R2). */
function ticket(n: number, minute: number, serviceId: string, priority: Priority = 'none'): TicketRecord {
  const issuedAt = NINE + minute * MIN;
  return waitingTicket({
    id: `t${n}`,
    statusKey: '',
    number: `A00${n}`,
    prefix: 'A',
    sequence: n,
    serviceId,
    priority,
    businessDay: '2026-03-02',
    issuedAt,
    rankAt: priority === 'none' ? issuedAt : issuedAt - 15 * MIN,
    rankTie: n,
    personKey: null,
  });
}

describe('routing policies over several days (docs/policies.md)', () => {
  it('pools days: every day’s tickets and counters, refusals added up', () => {
    const one = runPlan(plan, 1).result;
    const two = runPlan(plan, 2).result;
    const pooled = poolResults([
      { ...one, refused: { SERVICE_CLOSED: 1 } },
      { ...two, refused: { SERVICE_CLOSED: 2, DAILY_CAP_REACHED: 1 } },
    ]);
    expect(pooled.tickets).toHaveLength(one.tickets.length + two.tickets.length);
    expect(pooled.counters).toHaveLength(one.counters.length + two.counters.length);
    expect(pooled.refused).toEqual({ SERVICE_CLOSED: 3, DAILY_CAP_REACHED: 1 });
  });

  it('compares every server policy on the same seeds: each day is the same day under every policy', () => {
    const rows = comparePoliciesOverSeeds(plan, [1, 2]);
    expect(rows.map((r) => r.policy)).toEqual(Object.keys(POLICIES));
    for (const r of rows) {
      expect(r.days.map((d) => d.all.tickets)).toEqual([1, 2].map((s) => runPlan(plan, s).summary.all.tickets));
      expect(r.pooled.all.tickets).toBe(r.days.reduce((a, d) => a + d.all.tickets, 0));
      expect(r.days[1]).toEqual(runPlan(plan, 2, r.policy as keyof typeof POLICIES).summary);
    }
    expect(() => comparePoliciesOverSeeds(plan, [1], ['no-such-policy'])).toThrow(/unknown policy/);
    const text = formatPooledComparison(rows);
    expect(text.split('\n')).toHaveLength(1 + rows.length);
    expect(text).toContain('worst p90 by day');
  });

  it('the study candidates: a head start of H minutes, or the earliest due time (R2 time + k × service minutes)', () => {
    const [hs5, hs30, due1] = studyCandidates(plan.hall);
    expect([hs5?.name, hs30?.name, due1?.name]).toEqual(['head-start-5', 'head-start-30', 'due-1']);
    const counter = plan.hall.counters[0];
    if (!hs5 || !hs30 || !due1 || !counter) throw new Error('missing');
    const ordinary = ticket(1, 0, 'gen-a');
    const elderly = ticket(2, 20, 'gen-a', 'elderly'); // 20 min later
    expect(hs30.compare(counter, elderly, ordinary)).toBeLessThan(0);
    expect(hs5.compare(counter, ordinary, elderly)).toBeLessThan(0);
    // gen-b (8 min in the tiny day's hall) at 09:00 is due 09:08; consult (3 min) at 09:04 is due 09:07.
    expect(due1.compare(counter, ticket(3, 4, 'consult'), ticket(4, 0, 'gen-b'))).toBeLessThan(0);
    expect(due1.compare(counter, ticket(5, 6, 'consult'), ticket(4, 0, 'gen-b'))).toBeGreaterThan(0);
  });

  it('candidates are known to the core by name only while the study runs them', () => {
    const candidates = studyCandidates(plan.hall);
    const rows = withCandidates(candidates, () => {
      expect(Object.keys(POLICIES)).toContain('due-2');
      return comparePoliciesOverSeeds(plan, [1], ['effective-time', 'head-start-30']);
    });
    expect(rows.map((r) => r.pooled.all.tickets)).toEqual([rows[0]?.days[0]?.all.tickets, rows[0]?.days[0]?.all.tickets]);
    expect(Object.keys(POLICIES)).not.toContain('due-2');
    expect(() =>
      withCandidates(candidates, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Object.keys(POLICIES)).not.toContain('head-start-5');
    expect(() => withCandidates([candidates[0] as Candidate, { ...POLICIES.fifo }], () => 0)).toThrow(/exists/);
    expect(Object.keys(POLICIES)).not.toContain('head-start-5');
    expect(POLICIES.fifo.name).toBe('fifo');
  });
});
