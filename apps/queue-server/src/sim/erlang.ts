/**
 * Erlang C: the M/M/c queue's probability of waiting and mean wait, the baseline the simulator is checked
 * against (and, later, the per-hour staffing baseline of issue 6).
 */

/**
 * P(wait > 0) in an M/M/c queue with offered load a = λ/μ (Erlangs) and c servers, a < c. Computed with the
 * Erlang B recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), then C = c·B / (c − a·(1 − B)), which is
 * stable for large c.
 */
export function erlangC(c: number, a: number): number {
  if (!Number.isInteger(c) || c < 1) throw new Error(`erlangC: c must be a positive integer, got ${c}`);
  if (!(a >= 0)) throw new Error(`erlangC: the load must be ≥ 0, got ${a}`);
  if (a >= c) return 1;
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return (c * b) / (c - a * (1 - b));
}

/** Mean wait in queue Wq = C(c, a) / (c·μ − λ), in the unit of 1/λ. Infinity when λ ≥ c·μ. */
export function erlangCMeanWait(lambda: number, mu: number, c: number): number {
  if (lambda >= c * mu) return Number.POSITIVE_INFINITY;
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** P(wait ≤ t) = 1 − C·e^{−(cμ − λ)t} in an M/M/c queue. */
export function erlangCServiceLevel(lambda: number, mu: number, c: number, t: number): number {
  if (lambda >= c * mu) return 0;
  return 1 - erlangC(c, lambda / mu) * Math.exp(-(c * mu - lambda) * t);
}
