import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../../src/store/open-store.js';
import { applyPgMigrations } from '../../src/store/postgres/migrate.js';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations.js';
import { applyMigrations } from '../../src/store/sqlite/database/migrate.js';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/database/migrations.js';
import type { Store } from '../../src/store/contract/store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema, withClient } from '../postgres-helpers.js';

/** The schema versions before the API keys' signature scheme and configured expiry (SQLite 10 and 11, PostgreSQL 8 and 9). */
const SQLITE_BEFORE = 10;
const PG_BEFORE = 8;

/** Keys as an install from before stored them: one never expiring, one expiring. */
const OLD_KEYS = [
  { name: 'never', secret_hash: '1'.repeat(64), expires_at: null },
  { name: 'expiring', secret_hash: '2'.repeat(64), expires_at: '2031-02-03T04:05:06.789Z' },
];
const OLD_INSERT = 'INSERT INTO api_keys (name, secret_hash, capabilities, products, allowed_ips, created_at, expires_at) VALUES';
const OLD_CREATED_AT = '2024-02-27T01:57:24.000Z';

/** After the migrations every existing key is `auto`, its current expiry is its configured one, and it is otherwise as it was. */
async function assertKeysKept(store: Store): Promise<void> {
  const keys = await store.registry.listApiKeys();
  assert.deepEqual(
    keys.map((key) => [key.name, key.expires_at, key.configured_expires_at, key.signature_scheme]),
    OLD_KEYS.map((old) => [old.name, old.expires_at, old.expires_at, 'auto']),
  );
  const [first] = keys;
  assert.ok(first);
  assert.equal(await store.registry.setApiKeySignatureScheme(first.id, 'contract'), true);
  assert.equal((await store.registry.findApiKeyByHash(first.secret_hash))?.signature_scheme, 'contract');
}

describe(`API key migrations (SQLite ${SQLITE_BEFORE})`, () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the keys of an existing install the auto scheme and their expiry as the configured one', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-keymig-'));
    dirs.push(dataDir);
    const db = new Database(path.join(dataDir, 'tally.db'));
    applyMigrations(db, SQLITE_MIGRATIONS.filter((m) => m.version < SQLITE_BEFORE));
    const insert = db.prepare(`${OLD_INSERT} (?, ?, '["send_telemetry"]', '[]', '[]', ?, ?)`);
    for (const old of OLD_KEYS) insert.run(old.name, old.secret_hash, OLD_CREATED_AT, old.expires_at);
    db.close();
    const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
    try {
      await assertKeysKept(store);
    } finally {
      await store.close();
    }
  });
});

await describeWithPostgres('the API key migrations', () => {
  describe(`API key migrations (PostgreSQL ${PG_BEFORE})`, () => {
    const schemas: string[] = [];
    after(() => dropSchemas(schemas));

    it('gives the keys of an existing install the auto scheme and their expiry as the configured one', async () => {
      const schema = randomName();
      schemas.push(schema);
      await withClient((client) => client.query(`CREATE SCHEMA "${schema}"`));
      const pool = new pg.Pool({ connectionString: urlInSchema(schema) });
      try {
        await applyPgMigrations(pool, PG_MIGRATIONS.filter((m) => m.version < PG_BEFORE));
        for (const old of OLD_KEYS) {
          await pool.query(`${OLD_INSERT} ($1, $2, '["send_telemetry"]', '[]', '[]', $3, $4)`, [old.name, old.secret_hash, OLD_CREATED_AT, old.expires_at]);
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
