import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { PageRequest, TelemetryFilter } from '../../src/model/filter.js';
import { openStore } from '../../src/store/open-store.js';
import { buildPageQuery } from '../../src/store/sqlite/queries/page-sql.js';
import { applyMigrations } from '../../src/store/sqlite/database/migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/database/migrations.js';
import { parseFilter } from '../../src/query/parse-filter.js';
import { recordTimeRange } from '../../src/model/record-time.js';
import { RECORD_TIME_SQL } from '../../src/store/contract/record-time-sql.js';
import { filterCondition } from '../../src/store/sqlite/queries/filter-condition.js';
import { FLAGGED_RECORDS, TYPED_RECORDS } from '../../src/store/sqlite/summary/summary-indexes.js';
import { blockSpans, blockWindow, BLOCK_SIZE } from '../../src/store/sqlite/time-blocks/time-blocks.js';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-query-'));
  dirs.push(dir);
  return dir;
}

/** A database file at the schema of the migrations up to `version`. */
function databaseAt(version: number): { file: string; dataDir: string; db: Database.Database } {
  const dataDir = tempDir();
  const file = path.join(dataDir, 'tally.db');
  const db = new Database(file);
  applyMigrations(db, SQLITE_MIGRATIONS.filter((m) => m.version <= version));
  return { file, dataDir, db };
}

function plan(db: Database.Database, filter: TelemetryFilter, page: PageRequest = { afterId: 0, limit: 101 }): string {
  const window = filter.fromUs !== undefined ? { fromId: 1, toId: 5000 } : undefined;
  const query = buildPageQuery('*', filter, page, window);
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as { detail: string }[];
  return rows.map((row) => row.detail).join(' | ');
}

describe('SQLite query: time blocks', () => {
  it('summarises each block of ids touched by a batch', () => {
    const ids = [BLOCK_SIZE - 2, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1];
    const created = [50, 10, 30, 20];
    assert.deepEqual(blockSpans(ids, (i) => created[i]!), [
      { block: 0, minUs: 10, maxUs: 50 },
      { block: 1, minUs: 20, maxUs: 30 },
    ]);
  });

  it('turns a block range into the ids from the first of one to the last of the other', () => {
    assert.deepEqual(blockWindow(1, 2), { fromId: BLOCK_SIZE, toId: 3 * BLOCK_SIZE - 1 });
  });

  it('backfills the summaries of records stored before the query migration', async () => {
    const { db, dataDir } = databaseAt(3);
    const insert = db.prepare(`INSERT INTO telemetry (is_correct_format, product_exists, license_key_exists, product_version_exists,
      activation_exists, license_active, has_red_flags, errors, metadata, created_at) VALUES (1, 1, 1, 1, 1, 1, 0, '{}', '{}', ?)`);
    for (let i = 0; i < 5000; i++) insert.run(1_700_000_000_000_000 + i);
    db.close();
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
    try {
      const page = await store.telemetry.query({ productIds: null, fromUs: 1_700_000_000_004_500 }, { afterId: 0, limit: 1000 });
      assert.deepEqual(page.map((r) => r.id), Array.from({ length: 500 }, (_, i) => 4501 + i));
    } finally {
      await store.close();
    }
  });
});

describe('SQLite query: plans', () => {
  const { db } = databaseAt(Number.MAX_SAFE_INTEGER);
  after(() => db.close());
  const noSort = (detail: string): void => assert.doesNotMatch(detail, /TEMP B-TREE/, detail);

  it('walks (product_id, data_group, id) for a product and data group', () => {
    const detail = plan(db, { productIds: [1], dataGroup: 'g' });
    assert.match(detail, /USING INDEX telemetry_product_group_id \(product_id=\? AND data_group=\? AND id>\?\)/);
    noSort(detail);
  });

  it('walks the red-flag index for has_red_flags = 1, or for another flag = 0', () => {
    for (const flags of [{ has_red_flags: 1 as const }, { license_active: 0 as const }]) {
      const detail = plan(db, { productIds: [1], dataGroup: 'g', flags });
      assert.match(detail, /USING INDEX telemetry_red_product_group_id/, JSON.stringify(flags));
      noSort(detail);
    }
  });

  it('bounds a date range by the id window on the same indexes, without sorting', () => {
    const detail = plan(db, { productIds: [1], dataGroup: 'g', flags: { has_red_flags: 1 }, fromUs: 1, toUs: 2 });
    assert.match(detail, /USING INDEX telemetry_red_product_group_id \(product_id=\? AND data_group=\? AND id>\? AND id<\?\)/);
    noSort(detail);
  });

  it('bounds a reported_at range by the id window of the created_at range it implies, on the same indexes', () => {
    const filter = parseFilter({ product_id: '1', data_group: 'g', reported_from: '2026-01-01', reported_to: '2026-01-02' }, [], 90);
    assert.ok(filter.ok);
    assert.equal(filter.filter.fromUs, Date.UTC(2026, 0, 1) * 1000 - 300_000_000);
    assert.equal(filter.filter.toUs, Date.UTC(2026, 0, 3) * 1000 - 1 + 90 * 86_400_000_000);
    const detail = plan(db, filter.filter);
    assert.match(detail, /USING INDEX telemetry_product_group_id \(product_id=\? AND data_group=\? AND id>\? AND id<\?\)/);
    noSort(detail);
  });

  it('reads each summary part over a record-time range from its covering index, seeking on created_at', () => {
    const where = filterCondition({ productIds: [1], dataGroup: 'g', ...recordTimeRange(1e15, 2e15, 90) });
    for (const { index, where: partial } of [...TYPED_RECORDS, FLAGGED_RECORDS]) {
      const sql = `SELECT ${RECORD_TIME_SQL} AS day, COUNT(*) FROM telemetry INDEXED BY ${index} WHERE ${where.sql} AND ${partial} GROUP BY day`;
      const detail = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...where.params) as { detail: string }[]).map((row) => row.detail).join(' | ');
      assert.match(detail, new RegExp(`USING COVERING INDEX ${index} \\(product_id=\\? AND data_group=\\? AND created_at>\\? AND created_at<\\?\\)`), detail);
    }
  });

  it('walks (product_id, id) for a product alone, and the table by id without a product', () => {
    assert.match(plan(db, { productIds: [1] }), /USING INDEX telemetry_product_id \(product_id=\? AND id>\?\)/);
    assert.match(plan(db, { productIds: null, userIdentifier: 'u' }), /USING INTEGER PRIMARY KEY \(rowid>\?\)/);
  });
});
