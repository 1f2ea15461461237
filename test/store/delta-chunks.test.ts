import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deltaChunks } from '../../src/store/postgres/delta-chunks.js';

const DAY_US = 86_400_000_000;

describe('ranges of an expired partition\'s rollup deltas', () => {
  it('joins consecutive buckets up to the row limit, never splitting one, each range starting where the last ended', () => {
    const groups = [{ atUs: 10, rows: 3 }, { atUs: 20, rows: 4 }, { atUs: 30, rows: 9 }, { atUs: 40, rows: 1 }, { atUs: 50, rows: 1 }];
    assert.deepEqual(deltaChunks(groups, 8, 1), [
      { loUs: 10, hiUs: 20, nextUs: 21 },
      { loUs: 30, hiUs: 30, nextUs: 31 },
      { loUs: 40, hiUs: 50, nextUs: 51 },
    ]);
    assert.deepEqual(deltaChunks([], 8, 1), []);
  });

  it('makes ranges of whole days for days', () => {
    assert.deepEqual(deltaChunks([{ atUs: 0, rows: 5 }, { atUs: DAY_US, rows: 5 }], 6, DAY_US), [
      { loUs: 0, hiUs: DAY_US - 1, nextUs: DAY_US },
      { loUs: DAY_US, hiUs: 2 * DAY_US - 1, nextUs: 2 * DAY_US },
    ]);
  });

  it('covers every group exactly once, in order, within the limit unless a group alone exceeds it', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 40 }), fc.integer({ min: 1, max: 100 }), (sizes, limit) => {
      const groups = sizes.map((rows, i) => ({ atUs: i * 10, rows }));
      const chunks = deltaChunks(groups, limit, 1);
      for (const group of groups) assert.equal(chunks.filter((c) => c.loUs <= group.atUs && group.atUs <= c.hiUs).length, 1);
      chunks.forEach((chunk, i) => {
        if (i > 0) assert.ok(chunk.loUs >= (chunks[i - 1]?.nextUs ?? 0));
        const inside = groups.filter((g) => chunk.loUs <= g.atUs && g.atUs <= chunk.hiUs);
        const rows = inside.reduce((sum, g) => sum + g.rows, 0);
        assert.ok(rows <= limit || inside.length === 1);
      });
    }));
  });
});
