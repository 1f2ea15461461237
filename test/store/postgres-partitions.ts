import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/contract/store.js';
import { NOW_US, reportAt } from './retention-contract.js';

/** What the PostgreSQL test file lends these tests. */
export interface PgTestHelpers {
  freshSchema(): string;
  openIn(schema: string): Promise<Store>;
  inspect<R>(schema: string, sql: string, params?: unknown[]): Promise<R[]>;
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

const utcUs = (year: number, month: number, day: number, hour = 0): number => Date.UTC(year, month - 1, day, hour) * 1000;

/** Partitions by week or day, and changes of interval over partitions already made: PostgreSQL only. */
export function describePartitionIntervals(helpers: PgTestHelpers): void {
  const withStore = async (body: (store: Store, schema: string) => Promise<void>): Promise<void> => {
    const schema = helpers.freshSchema();
    const store = await helpers.openIn(schema);
    try {
      await body(store, schema);
    } finally {
      await store.close();
    }
  };
  const day = { partitionInterval: 'day', retentionDays: 0 } as const;

  describe('PostgreSQL partitions by week and day', () => {
    it('makes today\'s and the next seven days\' partitions, and a record lands in its day\'s', () =>
      withStore(async (store, schema) => {
        const report = await store.maintainTelemetry({ nowUs: NOW_US, ...day });
        const days = [15, 16, 17, 18, 19, 20, 21, 22].map((d) => `telemetry_2024_06_${d}`);
        assert.deepEqual(report.partitionsCreated, days);
        assert.deepEqual(await partitions(helpers, schema), [...days, 'telemetry_default']);
        await store.telemetry.insertMany([reportAt(utcUs(2024, 6, 17, 23)), reportAt(utcUs(2024, 6, 18)), reportAt(utcUs(2024, 6, 23))]);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_06_17', 'telemetry_2024_06_18', 'telemetry_default']);
        assert.deepEqual((await store.maintainTelemetry({ nowUs: NOW_US, ...day })).partitionsCreated, []);
      }));

    it('makes ISO weeks (Monday to Monday, UTC) ahead, named after their Monday', () =>
      withStore(async (store, schema) => {
        // 2024-06-15 is a Saturday: its week began on Monday 10 June.
        const report = await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: 0, partitionInterval: 'week' });
        assert.deepEqual(report.partitionsCreated, ['telemetry_2024_06_10', 'telemetry_2024_06_17', 'telemetry_2024_06_24']);
        await store.telemetry.insertMany([reportAt(utcUs(2024, 6, 16, 23)), reportAt(utcUs(2024, 6, 17))]);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_06_10', 'telemetry_2024_06_17']);
      }));

    it('switching from months to days mid-month keeps the month and starts days where it ends, moving DEFAULT rows', () =>
      withStore(async (store, schema) => {
        await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: 0, monthsAhead: 0 });
        await store.telemetry.insertMany([reportAt(utcUs(2024, 6, 29)), reportAt(utcUs(2024, 7, 3, 12))]);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_06', 'telemetry_default']);
        // 28 June + 7 days: June is already covered; days from 1 to 5 July are made.
        const report = await store.maintainTelemetry({ nowUs: utcUs(2024, 6, 28), ...day });
        assert.deepEqual(report.partitionsCreated, [1, 2, 3, 4, 5].map((d) => `telemetry_2024_07_0${d}`));
        assert.equal(report.rowsMoved, 1);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_06', 'telemetry_2024_07_03']);
      }));

    it('switching from days back to months fills what the days leave of the month with shorter partitions, then whole months', () =>
      withStore(async (store, schema) => {
        await store.maintainTelemetry({ nowUs: NOW_US, ...day });
        const report = await store.maintainTelemetry({ nowUs: utcUs(2024, 6, 20), retentionDays: 0, partitionInterval: 'month' });
        // Days cover 15–22 June: the month's start before them and its end after them get one partition each.
        assert.deepEqual(report.partitionsCreated, ['telemetry_2024_06_01', 'telemetry_2024_06_23', 'telemetry_2024_07', 'telemetry_2024_08']);
        await store.telemetry.insertMany([reportAt(utcUs(2024, 6, 22, 23)), reportAt(utcUs(2024, 6, 23)), reportAt(utcUs(2024, 6, 30, 23))]);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_06_22', 'telemetry_2024_06_23', 'telemetry_2024_06_23']);
      }));

    it('retention drops each day or month partition whose whole range is before the cutoff, and no other', () =>
      withStore(async (store, schema) => {
        await store.maintainTelemetry({ nowUs: utcUs(2024, 4, 10), retentionDays: 0, monthsAhead: 0 });
        await store.maintainTelemetry({ nowUs: utcUs(2024, 5, 14), retentionDays: 0, partitionInterval: 'day', partitionsAhead: 3 });
        const times = [utcUs(2024, 4, 30, 23), utcUs(2024, 5, 14, 12), utcUs(2024, 5, 15, 23), utcUs(2024, 5, 16), utcUs(2024, 5, 16, 12)];
        await store.telemetry.insertMany(times.map(reportAt));
        // Cutoff 2024-05-16 00:00: April, 14 and 15 May are wholly before it; 16 May starts at it and stays.
        const report = await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: 30, partitionInterval: 'day', partitionsAhead: 0 });
        assert.deepEqual(report.partitionsDropped, ['telemetry_2024_04', 'telemetry_2024_05_14', 'telemetry_2024_05_15']);
        assert.deepEqual(report.partitionsCreated, ['telemetry_2024_06_15']);
        assert.deepEqual(await partitions(helpers, schema), ['telemetry_2024_05_16', 'telemetry_2024_05_17', 'telemetry_2024_06_15', 'telemetry_default']);
        assert.deepEqual((await store.telemetry.list({ limit: 10 })).map((r) => r.created_at_us), times.slice(3));
      }));

    it('an erasure removes a person\'s reports from day, month and DEFAULT partitions alike', () =>
      withStore(async (store, schema) => {
        await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: 0, monthsAhead: 0 });
        await store.maintainTelemetry({ nowUs: utcUs(2024, 7, 1), ...day });
        const person = (at: number, user: string) => ({ ...reportAt(at), user_identifier: user });
        await store.telemetry.insertMany([person(NOW_US, 'eve'), person(utcUs(2024, 7, 2), 'eve'), person(utcUs(2025, 1, 1), 'eve'), person(utcUs(2024, 7, 2), 'bob')]);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_06', 'telemetry_2024_07_02', 'telemetry_default', 'telemetry_2024_07_02']);
        assert.equal((await store.privacy.erase({ userIdentifier: 'eve', licenseKey: null, activationIdentifier: null, productId: null })).records, 3);
        assert.deepEqual(await homes(helpers, schema), ['telemetry_2024_07_02']);
      }));
  });
}
