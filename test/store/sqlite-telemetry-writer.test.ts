import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { applyMigrations } from '../../src/store/sqlite/database/migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/database/migrations.js';
import { COLUMN_GROUPS, toInsertBatch, type BindValue, type InsertBatch } from '../../src/store/sqlite/telemetry/insert-batch.js';
import { SqliteTelemetryWriter } from '../../src/store/sqlite/telemetry/telemetry-writer.js';
import { TELEMETRY_INSERT_COLUMNS } from '../../src/store/contract/telemetry-columns.js';
import type { FieldErrors, NewTelemetryRecord } from '../../src/model/record.js';
import { numericRecord } from './numeric-record.js';

const record = numericRecord;

const column = (name: (typeof TELEMETRY_INSERT_COLUMNS)[number]): number => TELEMETRY_INSERT_COLUMNS.indexOf(name);
const ALL = TELEMETRY_INSERT_COLUMNS.map((_, c) => c);

/** Every stored row's columns as SQLite holds them, in id order. */
function storedRows(db: Database.Database): Record<string, unknown>[] {
  return db.prepare(`SELECT ${TELEMETRY_INSERT_COLUMNS.join(', ')} FROM telemetry ORDER BY id`).all() as Record<string, unknown>[];
}

function expectedRow(r: NewTelemetryRecord): Record<string, unknown> {
  const { created_at_us: createdAt, reported_at_us: reportedAt, errors, metadata, ...rest } = r;
  return { ...rest, errors: JSON.stringify(errors), metadata: JSON.stringify(metadata), created_at: createdAt, reported_at: reportedAt };
}

function migratedMemoryDb(): Database.Database {
  const db = new Database(':memory:');
  applyMigrations(db, SQLITE_MIGRATIONS);
  return db;
}

describe('SQLite insert batches: shared values once, varying columns per row', () => {
  it('lists as varying the columns of each group in which some value differs, and sends the others once', () => {
    const batch = toInsertBatch([record(1), record(2, { metadata: { build: 7 } }), record(3)]);
    const flagsAndNotes = ['is_correct_format', 'product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists', 'license_active', 'has_red_flags', 'blocked', 'errors', 'metadata'] as const;
    const expected = (['data', 'numeric_data_single_value', 'reported_at', ...flagsAndNotes] as const).map((name) => column(name)).sort((a, b) => a - b);
    assert.deepEqual(batch.varying, expected);
    const rowOf = (r: NewTelemetryRecord): BindValue[] => expected.map((c) => (toInsertBatch([r]).rows[0] as BindValue[])[c] ?? null);
    assert.deepEqual(batch.rows, [record(1), record(2, { metadata: { build: 7 } }), record(3)].map(rowOf));
    assert.equal(batch.rows[1]?.[expected.indexOf(column('metadata'))], '{"build":7}');
    assert.equal(batch.shared[column('license_key')], 'k');
    assert.equal(batch.shared[column('created_at')], 1_700_000_000_000_000);
  });

  it('puts every column in exactly one group, so a batch has one of 2^6 shapes', () => {
    const grouped = COLUMN_GROUPS.flat();
    assert.deepEqual([...grouped].sort(), [...TELEMETRY_INSERT_COLUMNS].sort());
    assert.equal(new Set(grouped).size, grouped.length);
  });

  it('sends a single record as one full row: with nothing to share, every column varies', () => {
    const batch = toInsertBatch([record(1, { errors: { data: ['bad'] } })]);
    assert.equal(batch.varying.length, TELEMETRY_INSERT_COLUMNS.length);
    assert.deepEqual(batch.rows[0]?.[column('errors')], '{"data":["bad"]}');
  });

  it('stores every record of batches of many shapes exactly', () => {
    const db = migratedMemoryDb();
    const writer = new SqliteTelemetryWriter(db);
    const expected: NewTelemetryRecord[] = [];
    // Each combination of six columns, one from each group, varying or not: all 64 shapes, 13 records a batch.
    const shapes = new Set<string>();
    for (let shape = 0; shape < 64; shape++) {
      const records = Array.from({ length: 13 }, (_, i) => record(expected.length + i, {
        user_identifier: shape & 1 ? `u${i}` : 'u',
        data_group: shape & 2 ? `g${i}` : 'g',
        created_at_us: shape & 4 ? 1_700_000_000_000_000 + i : 1_700_000_000_000_000,
        errors: shape & 8 && i % 2 === 0 ? { data: [`bad ${i}`] } : ({} as FieldErrors),
        text_data: shape & 16 && i === 3 ? 'note' : null,
        data: shape & 32 ? String(i) : 'same',
        // The client's time is in the value group: some records with one, some without.
        reported_at_us: shape & 32 && i % 3 === 0 ? 1_699_999_000_000_000 + i : null,
        numeric_data_single_value: 0,
      }));
      const batch = toInsertBatch(records);
      shapes.add(batch.varying.join(','));
      assert.equal(writer.insert(batch).length, 13);
      expected.push(...records);
    }
    assert.equal(shapes.size, 64);
    assert.deepEqual(storedRows(db), expected.map(expectedRow));
    db.close();
  });

  it('still stores exactly after more shapes than it keeps prepared (batches built by another caller)', () => {
    const db = migratedMemoryDb();
    const writer = new SqliteTelemetryWriter(db);
    const expected: NewTelemetryRecord[] = [];
    // 70 arbitrary sets of varying columns (more than the 64 kept), then the first again; the
    // records differ in data only, which every set includes.
    const shapes = Array.from({ length: 70 }, (_, n) => ALL.filter((c) => c === column('data') || ((n * 2654435761) >>> c) % 3 === 0));
    for (const varying of [...shapes, ...shapes.slice(0, 1)]) {
      const records = Array.from({ length: 12 }, (_, i) => record(0, { data: String(expected.length + i) }));
      const full = records.map((r) => toInsertBatch([r]).rows[0] as BindValue[]);
      const batch: InsertBatch = { shared: full[0] as BindValue[], varying, rows: full.map((row) => varying.map((c) => row[c] ?? null)), eventIds: records.map(() => null) };
      assert.equal(writer.insert(batch).length, 12);
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
