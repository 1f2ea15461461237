import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/contract/store.js';
import { NOW_US, reportAt } from './retention-contract.js';

/** What the PostgreSQL test file lends these tests. */
export interface PgTestHelpers {
  freshSchema(): string;
  openIn(schema: string): Promise<Store>;
  inspect<R>(schema: string, sql: string): Promise<R[]>;
}

const JUNE_TO_AUGUST = ['telemetry_2024_06', 'telemetry_2024_07', 'telemetry_2024_08'];
const JULY_US = Date.UTC(2024, 6, 2) * 1000;
const PARTITIONS = `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'telemetry'::regclass ORDER BY c.relname`;

async function partitions(helpers: PgTestHelpers, schema: string): Promise<string[]> {
  return (await helpers.inspect<{ name: string }>(schema, PARTITIONS)).map((row) => row.name);
}

async function homes(helpers: PgTestHelpers, schema: string): Promise<string[]> {
  const rows = await helpers.inspect<{ home: string }>(schema, 'SELECT tableoid::regclass::text AS home FROM telemetry ORDER BY id');
  return rows.map((row) => row.home);
}

/** Monthly partitions and partition-dropping retention: PostgreSQL only. */
export function describePostgresPartitions(helpers: PgTestHelpers): void {
  const withStore = async (body: (store: Store, schema: string) => Promise<void>): Promise<void> => {
    const schema = helpers.freshSchema();
    const store = await helpers.openIn(schema);
    try {
      await body(store, schema);
    } finally {
      await store.close();
    }
  };

  describe('PostgreSQL monthly partitions', () => {
    it('makes the current and the next two months, and a record of a future month lands in its partition', () =>
      withStore(async (store, schema) => {
        const report = await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: 0 });
        assert.deepEqual(report.partitionsCreated, JUNE_TO_AUGUST);
        assert.deepEqual(await partitions(helpers, schema), [...JUNE_TO_AUGUST, 'telemetry_default']);
        await store.telemetry.insertMany([reportAt(JULY_US), reportAt(Date.UTC(2025, 0, 1) * 1000)]);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_07', 'telemetry_default']);
        const again = await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: 0 });
        assert.deepEqual(again.partitionsCreated, []);
      }));

    it('moves rows of a new partition\'s month out of the DEFAULT partition, keeping their ids', () =>
      withStore(async (store, schema) => {
        const ids = await store.telemetry.insertMany([reportAt(JULY_US), reportAt(NOW_US), reportAt(JULY_US + 1)]);
        const report = await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: 0 });
        assert.equal(report.rowsMoved, 3);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_07', 'telemetry_2024_06', 'telemetry_2024_07']);
        assert.deepEqual((await store.telemetry.list({ limit: 10 })).map((r) => r.id), ids);
        const [next] = await store.telemetry.insertMany([reportAt(JULY_US)]);
        assert.ok((next ?? 0) > (ids[2] ?? 0));
      }));

    it('lets two instances maintain one schema at once', async () => {
      const schema = helpers.freshSchema();
      const stores = await Promise.all([helpers.openIn(schema), helpers.openIn(schema)]);
      try {
        await stores[0]?.telemetry.insertMany([reportAt(JULY_US)]);
        const reports = await Promise.all(stores.map((s) => s.maintainTelemetry({ nowUs: NOW_US, retentionDays: 0 })));
        assert.deepEqual(reports.flatMap((r) => r.partitionsCreated).sort(), JUNE_TO_AUGUST);
        assert.equal(reports.reduce((sum, r) => sum + r.rowsMoved, 0), 1);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_07']);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('drops whole partitions whose month ended before the cutoff, keeping the partly expired one', () =>
      withStore(async (store, schema) => {
        await store.maintainTelemetry({ nowUs: Date.UTC(2024, 2, 1) * 1000, retentionDays: 0 });
        await store.telemetry.insertMany([Date.UTC(2024, 2, 5), Date.UTC(2024, 3, 5), Date.UTC(2024, 4, 20)].map((ms) => reportAt(ms * 1000)));
        // Cutoff 2024-05-16: March and April are over; May is only partly expired and stays.
        const report = await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: 30 });
        assert.deepEqual(report.partitionsDropped, ['telemetry_2024_03', 'telemetry_2024_04']);
        assert.deepEqual(await partitions(helpers, schema), ['telemetry_2024_05', ...JUNE_TO_AUGUST, 'telemetry_default']);
        assert.deepEqual((await store.telemetry.list({ limit: 10 })).map((r) => r.created_at_us), [Date.UTC(2024, 4, 20) * 1000]);
      }));
  });
}
