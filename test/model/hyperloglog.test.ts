import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { HLL_REGISTERS, HyperLogLog, SPARSE_MAX } from '../../src/model/hyperloglog.js';

function sketchOf(texts: Iterable<string>): HyperLogLog {
  const sketch = new HyperLogLog();
  for (const text of texts) sketch.add(text);
  return sketch;
}

const machines = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `machine-${from + i}`);

describe('HyperLogLog', () => {
  it('counts a small set exactly (sparse form), however often each text is added', () => {
    const sketch = sketchOf([...machines(0, 300), ...machines(0, 300)]);
    assert.equal(sketch.estimate(), 300);
    assert.equal(sketch.encode()[0], 1, 'still sparse');
  });

  it('estimates a large set within 3 standard errors (1.6 % each)', () => {
    for (const size of [5_000, 50_000]) {
      const estimate = sketchOf(machines(0, size)).estimate();
      assert.ok(Math.abs(estimate - size) / size <= 3 * 0.0163, `${estimate} for ${size}`);
    }
  });

  it('turns dense past SPARSE_MAX slots, and its bytes decode to the same estimate', () => {
    const sketch = sketchOf(machines(0, SPARSE_MAX * 3));
    const bytes = sketch.encode();
    assert.equal(bytes[0], 2);
    assert.equal(bytes.length, HLL_REGISTERS + 1);
    assert.equal(HyperLogLog.decode(bytes).estimate(), sketch.estimate());
  });

  it('merges to the sketch of the union, from objects or from stored bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 3000 }), (a, b, overlap) => {
        const left = machines(0, a);
        const right = machines(Math.max(0, a - overlap), a + b);
        const union = sketchOf([...left, ...right]);
        const merged = sketchOf(left);
        merged.merge(sketchOf(right));
        const fromBytes = sketchOf(left);
        fromBytes.mergeBytes(sketchOf(right).encode());
        assert.equal(merged.estimate(), union.estimate());
        assert.equal(fromBytes.estimate(), union.estimate());
      }),
      { numRuns: 30 },
    );
  });

  it('says a stored sketch covers what it already holds, and not a text it lacks, sparse or dense', () => {
    for (const size of [0, 40, SPARSE_MAX * 4]) {
      const stored = sketchOf(machines(0, size)).encode();
      const seen = sketchOf(machines(0, Math.min(size, 25)));
      assert.equal(HyperLogLog.covers(stored, seen), true, `seen texts, ${size} stored`);
      // A text not in the set: in a sparse sketch always new; in a dense one new unless its
      // register already holds as high a rank, so look for one that changes the estimate.
      const fresh = machines(size, size + 200).map((text) => sketchOf([text])).find((one) => {
        const merged = HyperLogLog.decode(stored);
        const before = merged.encode();
        merged.merge(one);
        return !merged.encode().equals(before);
      });
      assert.ok(fresh !== undefined);
      assert.equal(HyperLogLog.covers(stored, fresh), false, `a new text, ${size} stored`);
    }
  });

  it('covers exactly when merging would leave the stored bytes unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2500 }), fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 30 }), (size, picks) => {
        const stored = sketchOf(machines(0, size)).encode();
        const delta = sketchOf(picks.map((i) => `machine-${i}`));
        const merged = HyperLogLog.decode(stored);
        merged.merge(delta);
        assert.equal(HyperLogLog.covers(stored, delta), merged.encode().equals(stored));
      }),
      { numRuns: 60 },
    );
  });
});
