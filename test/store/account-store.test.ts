import { after, describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL } from '../postgres-helpers.js';
import { describeAccountContract } from './account-contract.js';

const dirs: string[] = [];
const schemas: string[] = [];

after(async () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  await dropSchemas(schemas);
});

/** The account contract on one backend: each test gets its own empty migrated store. */
function describeOn(name: string, open: () => Promise<Store>): void {
  describe(`Account store contract (${name})`, () => {
    describeAccountContract((title, body) => {
      it(title, async () => {
        const store = await open();
        try {
          await body(store);
        } finally {
          await store.close();
        }
      });
    });
  });
}

describeOn('sqlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-accounts-'));
  dirs.push(dir);
  return openStore({ databaseUrl: null, dataDir: dir, sqliteSynchronous: 'NORMAL' });
});

await describeWithPostgres('Account store contract', () => {
  describeOn('postgres', () => {
    const schema = randomName();
    schemas.push(schema);
    return openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
  });
});
