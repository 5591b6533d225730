import { describe, expect, it } from 'vitest';
import { erlangC, erlangCMeanWait, erlangCServiceLevel } from './erlang.js';

describe('Erlang C', () => {
  it('matches the textbook value for c = 3, a = 2: C = 4/9', () => {
    // Σ_{k<3} a^k/k! = 1 + 2 + 2 = 5; a^c/c! · c/(c − a) = 8/6 · 3 = 4; C = 4 / (5 + 4).
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 12);
  });

  it('is the M/M/1 probability of waiting ρ when c = 1', () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(erlangCMeanWait(0.7, 1, 1)).toBeCloseTo(0.7 / 0.3, 12); // Wq = ρ / (μ − λ)
  });

  it('is the M/M/2 closed form 2ρ²/(1 + ρ), and the direct sum for c = 4, a = 3.2', () => {
    for (const rho of [0.1, 0.5, 0.8, 0.95]) expect(erlangC(2, 2 * rho)).toBeCloseTo((2 * rho * rho) / (1 + rho), 12);
    // The textbook sum: C = (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)).
    const a = 3.2;
    const c = 4;
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    const top = (a ** c / fact(c)) * (c / (c - a));
    let sum = 0;
    for (let k = 0; k < c; k++) sum += a ** k / fact(k);
    expect(erlangC(c, a)).toBeCloseTo(top / (sum + top), 12);
    expect(erlangC(c, a)).toBeCloseTo(0.5964, 4);
    // Wq = C / (cμ − λ) with μ = 0.1/min, λ = 0.32/min: 0.5964 / 0.08 ≈ 7.455 min.
    expect(erlangCMeanWait(0.32, 0.1, 4)).toBeCloseTo(7.4554, 3);
    expect(erlangCServiceLevel(0.32, 0.1, 4, 0)).toBeCloseTo(1 - 0.5964, 4);
  });

  it('saturates: a ≥ c always waits, the mean wait is infinite', () => {
    expect(erlangC(4, 4)).toBe(1);
    expect(erlangCMeanWait(1, 0.25, 4)).toBe(Number.POSITIVE_INFINITY);
  });

  it('refuses a non-integer number of servers', () => {
    expect(() => erlangC(2.5, 1)).toThrow(/positive integer/);
  });
});
