import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Store } from '../../src/store/contract/store.js';
import { openStore } from '../../src/store/open-store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema, withClient } from '../postgres-helpers.js';
import { assertSketchesTrue, writerReports } from './install-sketch-backend.js';
import { assertNewMachinesExact, ingestShuffled, type RunSql } from './new-machines-contract.js';

/** What the upgrade test needs of a backend: a store on the database, SQL behind its back, and what undoes migration 24. */
interface Upgradable {
  open(): Promise<Store>;
  rows: RunSql;
  undo: string;
}

/**
 * A database with reports ingested is taken back to before migration 24 (its table, triggers and
 * ledger row dropped: what an install of the version before holds), then opened again.
 */
async function assertUpgradeFills(backend: Upgradable): Promise<void> {
  const before = writerReports(21, 200);
  let store = await backend.open();
  try {
    await ingestShuffled(store, before);
  } finally {
    await store.close();
  }
  const kept = await assertNewMachinesExact(backend.rows, 'as ingest kept them');
  for (const sql of backend.undo.split(';').filter((part) => part.trim() !== '')) await backend.rows(sql);
  assert.deepEqual(await backend.rows("SELECT version FROM schema_migrations WHERE version = 24"), []);
  store = await backend.open();
  try {
    assert.deepEqual(await assertNewMachinesExact(backend.rows, 'upgraded'), kept, 'the upgrade fills the counts ingest kept');
    const later = writerReports(22, 200);
    await ingestShuffled(store, later);
    const counts = await assertNewMachinesExact(backend.rows, 'upgraded, then more reports');
    assert.notDeepEqual(counts, kept);
    await assertSketchesTrue(store, [...before, ...later]);
  } finally {
    await store.close();
  }
}

const dirs: string[] = [];
const schemas: string[] = [];
after(async () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  await dropSchemas(schemas);
});

describe('new-machine counts migration (SQLite 24)', () => {
  it('fills the counts of an upgraded database from its first-seen rows, equal to those ingest kept, and ingest keeps them after', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-nm-migration-'));
    dirs.push(dataDir);
    await assertUpgradeFills({
      open: () => openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' }),
      rows: async (sql) => {
        const db = new Database(path.join(dataDir, 'tally.db'));
        try {
          const statement = db.prepare(sql);
          return statement.reader ? (statement.all() as Record<string, unknown>[]) : (statement.run(), []);
        } finally {
          db.close();
        }
      },
      undo: `DROP TRIGGER install_first_seen_counted; DROP TRIGGER install_first_seen_uncounted; DROP TRIGGER install_first_seen_moved;
        DROP TABLE install_new_machines; DELETE FROM schema_migrations WHERE version = 24`,
    });
  });
});

await describeWithPostgres('the new-machine counts migration', () => {
  describe('new-machine counts migration (PostgreSQL 24)', () => {
    it('fills the counts of an upgraded schema from its first-seen rows, equal to those ingest kept, and ingest keeps them after', async () => {
      const schema = randomName('tally_nm_mig');
      schemas.push(schema);
      await assertUpgradeFills({
        open: () => openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema }),
        rows: (sql) => withClient(async (client) => (await client.query(sql)).rows as Record<string, unknown>[], urlInSchema(schema)),
        undo: `DROP FUNCTION install_new_machines_added, install_new_machines_removed, install_new_machines_moved CASCADE;
          DROP TABLE install_new_machines; DELETE FROM schema_migrations WHERE version = 24`,
      });
    });
  });
});
