import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommitter } from '../../../src/ingest/group-commit.js';
import type { TelemetryStore } from '../../../src/store/contract/store.js';
import { isStoreUnavailable } from '../../../src/store/contract/store-unavailable.js';
import type { NewTelemetryRecord } from '../../../src/model/record.js';

/** A store whose every insert fails with `error`, counting the attempts. */
class FailingStore implements TelemetryStore {
  attempts = 0;
  constructor(private readonly error: Error) {}
  async insertMany(): Promise<number[]> {
    this.attempts++;
    throw this.error;
  }
  async insertUnique(): Promise<number[]> {
    return this.insertMany();
  }
  async list(): Promise<never[]> {
    return [];
  }
  async query(): Promise<never[]> {
    return [];
  }
  async count(): Promise<number> {
    return 0;
  }
  async summarize(): Promise<never> {
    throw new Error('not used');
  }
  async activity(): Promise<never> {
    throw new Error('not used');
  }
  async installs(): Promise<never> {
    throw new Error('not used');
  }
  async insights(): Promise<never> {
    throw new Error('not used');
  }
  async versionSeries(): Promise<never> {
    throw new Error('not used');
  }
}

function coded(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

const record = {} as NewTelemetryRecord;

describe('group commit when the database is unavailable', () => {
  it('fails the whole group at once, without retrying each record (which could store a committed group twice)', async () => {
    const store = new FailingStore(new Error('Connection terminated unexpectedly'));
    const committer = new GroupCommitter(store, { maxBatch: 500, windowMs: 0 });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => committer.append(record)));
    assert.deepEqual(new Set(results.map((r) => r.status)), new Set(['rejected']));
    assert.equal(store.attempts, 1, 'one attempt for the group');
    assert.equal(committer.depth, 0);
  });

  it('still retries record by record after an error that is about the data', async () => {
    const store = new FailingStore(coded('value too long', '22001'));
    const committer = new GroupCommitter(store, { maxBatch: 500, windowMs: 0 });
    await Promise.allSettled(Array.from({ length: 3 }, () => committer.append(record)));
    assert.equal(store.attempts, 4, 'the group, then each of its 3 records');
  });

  it('recognises lost connections, PostgreSQL shutdowns and SQLite lock/disk trouble, not data errors', () => {
    for (const error of [coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), coded('terminating connection due to administrator command', '57P01'),
      coded('the database system is starting up', '57P03'), coded('connection failure', '08006'), new Error('Connection terminated unexpectedly'),
      coded('database is locked', 'SQLITE_BUSY'), coded('database or disk is full', 'SQLITE_FULL'), coded('disk I/O error', 'SQLITE_IOERR_WRITE'),
      new AggregateError([coded('refused', 'ECONNREFUSED')])]) {
      assert.equal(isStoreUnavailable(error), true, error.message);
    }
    for (const error of [coded('duplicate key', '23505'), coded('value too long', '22001'), coded('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'), new Error('boom'), 'text']) {
      assert.equal(isStoreUnavailable(error), false, String(error));
    }
  });
});
