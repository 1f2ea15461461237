import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommitter } from '../../src/ingest/group-commit.js';
import type { TelemetryStore } from '../../src/store/contract/store.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';

/** A telemetry store that records the groups it is asked to commit, and can be told to fail. */
class RecordingStore implements TelemetryStore {
  groups: number[] = [];
  /** Every insert fails, as with a full disk. */
  broken = false;
  /** Inserts that contain this record fail, as with a record the store cannot take. */
  poison: NewTelemetryRecord | null = null;
  /** Most inserts that were running at the same time. */
  mostAtOnce = 0;
  /** What happened in order: `commit N` when the store is handed its Nth group (tests add their own). */
  events: string[] = [];
  private running = 0;
  private nextId = 1;
  async insertMany(records: readonly NewTelemetryRecord[]): Promise<number[]> {
    this.events.push(`commit ${this.events.filter((e) => e.startsWith('commit')).length + 1}`);
    this.running++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running);
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.running--;
    if (this.broken || records.some((r) => r === this.poison)) throw new Error('cannot store');
    this.groups.push(records.length);
    return records.map(() => this.nextId++);
  }
  async insertUnique(records: readonly NewTelemetryRecord[]): Promise<number[]> {
    return this.insertMany(records);
  }
  async list(): Promise<never[]> {
    return [];
  }
  async query(): Promise<never[]> {
    return [];
  }
  async count(): Promise<number> {
    return this.nextId - 1;
  }
  async summarize(): Promise<never> {
    throw new Error('not used by the group committer');
  }
  async activity(): Promise<never> {
    throw new Error('not used by the group committer');
  }
  async installs(): Promise<never> {
    throw new Error('not used by the group committer');
  }
  async insights(): Promise<never> {
    throw new Error('not used by the group committer');
  }
  async versionSeries(): Promise<never> {
    throw new Error('not used by the group committer');
  }
}

const record = {} as NewTelemetryRecord;

describe('group commit', () => {
  it('commits reports that arrive in the same event-loop turn in one transaction, up to the batch size', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 50, windowMs: 0 });
    const ids = await Promise.all(Array.from({ length: 120 }, () => committer.append(record)));
    assert.deepEqual(store.groups, [50, 50, 20]);
    assert.deepEqual(ids, Array.from({ length: 120 }, (_, i) => i + 1), 'each caller gets its own id, in order');
  });

  it('waits windowMs for company before committing', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 500, windowMs: 20 });
    const first = committer.append(record);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = committer.append(record);
    await Promise.all([first, second]);
    assert.deepEqual(store.groups, [2]);
  });

  it('rejects every caller when the store cannot commit at all, and commits again once it can', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 500, windowMs: 0 });
    store.broken = true;
    const failed = await Promise.allSettled([committer.append(record), committer.append(record)]);
    assert.deepEqual(failed.map((r) => r.status), ['rejected', 'rejected']);
    assert.equal(committer.depth, 0);
    store.broken = false;
    assert.equal(await committer.append(record), 1);
  });

  it('isolates a record the store refuses: only its caller is rejected, the rest of its group is committed', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 500, windowMs: 0 });
    const poison = { ...record };
    store.poison = poison;
    const results = await Promise.allSettled([committer.append(record), committer.append(poison), committer.append(record)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(committer.depth, 0);
  });

  it('keeps a batch (appendAll) whole in one group, even past maxBatch, and gives each caller its own ids', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 10, windowMs: 0 });
    const single = committer.append(record);
    const batch = committer.appendAll(Array.from({ length: 12 }, () => record));
    const after = committer.append(record);
    assert.equal(await single, 1);
    assert.deepEqual(await batch, Array.from({ length: 12 }, (_, i) => i + 2));
    assert.equal(await after, 14);
    assert.deepEqual(store.groups, [1, 12, 1]);
    assert.equal(committer.depth, 0);
  });

  it('fails a batch the store refuses as a whole, and commits the other callers of its group', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 500, windowMs: 0 });
    const poison = { ...record };
    store.poison = poison;
    const results = await Promise.allSettled([committer.append(record), committer.appendAll([record, poison, record]), committer.append(record)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.equal(await store.count(), 2, 'none of the batch was stored');
    assert.equal(committer.depth, 0);
  });

  it('hands the store one group at a time by default', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 10, windowMs: 0 });
    await Promise.all(Array.from({ length: 5 }, () => committer.appendAll(Array.from({ length: 10 }, () => record))));
    assert.equal(store.mostAtOnce, 1);
    assert.deepEqual(store.groups, [10, 10, 10, 10, 10]);
  });

  it('hands the store up to maxCommitsInFlight groups at once, and commits every record once', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 10, windowMs: 0, maxCommitsInFlight: 2 });
    const ids = await Promise.all(Array.from({ length: 5 }, () => committer.appendAll(Array.from({ length: 10 }, () => record))));
    assert.equal(store.mostAtOnce, 2);
    assert.deepEqual(store.groups, [10, 10, 10, 10, 10]);
    assert.equal(new Set(ids.flat()).size, 50);
    await committer.drain();
    assert.equal(committer.depth, 0);
  });

  it('answers a group before handing the store the next one by default', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 10, windowMs: 0 });
    const batches = Array.from({ length: 3 }, (_, i) => committer.appendAll(Array.from({ length: 10 }, () => record)).then(() => store.events.push(`answered ${i + 1}`)));
    await Promise.all(batches);
    assert.deepEqual(store.events, ['commit 1', 'answered 1', 'commit 2', 'answered 2', 'commit 3', 'answered 3']);
  });

  it('with nextGroupFirst hands the store the next group before answering the committed one, still one at a time', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 10, windowMs: 0, nextGroupFirst: true });
    const batches = Array.from({ length: 3 }, (_, i) => committer.appendAll(Array.from({ length: 10 }, () => record)).then(() => store.events.push(`answered ${i + 1}`)));
    await Promise.all(batches);
    assert.deepEqual(store.events, ['commit 1', 'commit 2', 'answered 1', 'commit 3', 'answered 2', 'answered 3']);
    assert.equal(store.mostAtOnce, 1);
  });

  it('with nextGroupFirst, drain waits until every caller is answered', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 1, windowMs: 0, nextGroupFirst: true });
    const answered: (number | null)[] = [];
    for (let i = 0; i < 4; i++) void committer.append(record).then((id) => answered.push(id));
    await committer.drain();
    assert.deepEqual(store.groups, [1, 1, 1, 1]);
    assert.deepEqual(answered, [1, 2, 3, 4]);
    assert.equal(committer.depth, 0);
  });

  it('with nextGroupFirst still isolates a record the store refuses', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 10, windowMs: 0, nextGroupFirst: true });
    const bad = {} as NewTelemetryRecord;
    store.poison = bad;
    const results = await Promise.allSettled([committer.append(record), committer.append(bad), committer.append(record)]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    await committer.drain();
    assert.equal(committer.depth, 0);
  });

  it('drain waits until everything queued is committed', async () => {
    const store = new RecordingStore();
    const committer = new GroupCommitter(store, { maxBatch: 500, windowMs: 1000 });
    const pending = Promise.all([committer.append(record), committer.append(record)]);
    await committer.drain();
    assert.deepEqual(store.groups, [2]);
    assert.equal(committer.depth, 0);
    await pending;
  });
});
