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
import { assertRollupsMatchRaw, randomRecords } from './rollup-contract.js';

const SQLITE_ROLLUPS = 21;
const PG_ROLLUPS = 19;
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
});
