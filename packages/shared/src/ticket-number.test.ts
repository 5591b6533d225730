import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTicketNumber, parseTicketNumber, spokenTicketNumber } from './ticket-number.js';

describe('N1 ticket numbers', () => {
  it.each([
    ['A', 1, 'A001'],
    ['A', 9, 'A009'],
    ['A', 10, 'A010'],
    ['A', 99, 'A099'],
    ['A', 100, 'A100'],
    ['A', 999, 'A999'],
    ['A', 1000, 'A1000'],
    ['A', 12345, 'A12345'],
    ['ABC', 7, 'ABC007'],
  ])('N1 %s and %i: %s', (prefix, sequence, number) => {
    expect(formatTicketNumber(prefix, sequence)).toBe(number);
  });

  it('N1 A999 is followed by A1000: never truncated, never wrapped', () => {
    const next = formatTicketNumber('A', 999 + 1);
    expect(next).toBe('A1000');
    expect(next).not.toBe('A000');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('N1 a sequence of %s is not a ticket sequence', (n) => {
    expect(() => formatTicketNumber('A', n)).toThrow(RangeError);
  });

  it('N1 property: three digits at least, the sequence in full, and it parses back', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (prefix, sequence) => {
          const n = formatTicketNumber(prefix, sequence);
          const digits = n.slice(prefix.length);
          expect(digits.length).toBe(Math.max(3, String(sequence).length));
          expect(Number(digits)).toBe(sequence);
          expect(parseTicketNumber(n)).toEqual({ prefix, sequence });
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it.each([['a001'], ['A01'], ['ABCD001'], ['A-001'], [''], ['001']])('N1 %j is not a ticket number', (s) => {
    expect(parseTicketNumber(s)).toBeNull();
  });

  it('N1 numbers are read aloud digit by digit', () => {
    expect(spokenTicketNumber('A023')).toBe('A零二三');
    expect(spokenTicketNumber('A1000')).toBe('A一零零零');
    expect(spokenTicketNumber('GJ905')).toBe('GJ九零五');
  });
});
