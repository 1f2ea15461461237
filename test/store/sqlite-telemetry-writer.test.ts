import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { applyMigrations } from '../../src/store/sqlite/migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { toInsertBatch } from '../../src/store/sqlite/telemetry-rows.js';
import { SqliteTelemetryWriter } from '../../src/store/sqlite/telemetry-writer.js';
import { TELEMETRY_INSERT_COLUMNS } from '../../src/store/telemetry-columns.js';
import type { FieldErrors, NewTelemetryRecord } from '../../src/telemetry/record.js';
import { numericRecord } from './numeric-record.js';

const record = numericRecord;

const column = (name: (typeof TELEMETRY_INSERT_COLUMNS)[number]): number => TELEMETRY_INSERT_COLUMNS.indexOf(name);

/** Every stored row's columns as SQLite holds them, in id order. */
function storedRows(db: Database.Database): Record<string, unknown>[] {
  return db.prepare(`SELECT ${TELEMETRY_INSERT_COLUMNS.join(', ')} FROM telemetry ORDER BY id`).all() as Record<string, unknown>[];
}

function expectedRow(r: NewTelemetryRecord): Record<string, unknown> {
  const { created_at_us: createdAt, errors, metadata, ...rest } = r;
  return { ...rest, errors: JSON.stringify(errors), metadata: JSON.stringify(metadata), created_at: createdAt };
}

function migratedMemoryDb(): Database.Database {
  const db = new Database(':memory:');
  applyMigrations(db, SQLITE_MIGRATIONS);
  return db;
}

describe('SQLite insert batches: shared values once, varying columns per row', () => {
  it('lists as varying exactly the columns whose value differs between records, and sends the others once', () => {
    const batch = toInsertBatch([record(1), record(2, { metadata: { build: 7 } }), record(3)]);
    assert.deepEqual(batch.varying, [column('data'), column('numeric_data_single_value'), column('metadata')]);
    assert.deepEqual(batch.rows, [['1', 1, '{}'], ['2', 2, '{"build":7}'], ['3', 3, '{}']]);
    assert.equal(batch.shared[column('license_key')], 'k');
    assert.equal(batch.shared[column('errors')], '{}');
  });

  it('sends a single record as one full row: with nothing to share, every column varies', () => {
    const batch = toInsertBatch([record(1, { errors: { data: ['bad'] } })]);
    assert.equal(batch.varying.length, TELEMETRY_INSERT_COLUMNS.length);
    assert.deepEqual(batch.rows[0]?.[column('errors')], '{"data":["bad"]}');
  });

  it('stores every record of batches of many shapes exactly, also after more shapes than it keeps prepared', () => {
    const db = migratedMemoryDb();
    const writer = new SqliteTelemetryWriter(db);
    const expected: NewTelemetryRecord[] = [];
    // 40 batches, each varying in a different set of columns (more than the 32 shapes kept), then the first shape again.
    const variants = Array.from({ length: 40 }, (_, shape) => (i: number): Partial<NewTelemetryRecord> => ({
      user_identifier: shape & 1 ? `u${i}` : 'u',
      license_key: shape & 2 ? `k${i}` : 'k',
      product_version: shape & 4 ? `1.${i}` : '1.0',
      data_group: shape & 8 ? `g${i}` : 'g',
      created_at_us: shape & 16 ? 1_700_000_000_000_000 + i : 1_700_000_000_000_000,
      errors: shape & 32 && i % 2 === 0 ? { data: [`bad ${i}`] } : ({} as FieldErrors),
    }));
    for (const variant of [...variants, ...variants.slice(0, 1)]) {
      const records = Array.from({ length: 13 }, (_, i) => record(expected.length + i, variant(i)));
      const ids = writer.insert(toInsertBatch(records));
      assert.equal(ids.length, 13);
      expected.push(...records);
    }
    assert.deepEqual(storedRows(db), expected.map(expectedRow));
    db.close();
  });

  it('records each stored id in the created_at summary whether created_at varies or is shared', () => {
    const db = migratedMemoryDb();
    const writer = new SqliteTelemetryWriter(db);
    writer.insert(toInsertBatch([record(0, { created_at_us: 5_000 }), record(1, { created_at_us: 9_000 })]));
    writer.insert(toInsertBatch([record(2, { created_at_us: 2_000 }), record(3, { created_at_us: 2_000 })]));
    assert.deepEqual(db.prepare('SELECT block, min_created_at, max_created_at FROM telemetry_time_blocks').all(),
      [{ block: 0, min_created_at: 2_000, max_created_at: 9_000 }]);
    db.close();
  });
});
