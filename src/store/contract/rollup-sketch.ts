import type { HistogramBucket, NumericSummary, PercentileMode } from '../../model/summary.js';
import { nearestRank, roundBounds } from './percentile.js';

/**
 * The percentile sketch of the rollups (docs/decisions/0033-rollups.md): log-bucketed bins in the
 * manner of DDSketch. A value v > 0 falls in bin k = ceil(ln v / ln γ), γ = (1 + α)/(1 − α), which
 * holds (γ^(k−1), γ^k]; its representative 2γ^k/(γ + 1) is within α of every value in it.
 * Bins are stored as integers ordered like the values: ZERO_OFFSET + k for v > 0, its negation for
 * v < 0, 0 for zero, so merging sketches is a SUM of counts per bin and reading is one walk.
 */

/** Relative error of a sketched percentile (and of a histogram value's placement). */
export const SKETCH_ALPHA = 0.01;
export const SKETCH_GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
export const SKETCH_LN_GAMMA = Math.log(SKETCH_GAMMA);
/** Far above |k| for any double (|k| < 37 600 at α = 1 %), so the signs never meet. */
const ZERO_OFFSET = 100_000;

/** What an answer says of sketched percentiles. */
export const SKETCH_MODE: PercentileMode = 'sketch ±1%';

/** The bin of a value, the same arithmetic as `binSql` (rollup-sql.ts). */
export function binOf(value: number): number {
  if (value > 0) return ZERO_OFFSET + Math.ceil(Math.log(value) / SKETCH_LN_GAMMA);
  if (value < 0) return -(ZERO_OFFSET + Math.ceil(Math.log(-value) / SKETCH_LN_GAMMA));
  return 0;
}

/** The bin's representative value. */
export function binValue(bin: number): number {
  if (bin === 0) return 0;
  const k = Math.abs(bin) - ZERO_OFFSET;
  const value = (2 * SKETCH_GAMMA ** k) / (SKETCH_GAMMA + 1);
  return bin > 0 ? value : -value;
}

/** The exact parts of a numeric summary, as rollups keep them: count, sum, min, max. */
export interface NumericStats {
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
}

/** Adds exact values (a range's raw edges) to stats and bins. */
export function addValues(stats: NumericStats, bins: Map<number, number>, values: Iterable<number>): void {
  for (const value of values) {
    stats.count += 1;
    stats.sum += value;
    stats.min = stats.min === null || value < stats.min ? value : stats.min;
    stats.max = stats.max === null || value > stats.max ? value : stats.max;
    const bin = binOf(value);
    bins.set(bin, (bins.get(bin) ?? 0) + 1);
  }
}

/**
 * A numeric summary from exact stats and summed bins: count, min, max exact, mean = sum / count
 * (exact up to floating-point rounding), nearest-rank percentiles within α (the rank's bin's
 * representative, clamped to [min, max]), a histogram on the same round bins as the exact summary
 * with each sketch bin counted where its representative falls.
 */
export function sketchedNumeric(stats: NumericStats, bins: ReadonlyMap<number, number>, buckets: number): NumericSummary {
  const { count, sum, min, max } = stats;
  if (count === 0 || min === null || max === null) return { count: 0, min: null, max: null, mean: null, p50: null, p90: null, p99: null, histogram: [] };
  const sorted = [...bins.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const clamp = (value: number): number => Math.min(max, Math.max(min, value));
  const at = (percent: number): number => {
    const rank = nearestRank(percent, count);
    let seen = 0;
    for (const [bin, n] of sorted) {
      seen += n;
      if (seen >= rank) return clamp(binValue(bin));
    }
    return max;
  };
  return { count, min, max, mean: sum / count, p50: at(50), p90: at(90), p99: at(99), histogram: histogramOf(sorted, min, max, buckets, clamp) };
}

function histogramOf(sorted: readonly [number, number][], min: number, max: number, buckets: number, clamp: (v: number) => number): HistogramBucket[] {
  const histogram = roundBounds(min, max, buckets).map((b) => ({ ...b, count: 0 }));
  for (const [bin, n] of sorted) {
    const value = clamp(binValue(bin));
    let i = histogram.findIndex((b) => value < b.to);
    if (i === -1) i = histogram.length - 1;
    const bucket = histogram[i];
    if (bucket !== undefined) bucket.count += n;
  }
  return histogram;
}
