import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openStore, type OpenStoreOptions } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/contract/store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL } from '../../postgres-helpers.js';
import { check, validReport } from '../../telemetry/report-fixtures.js';

const INSERTERS = 8;
const PER_INSERT = 5;

/**
 * Inserts batches from several concurrent writers (as the group committers of several instances
 * would) while one maintenance pass runs, and returns how many records the store acknowledged.
 * The records fall in the current month, so on PostgreSQL they sit in the DEFAULT partition until
 * the pass makes the month's partition and moves them.
 */
async function insertAroundMaintenance(store: Store): Promise<number> {
  const nowUs = Date.now() * 1000;
  const record = check(validReport(), undefined, { nowUs });
  let acknowledged = 0;
  let stop = false;
  const inserter = async (): Promise<void> => {
    while (!stop) {
      const ids = await store.telemetry.insertMany(Array.from({ length: PER_INSERT }, () => record));
      acknowledged += ids.length;
      // SQLite answers synchronously: yield, so the pass below gets its turn.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const inserters = Array.from({ length: INSERTERS }, inserter);
  while (acknowledged < 500) await new Promise((resolve) => setImmediate(resolve));
  await store.maintainTelemetry({ nowUs, retentionDays: 0 });
  const afterPass = acknowledged;
  while (acknowledged < afterPass + 200) await new Promise((resolve) => setImmediate(resolve));
  stop = true;
  await Promise.all(inserters);
  return acknowledged;
}

async function withStore(options: OpenStoreOptions, work: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore(options);
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

const KEEPS_EVERY_RECORD = 'a maintenance pass during concurrent inserts keeps every acknowledged record';

describe('maintenance during ingest on SQLite', () => {
  it(KEEPS_EVERY_RECORD, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tally-maint-'));
    try {
      await withStore({ databaseUrl: null, dataDir, sqliteSynchronous: 'OFF' }, async (store) => {
        const acknowledged = await insertAroundMaintenance(store);
        assert.equal(await store.telemetry.count(), acknowledged);
      });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

await describeWithPostgres('maintenance during ingest', () => {
  describe('maintenance during ingest on PostgreSQL', () => {
    it(`${KEEPS_EVERY_RECORD} (rows moved out of the DEFAULT partition included)`, async () => {
      const schema = randomName('tally_maint');
      try {
        // Several rounds: the race it guards against (an insert committed between copying the
        // DEFAULT partition's rows and deleting them) needs an insert to land in a short window.
        for (let round = 0; round < 5; round++) {
          await dropSchemas([schema]);
          await withStore({ databaseUrl: TEST_DATABASE_URL, dataDir: os.tmpdir(), sqliteSynchronous: 'FULL', schema }, async (store) => {
            const acknowledged = await insertAroundMaintenance(store);
            assert.equal(await store.telemetry.count(), acknowledged, `round ${round}: every acknowledged record is stored`);
          });
        }
      } finally {
        await dropSchemas([schema]);
      }
    });
  });
});
