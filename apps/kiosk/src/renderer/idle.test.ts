import { describe, expect, it } from 'vitest';
import { DEFAULT_IDLE_SECONDS, idlePhase, idleSecondsFrom, warnSecondsFor } from './idle.js';

describe('idle', () => {
  const t0 = 1_000_000;
  it('is quiet for the first 50 s of 60, counts down the last 10, then expires', () => {
    expect(idlePhase(t0, t0, 60)).toEqual({ remaining: 60, warn: false, expired: false });
    expect(idlePhase(t0, t0 + 49_999, 60)).toEqual({ remaining: 11, warn: false, expired: false });
    expect(idlePhase(t0, t0 + 50_000, 60)).toEqual({ remaining: 10, warn: true, expired: false });
    expect(idlePhase(t0, t0 + 59_100, 60)).toEqual({ remaining: 1, warn: true, expired: false });
    expect(idlePhase(t0, t0 + 60_000, 60)).toEqual({ remaining: 0, warn: false, expired: true });
    expect(idlePhase(t0, t0 + 90_000, 60).expired).toBe(true);
  });

  it('warns for half of a short timeout', () => {
    expect(warnSecondsFor(60)).toBe(10);
    expect(warnSecondsFor(8)).toBe(4);
    expect(warnSecondsFor(3)).toBe(1);
    expect(idlePhase(t0, t0 + 3_000, 8).warn).toBe(false);
    expect(idlePhase(t0, t0 + 4_500, 8)).toEqual({ remaining: 4, warn: true, expired: false });
  });

  it('reads ?idleSeconds= and falls back to 60', () => {
    expect(idleSecondsFrom('?idleSeconds=3')).toBe(3);
    expect(idleSecondsFrom('?token=x&idleSeconds=120')).toBe(120);
    expect(idleSecondsFrom('')).toBe(DEFAULT_IDLE_SECONDS);
    expect(idleSecondsFrom('?idleSeconds=0')).toBe(60);
    expect(idleSecondsFrom('?idleSeconds=abc')).toBe(60);
    expect(idleSecondsFrom('?idleSeconds=-5')).toBe(60);
  });
});
