import { nearestRank, roundBounds } from './percentile.js';
import type { NumericSummary } from '../../model/summary.js';

const EMPTY: NumericSummary = { count: 0, min: null, max: null, mean: null, p50: null, p90: null, p99: null, histogram: [] };

/**
 * Every number of the numeric part of a summary, exactly, from the values sorted ascending:
 * nearest-rank percentiles, a compensated (Neumaier) mean, and a histogram on round bins whose
 * bucket counts come from binary searches. Pure, so every backend that can hand over the
 * values agrees to the last digit.
 */
export function numericSummaryOf(sorted: Float64Array, buckets: number): NumericSummary {
  const count = sorted.length;
  if (count === 0) return EMPTY;
  const at = (percent: number): number => sorted[nearestRank(percent, count) - 1] ?? NaN;
  const bounds = roundBounds(sorted[0] ?? NaN, sorted[count - 1] ?? NaN, buckets);
  const starts = bounds.map((b) => lowerBound(sorted, b.from));
  return {
    count,
    min: sorted[0] ?? null,
    max: sorted[count - 1] ?? null,
    mean: neumaierSum(sorted) / count,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    histogram: bounds.map((b, i) => ({ from: b.from, to: b.to, count: (starts[i + 1] ?? count) - (starts[i] ?? 0) })),
  };
}

/** The index of the first value ≥ target (values sorted ascending). */
export function lowerBound(sorted: Float64Array, target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? NaN) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A sum whose rounding error does not grow with the number of values. */
function neumaierSum(values: Float64Array): number {
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const t = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - t + value : value - t + sum;
    sum = t;
  }
  return sum + compensation;
}
