import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema, withClient } from '../postgres-helpers.js';
import { describePrivacyContract, MONTHS_US, seedPeople, subject, type PrivacyTest } from './privacy-contract.js';

const dirs: string[] = [];
const schemas: string[] = [];

after(async () => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  await dropSchemas(schemas);
});

function sqlite(threads: boolean): Promise<Store> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-privacy-'));
  dirs.push(dataDir);
  return openStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'NORMAL', sqliteReaderThread: threads, sqliteWriterThread: threads, sqliteWriterThreadMinRecords: 1 });
}

/** A fresh schema whose telemetry has partitions for January, March and June 2024 (and DEFAULT). */
async function postgres(schema: string = randomName()): Promise<Store> {
  schemas.push(schema);
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
  for (const at of MONTHS_US.slice(0, 3)) await store.maintainTelemetry({ nowUs: at, retentionDays: 0, monthsAhead: 0 });
  return store;
}

function runner(open: () => Promise<Store>): PrivacyTest {
  return (name, body) => it(name, async () => {
    const store = await open();
    try {
      await body(store);
    } finally {
      await store.close();
    }
  });
}

describe('Privacy store contract (sqlite)', () => describePrivacyContract(runner(() => sqlite(false))));
describe('Privacy store contract (sqlite with reader and writer threads)', () => describePrivacyContract(runner(() => sqlite(true))));

await describeWithPostgres('Privacy store contract', () => {
  describePrivacyContract(runner(() => postgres()));

  it('erases from every monthly partition and the DEFAULT partition', async () => {
    const schema = randomName();
    const store = await postgres(schema);
    try {
      await seedPeople(store);
      const homes = (): Promise<{ home: string; n: number }[]> => withClient(async (client) =>
        (await client.query(`SELECT tableoid::regclass::text AS home, count(*)::int AS n FROM telemetry WHERE user_identifier = 'alice'
          GROUP BY 1 ORDER BY 1`)).rows as { home: string; n: number }[], urlInSchema(schema));
      assert.deepEqual(await homes(), [
        { home: 'telemetry_2024_01', n: 1 }, { home: 'telemetry_2024_03', n: 2 }, { home: 'telemetry_2024_06', n: 2 }, { home: 'telemetry_default', n: 1 },
      ]);
      assert.deepEqual(await store.privacy.erase(subject('alice')), { records: 6, eventIds: 5 });
      assert.deepEqual(await homes(), []);
      const events = await withClient(async (client) => (await client.query('SELECT count(*)::int AS n FROM telemetry_event_ids')).rows as { n: number }[], urlInSchema(schema));
      assert.deepEqual(events, [{ n: 5 }], 'Alice\'s and bob\'s event ids are left');
    } finally {
      await store.close();
    }
  });
});
