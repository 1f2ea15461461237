import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Store } from '../../src/store/contract/store.js';
import { openStore } from '../../src/store/open-store.js';
import { applyPgMigrations } from '../../src/store/postgres/migrate.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { applyMigrations } from '../../src/store/sqlite/database/migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/database/migrations.js';
import { describeWithPostgres, dropSchemas, randomName, urlInSchema, withClient } from '../postgres-helpers.js';

const SQLITE_LIFECYCLE = 19;
const PG_LIFECYCLE = 17;
const CREATED = '2025-01-02T03:04:05.000Z';
// As the registry wrote them before the lifecycle: the last license deleted, so the counter is past the highest id.
const OLD_ROWS = [
  "INSERT INTO products (id, name, status, created_at) VALUES (1, 'Old', 'active', '2025-01-01T00:00:00.000Z')",
  `INSERT INTO licenses (id, product_id, key, status, expires_at, created_at, max_activations) VALUES (1, 1, 'OLD-1', 'blocked', NULL, '${CREATED}', 3)`,
  `INSERT INTO licenses (id, product_id, key, status, expires_at, created_at, max_activations) VALUES (2, 1, 'OLD-2', 'active', NULL, '${CREATED}', NULL)`,
  `INSERT INTO activations (id, license_id, identifier, created_at) VALUES (7, 1, 'm-1', '${CREATED}')`,
];

/** What an install made before the lifecycle keeps: its licenses (updated_at = created_at), activations counting, ids going on. */
async function assertKept(store: Store): Promise<void> {
  const [old] = await store.registry.findLicenses('OLD-1');
  assert.deepEqual(old, { id: 1, product_id: 1, key: 'OLD-1', status: 'blocked', expires_at: null, max_activations: 3, notes: null, created_at: CREATED, updated_at: CREATED });
  assert.deepEqual((await store.registry.listActivations({ licenseId: 1, limit: 10 })).map((a) => [a.id, a.identifier, a.deactivated_at]), [[7, 'm-1', null]]);
  assert.equal((await store.registry.lookupReportFacts({ productId: 1, licenseKey: 'OLD-1', productVersion: null, activationIdentifier: 'm-1' })).activationExists, true);
  assert.equal((await store.registry.updateLicense(1, { status: 'revoked' }))?.status, 'revoked');
  const added = await store.registry.createLicense({ product_id: 1, key: 'NEW', status: 'active', expires_at: null });
  assert.ok(added.id > 2);
  assert.equal(await store.registry.deleteLicense(1), true);
  assert.deepEqual(await store.registry.listActivations({ limit: 10 }), []);
}

describe(`license lifecycle migration (SQLite ${SQLITE_LIFECYCLE})`, () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rebuilds licenses and activations keeping every row, id and counter, and the cascade from licenses to activations', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-licmig-'));
    dirs.push(dataDir);
    const db = new Database(path.join(dataDir, 'tally.db'));
    db.pragma('foreign_keys = ON');
    applyMigrations(db, SQLITE_MIGRATIONS.filter((m) => m.version < SQLITE_LIFECYCLE));
    for (const sql of OLD_ROWS) db.exec(sql);
    db.exec("INSERT INTO licenses (id, product_id, key, status, created_at) VALUES (5, 1, 'DELETED', 'active', '2025-01-01T00:00:00.000Z'); DELETE FROM licenses WHERE id = 5;");
    db.close();
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
    try {
      await assertKept(store);
      assert.ok((await store.registry.findLicenses('NEW'))[0]!.id > 5);
    } finally {
      await store.close();
    }
  });
});

await describeWithPostgres('the license lifecycle migration', () => {
  describe(`license lifecycle migration (PostgreSQL ${PG_LIFECYCLE})`, () => {
    const schemas: string[] = [];
    after(() => dropSchemas(schemas));

    it('keeps every license and activation, with updated_at from created_at', async () => {
      const schema = randomName();
      schemas.push(schema);
      await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
      const pool = new pg.Pool({ connectionString: urlInSchema(schema) });
      try {
        await applyPgMigrations(pool, PG_MIGRATIONS.filter((m) => m.version < PG_LIFECYCLE));
        for (const sql of OLD_ROWS) await pool.query(sql);
        // Identity columns do not move for explicit ids; as the registry would have, continue after them.
        await pool.query("SELECT setval(pg_get_serial_sequence('licenses', 'id'), 2)");
      } finally {
        await pool.end();
      }
      const store = await openStore({ databaseUrl: urlInSchema(schema), dataDir: os.tmpdir(), sqliteSynchronous: 'NORMAL' });
      try {
        await assertKept(store);
      } finally {
        await store.close();
      }
    });
  });
});
