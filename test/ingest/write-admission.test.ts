import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiskFloor } from '../../src/ingest/disk-floor.js';
import { KeyQuota, MAX_TRACKED_KEYS } from '../../src/ingest/key-quota.js';

describe('DiskFloor', () => {
  it('reads the free space at most once a second, and refuses once it is at or under the floor', async () => {
    let now = 0;
    let free = 2000;
    let reads = 0;
    const floor = new DiskFloor('/data', 1000, async () => { reads++; return free; }, () => now);
    assert.equal(await floor.allowsWrites(), true);
    for (let i = 0; i < 100; i++) await floor.allowsWrites();
    assert.equal(reads, 1);
    free = 1000;
    now = 999;
    assert.equal(await floor.allowsWrites(), true, 'the last reading holds within the second');
    now = 1000;
    await floor.allowsWrites();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(reads, 2);
    assert.equal(await floor.allowsWrites(), false);
  });

  it('lets writes through when the free space cannot be read at all', async () => {
    const floor = new DiskFloor('/gone', 1000, () => Promise.reject(new Error('ENOENT')), () => 0);
    assert.equal(await floor.allowsWrites(), true);
  });
});

describe('KeyQuota', () => {
  const DAY = 86_400_000;

  it('counts reports and bytes per key per UTC day and refuses what would pass either, with the seconds left in the day', () => {
    let now = 10 * DAY + DAY - 30_000;
    const quota = new KeyQuota({ reportsPerDay: 3, bytesPerDay: 100 }, () => now);
    assert.equal(quota.take(1, 2, 50).ok, true);
    assert.deepEqual(quota.take(1, 2, 10), { ok: false, retryAfterSeconds: 30 });
    assert.deepEqual(quota.take(1, 1, 51), { ok: false, retryAfterSeconds: 30 });
    assert.equal(quota.take(1, 1, 50).ok, true);
    assert.equal(quota.take(2, 3, 100).ok, true, 'each key has its own');
    now += 30_000;
    assert.equal(quota.take(1, 3, 100).ok, true, 'a new day starts over');
  });

  it('gives back what a failed commit took', () => {
    const quota = new KeyQuota({ reportsPerDay: 1, bytesPerDay: 0 }, () => 0);
    const taken = quota.take(1, 1, 0);
    assert.ok(taken.ok);
    taken.undo();
    assert.equal(quota.take(1, 1, 0).ok, true);
  });

  it(`tracks at most ${MAX_TRACKED_KEYS} keys, forgetting the oldest`, () => {
    const quota = new KeyQuota({ reportsPerDay: 1, bytesPerDay: 0 }, () => 0);
    for (let id = 0; id <= MAX_TRACKED_KEYS; id++) assert.equal(quota.take(id, 1, 0).ok, true);
    assert.equal(quota.take(0, 1, 0).ok, true, 'key 0 was forgotten');
    assert.equal(quota.take(MAX_TRACKED_KEYS, 1, 0).ok, false, 'the newest is still counted');
  });
});
