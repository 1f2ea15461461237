import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import fc from 'fast-check';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
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
import { alertFilter, alertRecord, ALERT_DAY0, countLines, expectedAlerts, expectedCounts, filterSpec, recordSpec } from './alert-records.js';

/** The migration that makes and fills flagged_value_counts (docs/decisions/0043-alert-candidates.md), on both backends. */
const ALERT_CANDIDATES = 25;
const COLUMNS = TELEMETRY_INSERT_COLUMNS.join(', ');
const COUNTS = 'SELECT product_id, data_group, kind, value, flagged FROM flagged_value_counts';
const INDEXES = ['telemetry_flagged_license_key', 'telemetry_flagged_user_identifier', 'flagged_value_counts_walk'];

/** Reports of products 7 and 8 (and none), some red-flagged, from fixed seeds. */
function reports(seed: number, count: number): NewTelemetryRecord[] {
  return fc.sample(recordSpec, { seed, numRuns: count }).map((spec, i) => alertRecord(spec, 7 + (i % 2), ALERT_DAY0));
}

/** The counts equal the stored flagged reports, and summaries' alerts equal a count of them. */
async function assertUpgraded(store: Store, peek: () => Promise<Record<string, unknown>[]>, what: string): Promise<void> {
  const stored = await store.telemetry.query({ productIds: null }, { afterId: 0, limit: 100_000 });
  assert.deepEqual(countLines(await peek()), expectedCounts(stored), `${what}: counts`);
  assert.ok(expectedCounts(stored).length > 10, 'the data has flagged reports to count');
  for (const spec of fc.sample(filterSpec, { seed: 5, numRuns: 12 })) {
    const filter = alertFilter(spec, 7, ALERT_DAY0);
    const { alerts } = await store.telemetry.summarize(filter, { buckets: 4, points: 10, top: spec.top });
    assert.deepEqual(alerts, expectedAlerts(stored, filter, spec.top), `${what}: ${JSON.stringify(filter)}`);
  }
}

describe(`alert candidates migration (SQLite ${ALERT_CANDIDATES})`, () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts the red-flagged reports stored before it, makes the indexes, and keeps counting after', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-alertmig-'));
    dirs.push(dataDir);
    const file = path.join(dataDir, 'tally.db');
    const db = new Database(file);
    applyMigrations(db, SQLITE_MIGRATIONS.filter((m) => m.version < ALERT_CANDIDATES));
    const insert = db.prepare(`INSERT INTO telemetry (${COLUMNS}) VALUES (${TELEMETRY_INSERT_COLUMNS.map(() => '?').join(', ')})`);
    const records = reports(31, 300);
    const ids = records.map((record) => Number(insert.run(...(toInsertBatch([record]).rows[0] ?? [])).lastInsertRowid));
    new SqliteTimeBlocks(db).record(ids, (i) => records[i]?.created_at_us ?? 0);
    db.close();
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
    const check = new Database(file, { readonly: true });
    try {
      const peek = async (): Promise<Record<string, unknown>[]> => check.prepare(COUNTS).all() as Record<string, unknown>[];
      await assertUpgraded(store, peek, 'upgraded');
      await store.telemetry.insertMany(reports(32, 100));
      await assertUpgraded(store, peek, 'upgraded, then more');
      const names = check.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
      for (const index of INDEXES) assert.ok(names.includes(index), index);
    } finally {
      check.close();
      await store.close();
    }
  });
});

await describeWithPostgres('the alert candidates migration', () => {
  describe(`alert candidates migration (PostgreSQL ${ALERT_CANDIDATES})`, () => {
    const schemas: string[] = [];
    after(() => dropSchemas(schemas));

    it('counts the red-flagged reports stored before it, makes the indexes on every partition, and keeps counting after', async () => {
      const schema = randomName();
      schemas.push(schema);
      await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
      const pool = new pg.Pool({ connectionString: urlInSchema(schema) });
      try {
        await applyPgMigrations(pool, PG_MIGRATIONS.filter((m) => m.version < ALERT_CANDIDATES));
        const arrays = UNNEST_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
        await pool.query(`INSERT INTO telemetry (${COLUMNS}) SELECT * FROM unnest(${arrays})`, telemetryArrays(reports(31, 300)));
      } finally {
        await pool.end();
      }
      const store = await openStore({ databaseUrl: urlInSchema(schema), dataDir: os.tmpdir(), sqliteSynchronous: 'NORMAL' });
      const check = new pg.Pool({ connectionString: urlInSchema(schema) });
      try {
        const peek = async (): Promise<Record<string, unknown>[]> => (await check.query(COUNTS)).rows as Record<string, unknown>[];
        await assertUpgraded(store, peek, 'upgraded');
        await store.telemetry.insertMany(reports(32, 100));
        await assertUpgraded(store, peek, 'upgraded, then more');
        const names = (await check.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [schema])).rows.map((r) => r.indexname);
        for (const index of INDEXES) assert.ok(names.includes(index), index);
        assert.ok(names.filter((n) => n.startsWith('telemetry_default_product_id_data_group_license_key')).length === 1, `the DEFAULT partition has its own: ${names.join(', ')}`);
      } finally {
        await check.end();
        await store.close();
      }
    });
  });
});
