import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { keyId } from '../../src/model/key-id.js';
import { KeyRing } from '../../src/envelope/key-ring.js';
import { generateSigningKey } from '../../src/envelope/signing-key.js';
import { openStore } from '../../src/store/open-store.js';
import { applyPgMigrations } from '../../src/store/postgres/migrate.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { applyMigrations } from '../../src/store/sqlite/database/migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/database/migrations.js';
import type { Store } from '../../src/store/contract/store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema, withClient } from '../postgres-helpers.js';

/** Keys as an install from before the key ring stored them: one row per scope, no key_id, no retired_at. */
const OLD_KEYS = [generateSigningKey('global', 'rsa-2048'), generateSigningKey('product:4', 'ed25519')];
const OLD_INSERT = 'INSERT INTO signing_keys (scope, algorithm, private_pem, public_pem, created_at) VALUES';

/** After the migration the old keys are the current keys of their scopes, with their ids, and a server keeps signing with them. */
async function assertKeysKept(store: Store): Promise<void> {
  for (const old of OLD_KEYS) {
    const stored = await store.secrets.getSigningKey(old.scope);
    assert.ok(stored, `${old.scope} keeps its key`);
    assert.equal(stored.key_id, keyId(old.public_pem));
    assert.equal(stored.private_pem, old.private_pem);
    assert.equal(stored.retired_at, null);
  }
  const ring = await KeyRing.open(store.secrets, 'ed25519', 1000);
  assert.equal(ring.choose(null).key.keyId, keyId(OLD_KEYS[0]?.public_pem ?? ''));
  assert.equal(ring.choose(4).used, 'product');
  assert.equal((await store.secrets.listSigningKeys()).length, 2, 'no new key was made');
  const next = await store.secrets.rotateSigningKey(generateSigningKey('global', 'rsa-2048'));
  assert.ok(next, 'a migrated key can be rotated');
}

describe('signing key ring migration (SQLite 8)', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the key of an existing install as its current key', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-keymig-'));
    dirs.push(dataDir);
    const db = new Database(path.join(dataDir, 'tally.db'));
    applyMigrations(db, SQLITE_MIGRATIONS.filter((m) => m.version < 8));
    const insert = db.prepare(`${OLD_INSERT} (?, ?, ?, ?, ?)`);
    for (const old of OLD_KEYS) insert.run(old.scope, old.algorithm, old.private_pem, old.public_pem, old.created_at);
    db.close();
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
    try {
      await assertKeysKept(store);
    } finally {
      await store.close();
    }
  });
});

await describeWithPostgres('the signing key ring migration', () => {
  describe('signing key ring migration (PostgreSQL 6)', () => {
    const schemas: string[] = [];
    after(() => dropSchemas(schemas));

    it('keeps the key of an existing install as its current key', async () => {
      const schema = randomName();
      schemas.push(schema);
      await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
      const pool = new pg.Pool({ connectionString: urlInSchema(schema) });
      try {
        await applyPgMigrations(pool, PG_MIGRATIONS.filter((m) => m.version < 6));
        for (const old of OLD_KEYS) {
          await pool.query(`${OLD_INSERT} ($1, $2, $3, $4, $5)`, [old.scope, old.algorithm, old.private_pem, old.public_pem, old.created_at]);
        }
      } finally {
        await pool.end();
      }
      const store = await openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
      try {
        await assertKeysKept(store);
      } finally {
        await store.close();
      }
    });
  });
});
