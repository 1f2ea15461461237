import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/open-store.js';
import { toInsertBatch } from '../../src/store/sqlite/telemetry/insert-batch.js';
import { SqliteWriterThread } from '../../src/store/sqlite/threads/writer-thread.js';
import { isStoreUnavailable } from '../../src/store/contract/store-unavailable.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { numericRecord } from './numeric-record.js';

const tempDirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-writer-'));
  tempDirs.push(dir);
  return dir;
}

after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Records that differ in data and created_at. */
function record(i: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return numericRecord(i, { created_at_us: 1_700_000_000_000_000 + i, ...overrides });
}

/** A migrated, empty SQLite file, as the server leaves it before the writer thread starts. */
async function migratedFile(): Promise<string> {
  const dataDir = tempDir();
  const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
  await store.close();
  return path.join(dataDir, 'tally.db');
}

function countIn(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM telemetry').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('SQLite writer thread', () => {
  it('commits a group on its own connection: when the promise resolves, another connection reads every row', async () => {
    const file = await migratedFile();
    const thread = new SqliteWriterThread({ file, synchronous: 'NORMAL' });
    try {
      const ids = await thread.insert(toInsertBatch(Array.from({ length: 250 }, (_, i) => record(i))));
      assert.equal(ids.length, 250);
      assert.equal(countIn(file), 250);
    } finally {
      await thread.close();
    }
  });

  it('passes SQLite\'s error code on: a row the schema refuses fails the whole group, and is not "store unavailable"', async () => {
    const file = await migratedFile();
    const thread = new SqliteWriterThread({ file, synchronous: 'NORMAL' });
    try {
      const broken = record(1, { is_correct_format: null as unknown as 0 });
      const error = await thread.insert(toInsertBatch([record(0), broken])).then(() => null, (e: unknown) => e);
      assert.ok(error instanceof Error);
      assert.equal((error as Error & { code?: string }).code, 'SQLITE_CONSTRAINT_NOTNULL');
      assert.equal(isStoreUnavailable(error), false);
      assert.equal(countIn(file), 0);
    } finally {
      await thread.close();
    }
  });

  it('fails writes as "store unavailable" when the thread cannot open the file, and tries again on the next write', async () => {
    const thread = new SqliteWriterThread({ file: path.join(tempDir(), 'missing-dir', 'nested', 'tally.db'), synchronous: 'NORMAL' });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await thread.insert(toInsertBatch([record(attempt)])).then(() => null, (e: unknown) => e);
        assert.ok(isStoreUnavailable(error), `attempt ${attempt}: ${String(error)}`);
      }
    } finally {
      await thread.close();
    }
  });

  it('in a store, a small group handed over while a large one is on the writer thread commits after it, on the same thread', async () => {
    const store = await openStore({ databaseUrl: null, dataDir: tempDir(), sqliteSynchronous: 'NORMAL', sqliteWriterThread: true });
    try {
      const large = store.telemetry.insertUnique(Array.from({ length: 300 }, (_, i) => record(i)));
      const small = store.telemetry.insertUnique([record(300)]);
      const [largeIds, [smallId]] = await Promise.all([large, small]);
      assert.ok(typeof smallId === 'number' && largeIds.every((id) => id !== null && id < smallId), 'the small group was committed last');
      assert.equal(await store.telemetry.count(), 301);
    } finally {
      await store.close();
    }
  });

  it('close() waits for the writes in flight before stopping the thread', async () => {
    const file = await migratedFile();
    const thread = new SqliteWriterThread({ file, synchronous: 'NORMAL' });
    const write = thread.insert(toInsertBatch(Array.from({ length: 3000 }, (_, i) => record(i))));
    await thread.close();
    assert.equal((await write).length, 3000);
    assert.equal(countIn(file), 3000);
  });
});
