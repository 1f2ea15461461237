import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { DuplicateError } from '../../src/model/errors.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL } from '../postgres-helpers.js';

const T1 = '2026-01-10T10:00:00.000Z';

/** Makes accounts until one has this id's place: tokens belong to accounts (a foreign key). */
async function accounts(store: Store, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i += 1) ids.push((await store.accounts.create({ name: `person${i}`, role: 'viewer', products: null, password_hash: 'x' })).id);
  return ids;
}
const T2 = '2026-01-10T11:00:00.000Z';

/** The personal-token part of the store contract (docs/accounts.md), run on every backend. */
function describeAccessTokenContract(backend: string, open: () => Promise<Store>): void {
  const test = (name: string, body: (store: Store) => Promise<void>): void => {
    it(name, async () => {
      const store = await open();
      try {
        await body(store);
      } finally {
        await store.close();
      }
    });
  };

  describe(`Access token store (${backend})`, () => {
    test('creates a token and finds it by id and by the hash of its secret, never showing the hash', async (store) => {
      const [seven = 0] = await accounts(store, 1);
      const made = await store.accessTokens.create({ accountId: seven, name: 'ci', tokenHash: 'a'.repeat(64), createdAt: T1, expiresAt: null });
      assert.deepEqual(made, { id: made.id, account_id: seven, name: 'ci', created_at: T1, last_used_at: null, expires_at: null, revoked_at: null });
      assert.deepEqual(await store.accessTokens.get(made.id), made);
      assert.deepEqual(await store.accessTokens.findByHash('a'.repeat(64)), made);
      assert.equal(await store.accessTokens.findByHash('b'.repeat(64)), null);
      assert.equal(await store.accessTokens.get(made.id + 100), null);
      assert.equal('token_hash' in made, false);
    });

    test('lists every token or one account\'s, by id', async (store) => {
      const [one = 0, two = 0, three = 0] = await accounts(store, 3);
      const a = await store.accessTokens.create({ accountId: one, name: 'a', tokenHash: '1'.repeat(64), createdAt: T1, expiresAt: T2 });
      const b = await store.accessTokens.create({ accountId: two, name: 'b', tokenHash: '2'.repeat(64), createdAt: T1, expiresAt: null });
      const c = await store.accessTokens.create({ accountId: one, name: 'c', tokenHash: '3'.repeat(64), createdAt: T2, expiresAt: null });
      assert.deepEqual((await store.accessTokens.list()).map((t) => t.id), [a.id, b.id, c.id]);
      assert.deepEqual((await store.accessTokens.list(one)).map((t) => t.name), ['a', 'c']);
      assert.deepEqual(await store.accessTokens.list(three), []);
      assert.equal(a.expires_at, T2);
    });

    test('refuses a second token with the same secret hash', async (store) => {
      const [one = 0, two = 0] = await accounts(store, 2);
      await store.accessTokens.create({ accountId: one, name: 'a', tokenHash: 'f'.repeat(64), createdAt: T1, expiresAt: null });
      await assert.rejects(store.accessTokens.create({ accountId: two, name: 'b', tokenHash: 'f'.repeat(64), createdAt: T1, expiresAt: null }), DuplicateError);
    });

    test('revokes once: a second revoke keeps the first time; an unknown id gives null', async (store) => {
      const [one = 0] = await accounts(store, 1);
      const made = await store.accessTokens.create({ accountId: one, name: 'a', tokenHash: 'c'.repeat(64), createdAt: T1, expiresAt: null });
      assert.equal((await store.accessTokens.revoke(made.id, T1))?.revoked_at, T1);
      assert.equal((await store.accessTokens.revoke(made.id, T2))?.revoked_at, T1);
      assert.equal((await store.accessTokens.findByHash('c'.repeat(64)))?.revoked_at, T1);
      assert.equal(await store.accessTokens.revoke(made.id + 100, T2), null);
    });

    test('records the last use, which never moves backwards', async (store) => {
      const [one = 0] = await accounts(store, 1);
      const made = await store.accessTokens.create({ accountId: one, name: 'a', tokenHash: 'd'.repeat(64), createdAt: T1, expiresAt: null });
      await store.accessTokens.touch(made.id, T2);
      await store.accessTokens.touch(made.id, T1);
      assert.equal((await store.accessTokens.get(made.id))?.last_used_at, T2);
    });
  });
}

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describeAccessTokenContract('sqlite', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-tokens-'));
  tempDirs.push(dataDir);
  return openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL' });
});

const schemas: string[] = [];
await describeWithPostgres('the access token store', () => {
  after(() => dropSchemas(schemas));
  describeAccessTokenContract('postgres', () => {
    const schema = randomName();
    schemas.push(schema);
    return openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
  });
});
