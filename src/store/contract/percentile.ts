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
 * The 1-based rank of the `percent`th percentile among n sorted values, nearest-rank method:
 * the smallest value with at least percent % of the values at or below it. Integer arithmetic,
 * so that 90 % of 10 is rank 9, not 10 through rounding.
 */
export function nearestRank(percent: number, n: number): number {
  return Math.max(1, Math.ceil((percent * n) / 100));
}
