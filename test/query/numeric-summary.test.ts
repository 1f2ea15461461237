import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lowerBound, numericSummaryOf } from '../../src/store/contract/numeric-summary.js';
import { MinMaxBuckets } from '../../src/store/contract/xy-downsample.js';

const sorted = (values: number[]): Float64Array => Float64Array.from(values).sort();

describe('numeric summary of sorted values', () => {
  it('gives exact nearest-rank percentiles, min, max and mean', () => {
    const summary = numericSummaryOf(sorted([5, -2, 10, 3.5, 3.5, 8, 0, 12, 7, 1]), 4);
    assert.deepEqual([summary.count, summary.min, summary.max, summary.p50, summary.p90, summary.p99], [10, -2, 12, 3.5, 10, 12]);
    assert.equal(summary.mean, 4.8);
  });

  it('keeps the mean exact where a plain running sum would drift', () => {
    const values = [1e16, 1, 1, 1, 1, -1e16];
    assert.notEqual(values.reduce((a, b) => a + b, 0) / values.length, 4 / 6, 'the naive sum loses the ones');
    assert.equal(numericSummaryOf(sorted(values), 1).mean, 4 / 6);
  });

  it('counts each value in the round bin [from, to) that holds it', () => {
    const { histogram } = numericSummaryOf(sorted([0, 1, 2.5, 4.99, 5, 7.5, 9, 10, 10]), 4);
    assert.deepEqual(histogram.map((b) => [b.from, b.count]), [[0, 4], [5, 3], [10, 2]]);
  });

  it('is empty, with nulls, for no values', () => {
    assert.deepEqual(numericSummaryOf(new Float64Array(0), 20), { count: 0, min: null, max: null, mean: null, p50: null, p90: null, p99: null, histogram: [] });
  });

  it('finds the first index at or above a value', () => {
    const values = sorted([1, 2, 2, 2, 3]);
    assert.deepEqual([0, 1, 2, 2.5, 3, 4].map((v) => lowerBound(values, v)), [0, 0, 1, 4, 4, 5]);
  });
});

describe('min/max downsampling of xy points', () => {
  it('keeps the lowest and highest point of each x bucket, ordered by x, in whatever order points come', () => {
    const buckets = new MinMaxBuckets(0, 10, 2);
    for (const [x, y] of [[9, 1], [1, 5], [2, -3], [4, 2], [10, 7], [6, 7]] as const) buckets.add(x, y, x * 100);
    assert.deepEqual(buckets.points().map((p) => [p.x, p.y, p.created_at_us]), [[1, 5, 100], [2, -3, 200], [9, 1, 900], [10, 7, 1000]], 'a tie keeps the first point seen');
  });

  it('returns a bucket with one point once, and skips empty buckets', () => {
    const buckets = new MinMaxBuckets(0, 100, 10);
    buckets.add(5, 1, 1);
    buckets.add(100, 2, 2);
    assert.deepEqual(buckets.points().map((p) => p.x), [5, 100]);
  });

  it('puts everything in one bucket when all x are equal', () => {
    const buckets = new MinMaxBuckets(3, 3, 5);
    for (const y of [4, -1, 9, 2]) buckets.add(3, y, 0);
    assert.deepEqual(buckets.points().map((p) => p.y), [-1, 9]);
  });
});
