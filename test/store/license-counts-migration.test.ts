import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.js';
import { TELEMETRY_INSERT_COLUMNS } from '../../src/store/contract/telemetry-columns.js';
import { applyPgMigrations } from '../../src/store/postgres/migrate.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { telemetryArrays, UNNEST_TYPES } from '../../src/store/postgres/telemetry-arrays.js';
import { applyMigrations } from '../../src/store/sqlite/database/migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/database/migrations.js';
import { toInsertBatch } from '../../src/store/sqlite/telemetry/insert-batch.js';
import { SqliteTimeBlocks } from '../../src/store/sqlite/time-blocks/time-blocks.js';
import { describeWithPostgres, dropSchemas, randomName, urlInSchema, withClient } from '../postgres-helpers.js';
import { assertCountsMatchRaw, keyedRecords } from './license-counts-contract.js';

const SQLITE_COUNTS = 23;
const PG_COUNTS = 22;
const COLUMNS = TELEMETRY_INSERT_COLUMNS.join(', ');
const INDEX_COUNT = "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'telemetry_license_reports'";
// The schema is filtered first (OFFSET 0 keeps the subquery apart): otherwise pg_get_indexdef may run
// on other schemas' indexes that a concurrent test file is dropping ("could not open relation with OID").
const PG_INDEXES = `SELECT indexname FROM (SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 OFFSET 0) AS mine
  WHERE indexdef LIKE '%(product_id, license_key, has_red_flags, created_at)%'`;

describe(`license report counts migration (SQLite ${SQLITE_COUNTS})`, () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts the reports stored before it, drops the telemetry_license_reports index, and keeps counting after', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-licmig-'));
    dirs.push(dataDir);
    const file = path.join(dataDir, 'tally.db');
    const db = new Database(file);
    applyMigrations(db, SQLITE_MIGRATIONS.filter((m) => m.version < SQLITE_COUNTS));
    const insert = db.prepare(`INSERT INTO telemetry (${COLUMNS}) VALUES (${TELEMETRY_INSERT_COLUMNS.map(() => '?').join(', ')})`);
    const records = keyedRecords(31, 300);
    const ids = records.map((record) => Number(insert.run(...(toInsertBatch([record]).rows[0] ?? [])).lastInsertRowid));
    new SqliteTimeBlocks(db).record(ids, (i) => records[i]?.created_at_us ?? 0);
    assert.equal(db.prepare<[], { n: number }>(INDEX_COUNT).get()?.n, 1, 'the index is there before');
    db.close();
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
    try {
      await assertCountsMatchRaw(store, 'upgraded');
      await store.telemetry.insertMany(keyedRecords(32, 100));
      await assertCountsMatchRaw(store, 'upgraded, then more');
    } finally {
      await store.close();
    }
    const check = new Database(file, { readonly: true });
    try {
      assert.equal(check.prepare<[], { n: number }>(INDEX_COUNT).get()?.n, 0);
    } finally {
      check.close();
    }
  });
});

await describeWithPostgres('the license report counts migration', () => {
  describe(`license report counts migration (PostgreSQL ${PG_COUNTS})`, () => {
    const schemas: string[] = [];
    after(() => dropSchemas(schemas));

    it('counts the reports stored before it and drops the telemetry_license_reports index', async () => {
      const schema = randomName();
      schemas.push(schema);
      await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
      const pool = new pg.Pool({ connectionString: urlInSchema(schema) });
      try {
        await applyPgMigrations(pool, PG_MIGRATIONS.filter((m) => m.version < PG_COUNTS));
        const arrays = UNNEST_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
        await pool.query(`INSERT INTO telemetry (${COLUMNS}) SELECT * FROM unnest(${arrays})`, telemetryArrays(keyedRecords(31, 300)));
        assert.ok(((await pool.query(PG_INDEXES, [schema])).rowCount ?? 0) > 0, 'the index is there before');
      } finally {
        await pool.end();
      }
      const store = await openStore({ databaseUrl: urlInSchema(schema), dataDir: os.tmpdir(), sqliteSynchronous: 'NORMAL' });
      try {
        await assertCountsMatchRaw(store, 'upgraded');
        await store.telemetry.insertMany(keyedRecords(32, 100));
        await assertCountsMatchRaw(store, 'upgraded, then more');
      } finally {
        await store.close();
      }
      const left = await withClient((client) => client.query(PG_INDEXES, [schema]));
      assert.equal(left.rowCount, 0);
    });
  });
});
