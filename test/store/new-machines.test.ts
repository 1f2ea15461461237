import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe } from 'node:test';
import Database from 'better-sqlite3';
import { openStore, type OpenStoreOptions } from '../../src/store/open-store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema, withClient } from '../postgres-helpers.js';
import { describeNewMachineCounts, type NewMachinesBackend } from './new-machines-contract.js';

const dirs: string[] = [];
const schemas: string[] = [];
after(async () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  await dropSchemas(schemas);
});

/** A store over a new SQLite file, and SQL run on the file by a connection of its own. */
async function sqliteBackend(extra: Partial<OpenStoreOptions> = {}): Promise<NewMachinesBackend> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-new-machines-'));
  dirs.push(dataDir);
  const store = await openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL', ...extra });
  return {
    store,
    rows: async (sql) => {
      const db = new Database(path.join(dataDir, 'tally.db'));
      try {
        const statement = db.prepare(sql);
        return statement.reader ? (statement.all() as Record<string, unknown>[]) : (statement.run(), []);
      } finally {
        db.close();
      }
    },
  };
}

describe('new-machine counts (SQLite)', () => {
  describeNewMachineCounts('SQLite', () => sqliteBackend());
  describeNewMachineCounts('SQLite, commits on the writer thread', () => sqliteBackend({ sqliteWriterThread: true, sqliteWriterThreadMinRecords: 1 }));
});

await describeWithPostgres('new-machine counts', () => {
  describe('new-machine counts (PostgreSQL)', () => {
    describeNewMachineCounts('PostgreSQL', async () => {
      const schema = randomName('tally_nm');
      schemas.push(schema);
      const store = await openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
      return { store, rows: (sql) => withClient(async (client) => (await client.query(sql)).rows as Record<string, unknown>[], urlInSchema(schema)) };
    });
  });
});
