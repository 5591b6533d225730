/**
 * W5 found together (estimate.ts queueSummaries, what the server sends) against each service's new ticket
 * estimated on its own (estimateWait of phantomTicket, the definition), at every issue of simulated days:
 * the batch shares work between services, and must not change a single number.
 */
import { fileURLToPath } from 'node:url';
import { ROUTING_POLICIES, type RoutingPolicyName } from '@yimen/shared';
import { describe, expect, it } from 'vitest';
import { estimateWait, phantomTicket, queueSummaries } from '../domain/estimate.js';
import type { Predictor } from '../domain/predictors.js';
import { studyCandidates, withCandidates } from './compare.js';
import { planInput, simulate } from './engine.js';
import { loadPlan, type ResolvedPlan } from './plan.js';

const PLANS = fileURLToPath(new URL('../../halls/day-plans/', import.meta.url));

function compareAtEveryIssue(plan: ResolvedPlan, seed: number, policy: string, every = 1) {
  let compared = 0;
  let issues = 0;
  const mismatches: string[] = [];
  const probe: Predictor = (hall, state, _t, now, history) => {
    if (issues++ % every !== 0) return null;
    for (const q of queueSummaries(hall, state, now, history)) {
      const own = estimateWait(hall, state, phantomTicket(state, q.serviceId, now), history);
      const want = { minutes: own.minutes, people: own.minutes === null ? null : own.peopleAhead };
      compared++;
      if (q.estimatedWaitMinutes !== want.minutes || q.peopleAhead !== want.people)
        mismatches.push(`${q.serviceId} at ${now}: ${q.peopleAhead}/${q.estimatedWaitMinutes} vs ${want.people}/${want.minutes}`);
    }
    return null;
  };
  simulate(planInput(plan, seed, { policy: policy as RoutingPolicyName, predictors: { probe } }));
  return { compared, mismatches };
}

describe('W5 queue summaries found together', () => {
  const tiny = loadPlan(`${PLANS}tiny-day.yaml`);
  for (const policy of ROUTING_POLICIES)
    it(`W5 equal each service's own estimate at every issue of the tiny day, ${policy}, seeds 1–3`, () => {
      for (const seed of [1, 2, 3]) {
        const { compared, mismatches } = compareAtEveryIssue(tiny, seed, policy);
        expect(compared).toBeGreaterThan(100);
        expect(mismatches).toEqual([]);
      }
    });

  it('W5 equal each service’s own estimate under the study candidates too (a policy reading the service must say so)', () => {
    const candidates = studyCandidates(tiny.hall);
    withCandidates(candidates, () => {
      for (const c of candidates) {
        const { compared, mismatches } = compareAtEveryIssue(tiny, 1, c.name);
        expect(compared, c.name).toBeGreaterThan(100);
        expect(mismatches, c.name).toEqual([]);
      }
    });
  });

  it('W5 equal each service’s own estimate at every 4th issue of the demo day (72 services, 25 counters)', () => {
    const { compared, mismatches } = compareAtEveryIssue(loadPlan(`${PLANS}demo-day.yaml`), 2, 'effective-time', 4);
    expect(compared).toBeGreaterThan(15_000);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
