import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyFact } from './protocol.js';

describe('S3 classifyFact', () => {
  const current = { epoch: 'e1', seq: 5 };
  it.each<[string, number, 'apply' | 'skip' | 'resync', string]>([
    ['e1', 6, 'apply', 'the next one'],
    ['e1', 5, 'skip', 'the last one again'],
    ['e1', 1, 'skip', 'an old one, already in the snapshot'],
    ['e1', 7, 'resync', 'a gap'],
    ['e1', 100, 'resync', 'a wide gap'],
    ['e2', 6, 'resync', 'a new epoch, even at the next number'],
    ['e2', 1, 'resync', 'a new epoch, restarting'],
  ])('S3 at e1/5, fact %s/%i: %s (%s)', (epoch, seq, expected) => {
    expect(classifyFact(current, { epoch, seq })).toBe(expected);
  });

  it('S3 property: a client following it applies every fact once, in order, however they arrive', () => {
    // A server emits facts 1…n; the network repeats and drops some; the client resyncs to the server's seq.
    const delivery = fc.array(fc.record({ seq: fc.integer({ min: 1, max: 30 }) }), { maxLength: 60 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 }), delivery, (snapshotSeq, arrivals) => {
        let state = { epoch: 'e1', seq: snapshotSeq };
        const applied: number[] = [];
        let lastSeen = snapshotSeq;
        for (const { seq } of arrivals) {
          lastSeen = Math.max(lastSeen, seq);
          const verdict = classifyFact(state, { epoch: 'e1', seq });
          if (verdict === 'apply') {
            expect(seq).toBe(state.seq + 1);
            applied.push(seq);
            state = { ...state, seq };
          } else if (verdict === 'resync') {
            // a snapshot brings the client to the newest fact the server sent
            state = { ...state, seq: lastSeen };
          }
        }
        // nothing applied twice, nothing out of order, and the client never falls behind what it applied
        for (let i = 1; i < applied.length; i++) expect(applied[i]).toBeGreaterThan(applied[i - 1] as number);
        expect(state.seq).toBeGreaterThanOrEqual(applied.at(-1) ?? snapshotSeq);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});
