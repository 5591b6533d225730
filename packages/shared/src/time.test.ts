import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessDayOf, minuteOfDay, parseHhMm, startOfBusinessDay, toShanghaiIso, weekdayOf } from './time.js';

const utc = (iso: string) => Date.parse(iso);

describe('N3 the business day is the date in Asia/Shanghai', () => {
  it.each([
    ['2026-11-30T15:59:00.000Z', '2026-11-30', '23:59 in Shanghai'],
    ['2026-11-30T15:59:59.999Z', '2026-11-30', 'the last millisecond'],
    ['2026-11-30T16:00:00.000Z', '2026-12-01', '00:00 in Shanghai'],
    ['2026-11-30T00:00:00.000Z', '2026-11-30', '08:00 in Shanghai'],
    ['2026-11-29T23:59:59.000Z', '2026-11-30', '07:59 in Shanghai, still the 29th in UTC'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01', 'new year'],
    ['2028-02-28T16:00:00.000Z', '2028-02-29', 'a leap day'],
  ])('N3 %s is business day %s (%s)', (iso, day) => {
    expect(businessDayOf(utc(iso))).toBe(day);
  });

  it('N3 the day starts at 00:00 +08:00', () => {
    expect(startOfBusinessDay('2026-12-01')).toBe(utc('2026-11-30T16:00:00Z'));
    expect(startOfBusinessDay('2027-01-01')).toBe(utc('2026-12-31T16:00:00Z'));
  });

  it('N3 property: every instant lies in its business day, which is 24 h long', () => {
    fc.assert(
      fc.property(fc.integer({ min: utc('2000-01-01T00:00:00Z'), max: utc('2100-01-01T00:00:00Z') }), (ms) => {
        const day = businessDayOf(ms);
        const start = startOfBusinessDay(day);
        expect(start).toBeLessThanOrEqual(ms);
        expect(ms).toBeLessThan(start + 24 * 3600_000);
        expect(new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)).toBe(day);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('N3 times are written in ISO 8601 with the +08:00 offset', () => {
  it.each([
    ['2026-11-30T01:05:09.007Z', '2026-11-30T09:05:09.007+08:00'],
    ['2026-11-30T16:00:00.000Z', '2026-12-01T00:00:00.000+08:00'],
    ['2026-11-30T15:59:59.999Z', '2026-11-30T23:59:59.999+08:00'],
  ])('N3 %s → %s', (iso, shanghai) => {
    expect(toShanghaiIso(utc(iso))).toBe(shanghai);
  });

  it('N3 property: the ISO text parses back to the same instant and starts with the business day', () => {
    fc.assert(
      fc.property(fc.integer({ min: utc('2000-01-01T00:00:00Z'), max: utc('2100-01-01T00:00:00Z') }), (ms) => {
        const iso = toShanghaiIso(ms);
        expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
        expect(Date.parse(iso)).toBe(ms);
        expect(iso.slice(0, 10)).toBe(businessDayOf(ms));
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});

describe('I4 issuing hours in Shanghai time', () => {
  it.each([
    ['2026-11-29T16:00:00Z', 0],
    ['2026-11-30T00:30:00Z', 8 * 60 + 30],
    ['2026-11-30T15:59:59Z', 23 * 60 + 59],
  ])('I4 minuteOfDay(%s) = %i', (iso, minute) => {
    expect(minuteOfDay(utc(iso))).toBe(minute);
  });

  it.each([
    ['00:00', 0],
    ['08:30', 510],
    ['11:45', 705],
    ['23:59', 1439],
    ['24:00', 1440],
  ])('I4 parseHhMm(%s) = %i', (text, minute) => {
    expect(parseHhMm(text)).toBe(minute);
  });

  it.each(['24:01', '25:00', '8:30', '08:60', '0830', '', '08:30:00'])('I4 parseHhMm(%j) throws', (text) => {
    expect(() => parseHhMm(text)).toThrow();
  });

  it.each([
    ['2026-11-30', 1, 'a Monday (the fixtures’ MONDAY_9AM)'],
    ['2026-11-29', 0, 'a Sunday'],
    ['2026-10-10', 6, 'a Saturday'],
    ['2026-01-01', 4, 'a Thursday'],
    ['2000-01-01', 6, 'a Saturday'],
  ])('I4 weekdayOf(%s) = %i, %s', (day, weekday) => {
    expect(weekdayOf(day)).toBe(weekday);
  });
});
