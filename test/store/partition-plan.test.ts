import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PARTITION_INTERVALS } from '../../src/model/partition-interval.js';
import { intervalStart, nextIntervalStart, parsePartitionBound, partitionName, planPartitions, type PartitionRange } from '../../src/store/postgres/partition-plan.js';

const us = (year: number, month: number, day: number, hour = 0): number => Date.UTC(year, month - 1, day, hour) * 1000;
const span = (range: PartitionRange): [string, string] => [new Date(range.fromUs / 1000).toISOString().slice(0, 10), new Date(range.toUs / 1000).toISOString().slice(0, 10)];

describe('PostgreSQL partition plan', () => {
  it('starts days at UTC midnight, weeks on Monday and months on the first, and knows month lengths', () => {
    assert.equal(intervalStart('day', us(2024, 6, 15, 13)), us(2024, 6, 15));
    assert.equal(intervalStart('week', us(2024, 6, 15, 13)), us(2024, 6, 10));
    assert.equal(intervalStart('week', us(2024, 6, 10)), us(2024, 6, 10));
    assert.equal(nextIntervalStart('week', us(2024, 6, 16, 23)), us(2024, 6, 17));
    assert.equal(nextIntervalStart('month', us(2024, 2, 29, 23)), us(2024, 3, 1));
    assert.equal(nextIntervalStart('month', us(2024, 12, 31)), us(2025, 1, 1));
  });

  it('names whole months as before and everything else after its first day', () => {
    assert.equal(partitionName({ fromUs: us(2024, 6, 1), toUs: us(2024, 7, 1) }), 'telemetry_2024_06');
    assert.equal(partitionName({ fromUs: us(2024, 6, 1), toUs: us(2024, 6, 2) }), 'telemetry_2024_06_01');
    assert.equal(partitionName({ fromUs: us(2024, 6, 23), toUs: us(2024, 7, 1) }), 'telemetry_2024_06_23');
  });

  it('reads the bounds PostgreSQL prints, and nothing from a DEFAULT partition', () => {
    assert.deepEqual(parsePartitionBound("FOR VALUES FROM ('1717200000000000') TO ('1719792000000000')"), { fromUs: 1717200000000000, toUs: 1719792000000000 });
    assert.deepEqual(parsePartitionBound('FOR VALUES FROM (5) TO (9)'), { fromUs: 5, toUs: 9 });
    assert.equal(parsePartitionBound('DEFAULT'), null);
  });

  it('starts a new size where the last existing partition ends, with a shorter one up to the next boundary', () => {
    const june = { fromUs: us(2024, 6, 1), toUs: us(2024, 7, 1) };
    assert.deepEqual(planPartitions('week', us(2024, 6, 28), 1, [june]).map(span), [['2024-07-01', '2024-07-08']]);
    const toMidWeek = { fromUs: us(2024, 6, 1), toUs: us(2024, 6, 19) };
    assert.deepEqual(planPartitions('week', us(2024, 6, 18), 1, [toMidWeek]).map(span), [['2024-06-19', '2024-06-24'], ['2024-06-24', '2024-07-01']]);
  });

  it('never overlaps existing partitions of any size and leaves nothing uncovered up to the horizon', () => {
    const day = 86_400_000_000;
    const existingArb = fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 1, max: 40 })), { maxLength: 6 });
    fc.assert(fc.property(fc.constantFrom(...PARTITION_INTERVALS), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 8 }), existingArb, (interval, nowDay, ahead, raw) => {
      const base = us(2024, 1, 1);
      // Disjoint existing ranges, as PostgreSQL guarantees: each starts at or after the previous end.
      const existing: PartitionRange[] = [];
      let at = base;
      for (const [gap, length] of raw) {
        existing.push({ fromUs: at + gap * day, toUs: at + (gap + length) * day });
        at += (gap + length) * day;
      }
      const nowUs = base + nowDay * day + 5;
      const planned = planPartitions(interval, nowUs, ahead, existing);
      const all = [...existing, ...planned].sort((a, b) => a.fromUs - b.fromUs);
      for (let i = 1; i < all.length; i += 1) assert.ok((all[i - 1]?.toUs ?? 0) <= (all[i]?.fromUs ?? 0), 'no overlap');
      for (const range of planned) assert.ok(range.fromUs < range.toUs && range.toUs - range.fromUs <= 31 * day);
      let horizon = intervalStart(interval, nowUs);
      for (let i = 0; i <= ahead; i += 1) horizon = nextIntervalStart(interval, horizon);
      for (let t = intervalStart(interval, nowUs); t < horizon; t += day / 2) {
        assert.ok(all.some((range) => range.fromUs <= t && t < range.toUs), `covered at ${t}`);
      }
    }));
  });
});
