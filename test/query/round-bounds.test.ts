import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { roundBounds, ROUND_STEPS } from '../../src/store/contract/percentile.js';

/** The round widths as decimals the test writes itself: 1, 2, 5 × 10^k. */
function isRoundWidth(width: number): boolean {
  const exponent = Math.floor(Math.log10(width));
  return [exponent - 1, exponent, exponent + 1].some((k) => [1, 2, 5].some((m) => Math.abs(width - m * 10 ** k) <= 1e-6 * width));
}

describe('round histogram bins', () => {
  it('picks the smallest of 1, 2, 5 × 10^k that covers the range in the bins asked for', () => {
    assert.deepEqual(roundBounds(0, 10, 4).map((b) => b.from), [0, 5, 10]);
    assert.deepEqual(roundBounds(100, 497, 20).slice(0, 3), [{ from: 100, to: 120 }, { from: 120, to: 140 }, { from: 140, to: 160 }]);
    assert.deepEqual(roundBounds(0.13, 0.71, 3).map((b) => b.from), [0, 0.2, 0.4, 0.6], 'decimal edges are the decimals, not 3 × 0.2');
    assert.deepEqual(roundBounds(-7, 13, 4).map((b) => b.from), [-10, -5, 0, 5, 10]);
  });

  it('keeps one bin [min, max] for a single value', () => {
    assert.deepEqual(roundBounds(42, 42, 20), [{ from: 42, to: 42 }]);
  });

  it('lists the round steps smallest first', () => {
    const widths = ROUND_STEPS.numerators.map((n, i) => n / (ROUND_STEPS.divisors[i] ?? NaN));
    assert.deepEqual(widths, [...widths].sort((a, b) => a - b));
    assert.equal(widths[0], 1e-15);
  });

  it('covers [min, max] with at most buckets + 2 contiguous round bins, whatever the values', () => {
    const finite = fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true });
    fc.assert(fc.property(finite, finite, fc.integer({ min: 1, max: 50 }), (a, b, buckets) => {
      const [min, max] = a <= b ? [a, b] : [b, a];
      fc.pre(max - min > 1e-6 * Math.max(1, Math.abs(max), Math.abs(min)));
      const bins = roundBounds(min, max, buckets);
      assert.ok(bins.length >= 1 && bins.length <= buckets + 2, `${bins.length} bins for ${buckets}`);
      assert.ok((bins[0]?.from ?? NaN) <= min && max < (bins.at(-1)?.to ?? NaN), 'min and max inside');
      for (let i = 1; i < bins.length; i += 1) assert.equal(bins[i]?.from, bins[i - 1]?.to, 'contiguous');
      const width = (bins[0]?.to ?? NaN) - (bins[0]?.from ?? NaN);
      assert.ok(isRoundWidth(width), `width ${width}`);
    }), { numRuns: 500 });
  });
});
