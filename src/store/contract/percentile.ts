/**
 * Pure arithmetic shared by every backend's summary, so that all of them bucket and rank the
 * same way and the admin API's documentation holds for each.
 */

/** Half-open [from, to) bounds; the last one's `to` is the maximum itself (closed). */
export interface Bounds {
  from: number;
  to: number;
}

/**
 * `count` equal-width buckets between min and max. When every value is the same there is
 * nothing to divide, so there is one bucket [min, max].
 */
export function equalWidthBounds(min: number, max: number, count: number): Bounds[] {
  if (!(max > min) || count <= 1) return [{ from: min, to: max }];
  const width = (max - min) / count;
  return Array.from({ length: count }, (_, i) => ({
    from: min + i * width,
    to: i === count - 1 ? max : min + (i + 1) * width,
  }));
}

/**
 * The round widths a histogram may have, 1, 2 or 5 × 10^k for k in [-15, 22], smallest first,
 * each as numerator / divisor (both exactly representable: a divisor is 1 or 10^j with j ≤ 15)
 * so that bin edges are (i × numerator) / divisor: one correctly rounded division, which every
 * IEEE-754 backend computes to the same double (0.6 is 6 / 10, not 3 × 0.2). PostgreSQL gets
 * the same two arrays as parameters (postgres/summary-sql.ts).
 */
export const ROUND_STEPS: { readonly numerators: readonly number[]; readonly divisors: readonly number[] } = (() => {
  const numerators: number[] = [];
  const divisors: number[] = [];
  for (let k = -15; k <= 22; k += 1) {
    for (const m of [1, 2, 5]) {
      numerators.push(k >= 0 ? Number(`${m}e${k}`) : m);
      divisors.push(k >= 0 ? 1 : Number(`1e${-k}`));
    }
  }
  return { numerators, divisors };
})();

/**
 * Histogram bins of a round width (ROUND_STEPS) whose edges are multiples of it: the smallest
 * round width that covers [min, max] in `count` bins, starting at the multiple at or below min,
 * so count + 1 bins at most (count + 2 when rounding puts min just below an edge), each
 * [from, to), the last one's `to` above max. One value (or no
 * round width fits: a range wider than 5 × 10^22 per bin, or narrower than 10^-15) falls back
 * to equalWidthBounds. Every step is mirrored in postgres/summary-sql.ts, operation for operation.
 */
export function roundBounds(min: number, max: number, count: number): Bounds[] {
  if (!(max > min) || count < 1) return equalWidthBounds(min, max, count);
  const raw = (max - min) / count;
  const step = ROUND_STEPS.numerators.findIndex((n, i) => n / (ROUND_STEPS.divisors[i] ?? 1) >= raw);
  const num = ROUND_STEPS.numerators[step];
  const div = ROUND_STEPS.divisors[step];
  if (num === undefined || div === undefined) return equalWidthBounds(min, max, count);
  const edge = (k: number): number => (k * num) / div;
  let start = Math.floor((min * div) / num);
  // One rounding of min·div/num can land one step off; these two checks put start's edge at or below min, the next above it.
  start -= edge(start) > min ? 1 : 0;
  start += edge(start + 1) <= min ? 1 : 0;
  const bounds: Bounds[] = [];
  for (let i = 0; i <= count + 1 && edge(start + i) <= max; i += 1) bounds.push({ from: edge(start + i), to: edge(start + i + 1) });
  return bounds;
}

/**
 * The 1-based rank of the `percent`th percentile among n sorted values, nearest-rank method:
 * the smallest value with at least percent % of the values at or below it. Integer arithmetic,
 * so that 90 % of 10 is rank 9, not 10 through rounding.
 */
export function nearestRank(percent: number, n: number): number {
  return Math.max(1, Math.ceil((percent * n) / 100));
}
