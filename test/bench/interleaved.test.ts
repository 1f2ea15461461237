import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median } from '../../bench/interleaved.js';

describe('median of the interleaved slices', () => {
  it('is the middle value of an odd count and the mean of the two middle ones of an even count, in any order', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([1.07]), 1.07);
  });

  it('is not moved by one slice the machine stalled in', () => {
    assert.equal(median([1.02, 0.99, 1.01, 4.1, 1.0]), 1.01);
  });

  it('is NaN for no slices', () => {
    assert.ok(Number.isNaN(median([])));
  });
});
