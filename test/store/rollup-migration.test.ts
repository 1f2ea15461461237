import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
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
import { assertRollupsMatchRaw, randomRecords } from './rollup-contract.js';
import { PgTelemetryTable } from '../../src/store/postgres/telemetry-table.js';
import type { TelemetryStore } from '../../src/store/contract/store.js';
import { recordTimeRange } from '../../src/model/record-time.js';

const SQLITE_ROLLUPS = 21;
const PG_ROLLUPS = 19;
const PG_ROLLUP_PARTITIONS = 21;
const DAY_US = 86_400_000_000;

/** The answers the rollups and sketches give over May–July 2024: activity by day, summaries, installs by version. */
async function rollupAnswers(telemetry: TelemetryStore): Promise<unknown[]> {
  const from = Date.UTC(2024, 4, 1) * 1000;
  const to = Date.UTC(2024, 7, 1) * 1000 - 1;
  const answers: unknown[] = [await telemetry.activity({ ...recordTimeRange(from, to, 90), bucketUs: DAY_US })];
  for (const [product, group] of [[7, 'g'], [8, 'h']] as const) {
    answers.push(await telemetry.summarize({ productIds: [product], dataGroup: group, ...recordTimeRange(from, to, 90) }, { buckets: 10, points: 10, top: 5 }));
    answers.push(await telemetry.installs({ productId: product, fromUs: from, toUs: to, interval: 'day', by: 'version', distinct: 'hll', maxKeys: 20 }));
  }
  return answers;
}
const COLUMNS = TELEMETRY_INSERT_COLUMNS.join(', ');

describe(`rollups migration (SQLite ${SQLITE_ROLLUPS})`, () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('builds the rollups from the records stored before it, so answers equal the raw ones at once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-rollmig-'));
    dirs.push(dataDir);
    const db = new Database(path.join(dataDir, 'tally.db'));
    applyMigrations(db, SQLITE_MIGRATIONS.filter((m) => m.version < SQLITE_ROLLUPS));
    const insert = db.prepare(`INSERT INTO telemetry (${COLUMNS}) VALUES (${TELEMETRY_INSERT_COLUMNS.map(() => '?').join(', ')})`);
    const records = randomRecords(31, 300);
    const ids = records.map((record) => Number(insert.run(...(toInsertBatch([record]).rows[0] ?? [])).lastInsertRowid));
    // As the writer did before this migration: the created_at summary of the blocks written.
    new SqliteTimeBlocks(db).record(ids, (i) => records[i]?.created_at_us ?? 0);
    db.close();
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
    try {
      await assertRollupsMatchRaw(store, 'upgraded');
      await store.telemetry.insertMany(randomRecords(32, 100));
      await assertRollupsMatchRaw(store, 'upgraded, then more');
    } finally {
      await store.close();
    }
  });
});

await describeWithPostgres('the rollups migration', () => {
  describe(`rollups migration (PostgreSQL ${PG_ROLLUPS})`, () => {
    const schemas: string[] = [];
    after(() => dropSchemas(schemas));

    it('builds the rollups from the records stored before it, so answers equal the raw ones at once', async () => {
      const schema = randomName();
      schemas.push(schema);
      await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
      const pool = new pg.Pool({ connectionString: urlInSchema(schema) });
      try {
        await applyPgMigrations(pool, PG_MIGRATIONS.filter((m) => m.version < PG_ROLLUPS));
        const arrays = UNNEST_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
        await pool.query(`INSERT INTO telemetry (${COLUMNS}) SELECT * FROM unnest(${arrays})`, telemetryArrays(randomRecords(31, 300)));
      } finally {
        await pool.end();
      }
      const store = await openStore({ databaseUrl: urlInSchema(schema), dataDir: os.tmpdir(), sqliteSynchronous: 'NORMAL' });
      try {
        await assertRollupsMatchRaw(store, 'upgraded');
      } finally {
        await store.close();
      }
    });
  });

  describe(`rollup partitions migration (PostgreSQL ${PG_ROLLUP_PARTITIONS})`, () => {
    const schemas: string[] = [];
    after(() => dropSchemas(schemas));

    it('keeps every rollup and sketch row of a database at version 20 in monthly partitions, and the answers are unchanged', async () => {
      const schema = randomName();
      schemas.push(schema);
      await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
      // Records over May, June and July 2024, written at version 20 by the insert statement (rollups and sketches kept).
      const records = [-35, 0, 30].flatMap((days, i) => randomRecords(50 + i, 150).map((r) => ({
        ...r, created_at_us: r.created_at_us + days * DAY_US, reported_at_us: r.reported_at_us === null ? null : r.reported_at_us + days * DAY_US,
      })));
      const pool = new pg.Pool({ connectionString: urlInSchema(schema) });
      let before: unknown[];
      let counts: unknown[];
      const tableCounts = async (db: pg.Pool): Promise<unknown[]> => (await db.query(`SELECT
          (SELECT count(*) FROM telemetry_rollups)::int AS counts, (SELECT count(*) FROM telemetry_rollup_bins)::int AS bins,
          (SELECT count(*) FROM install_sketches)::int AS sketches`)).rows;
      try {
        await applyPgMigrations(pool, PG_MIGRATIONS.filter((m) => m.version < PG_ROLLUP_PARTITIONS));
        // Today's insert statement also keeps the license counts of migration 22 and the flagged value
        // counts of migration 25: stand-ins for the writes, dropped before the upgrade, which makes the tables (and fills them) itself.
        await pool.query('CREATE TABLE license_report_counts (product_id bigint, license_key text, reports bigint, flagged bigint, last_report_us bigint, PRIMARY KEY (product_id, license_key))');
        await pool.query('CREATE TABLE flagged_value_counts (product_id bigint, data_group text, kind text, value text, flagged bigint, PRIMARY KEY (product_id, data_group, kind, value))');
        const telemetry = new PgTelemetryTable(pool);
        await telemetry.insertMany(records);
        // Today's installs read the new-machine counts of migration 24: a stand-in filled as its
        // triggers would have kept it, dropped before the upgrade, which makes and fills it itself.
        await pool.query(`CREATE TABLE install_new_machines AS SELECT product_id, (first_time / ${DAY_US})::int AS day, version, os, count(*)::int AS machines
          FROM install_first_seen GROUP BY 1, 2, 3, 4`);
        before = await rollupAnswers(telemetry);
        counts = await tableCounts(pool);
        await pool.query('DROP TABLE license_report_counts, install_new_machines, flagged_value_counts');
      } finally {
        await pool.end();
      }
      const store = await openStore({ databaseUrl: urlInSchema(schema), dataDir: os.tmpdir(), sqliteSynchronous: 'NORMAL' });
      const check = new pg.Pool({ connectionString: urlInSchema(schema) });
      try {
        assert.deepEqual(await tableCounts(check), counts, 'every row copied');
        const homes = await check.query<{ home: string }>(`SELECT DISTINCT tableoid::regclass::text AS home FROM telemetry_rollups
          UNION SELECT DISTINCT tableoid::regclass::text FROM install_sketches ORDER BY 1`);
        // A partition per month of record time the rows hold, none of them left in DEFAULT.
        assert.deepEqual(homes.rows.map((r) => r.home), ['install_sketches_2024_05', 'install_sketches_2024_06', 'install_sketches_2024_07',
          'telemetry_rollups_2024_05', 'telemetry_rollups_2024_06', 'telemetry_rollups_2024_07']);
        const [partitioned] = (await check.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_partitioned_table
          WHERE partrelid IN ('telemetry_rollups'::regclass, 'telemetry_rollup_bins'::regclass, 'install_sketches'::regclass)`)).rows;
        assert.equal(partitioned?.n, 3);
        assert.deepEqual(await rollupAnswers(store.telemetry), before);
        await store.telemetry.insertMany(randomRecords(60, 100));
        await assertRollupsMatchRaw(store, 'partitioned, then more');
      } finally {
        await check.end();
        await store.close();
      }
    });
  });
});
