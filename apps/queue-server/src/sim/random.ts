/**
 * Seeded randomness for the simulator: mulberry32 (32-bit state, period 2^32), so the same seed gives
 * the same day on every machine. No Math.random anywhere under sim/.
 */

export type Rng = () => number;

/** mulberry32: uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Exponential with the given mean (inverse transform; 1 − u is in (0, 1]). */
export function exponential(rng: Rng, mean: number): number {
  return -mean * Math.log(1 - rng());
}

/** Standard normal (Box–Muller, one of the pair). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal with the given mean and coefficient of variation: σ² = ln(1 + cv²), μ = ln(mean) − σ²/2. */
export function logNormal(rng: Rng, mean: number, cv: number): number {
  if (cv === 0) return mean;
  const s2 = Math.log(1 + cv * cv);
  return Math.exp(Math.log(mean) - s2 / 2 + Math.sqrt(s2) * standardNormal(rng));
}
