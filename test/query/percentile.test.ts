import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoFromMicros, utcDayFromMicros } from '../../src/query/iso-micros.js';
import { equalWidthBounds, nearestRank } from '../../src/store/contract/percentile.js';

describe('summary arithmetic', () => {
  it('ranks percentiles by the nearest-rank method, without floating-point drift', () => {
    assert.equal(nearestRank(90, 10), 9, '0.9 × 10 is 9.000000000000002 in floating point; the rank is still 9');
    assert.equal(nearestRank(90, 7), 7);
    assert.equal(nearestRank(50, 4), 2);
    assert.equal(nearestRank(50, 1), 1);
    assert.equal(nearestRank(99, 1000), 990);
  });

  it('cuts [min, max] into equal widths, the last ending exactly at max', () => {
    assert.deepEqual(equalWidthBounds(0, 10, 4), [{ from: 0, to: 2.5 }, { from: 2.5, to: 5 }, { from: 5, to: 7.5 }, { from: 7.5, to: 10 }]);
    const bounds = equalWidthBounds(0.1, 0.7, 3);
    assert.equal(bounds.at(-1)?.to, 0.7);
    assert.deepEqual(equalWidthBounds(3, 3, 20), [{ from: 3, to: 3 }], 'one value: one bucket');
  });

  it('prints microsecond timestamps as ISO-8601 with six fractional digits and their UTC day', () => {
    const us = Date.UTC(2024, 1, 27, 1, 57, 24) * 1000 + 123_456;
    assert.equal(isoFromMicros(us), '2024-02-27T01:57:24.123456Z');
    assert.equal(isoFromMicros(Date.UTC(2024, 0, 1) * 1000), '2024-01-01T00:00:00.000000Z');
    assert.equal(utcDayFromMicros(Date.UTC(2024, 1, 27) * 1000 - 1), '2024-02-26');
  });
});
