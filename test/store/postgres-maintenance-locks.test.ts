import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/contract/store.js';
import { describeWithPostgres, dropSchemas, randomName, TEST_DATABASE_URL, urlInSchema, withClient } from '../postgres-helpers.js';
import { assertRollupTablesExact } from './postgres-rollup-partitions.js';
import type { PgTestHelpers } from './postgres-partitions.js';
import { reportAt } from './retention-contract.js';

/**
 * PostgreSQL maintenance beside ingest (docs/decisions/0041-maintenance-locks.md): a pass is short
 * transactions, so inserts wait for it only a DDL statement's length (or one range of an expired
 * partition's subtraction), and a pass stopped half-way is finished by the next without
 * subtracting anything twice.
 */

const schemas: string[] = [];
function freshSchema(): string {
  const schema = randomName();
  schemas.push(schema);
  return schema;
}
const openIn = (schema: string): Promise<Store> => openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: 'unused', sqliteSynchronous: 'FULL', schema });
const inspect = <R>(schema: string, sql: string, params?: unknown[]): Promise<R[]> =>
  withClient(async (client) => (await client.query(sql, params)).rows as R[], urlInSchema(schema));
const helpers: PgTestHelpers = { freshSchema, openIn, inspect };

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
const utcUs = (year: number, month: number, day: number, hour = 0): number => Date.UTC(year, month - 1, day, hour) * 1000;
const MARCH_US = utcUs(2024, 3, 1);
/** The pass's "now": with 30 days of retention the cutoff is 16 May, so March and April are expired. */
const JUNE_15_US = utcUs(2024, 6, 15);

/** Numeric reports of product 7 in five groups and three versions, values spread over many sketch bins. */
function filler(count: number, fromUs: number, spanUs: number, seed: number): NewTelemetryRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const createdUs = fromUs + Math.floor(((i * 7919 + seed) % count) * (spanUs / count));
    const value = ((i * 2654435761 + seed) % 100_000) / 7 - 2000;
    return {
      ...reportAt(createdUs), product_id: 7, data_group: `g${i % 5}`, product_version: `1.${i % 3}`, activation_identifier: `m${i % 500}`,
      numeric_data_single_value: value, data: String(value), has_red_flags: i % 10 === 0 ? 1 : 0,
      // One in five reported up to a day before it was created (an offline queue).
      reported_at_us: i % 5 === 0 ? createdUs - ((i * 37) % DAY_US) : null,
    };
  });
}

async function fill(store: Store, records: readonly NewTelemetryRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 5000) await store.telemetry.insertMany(records.slice(i, i + 5000));
}

/** Inserts one record every ~20 ms through `store` until `stop()`, timing each; late ones land in March's hours. */
function steadyIngest(store: Store): { stop: () => Promise<number[]> } {
  const waits: number[] = [];
  let running = true;
  const loop = (async (): Promise<void> => {
    for (let i = 0; running; i += 1) {
      const [record] = filler(1, JUNE_15_US + i * 1000, 1, i);
      const late = { ...(record as NewTelemetryRecord), reported_at_us: i % 2 === 0 ? MARCH_US + (i % 600) * HOUR_US : null };
      const started = performance.now();
      await store.telemetry.insertMany([late]);
      waits.push(performance.now() - started);
      await sleep(20);
    }
  })();
  return { stop: async () => { running = false; await loop; return waits; } };
}

async function withStores(body: (maintainer: Store, ingest: Store, schema: string) => Promise<void>): Promise<void> {
  const schema = freshSchema();
  const maintainer = await openIn(schema);
  const ingest = await openIn(schema);
  try {
    await body(maintainer, ingest, schema);
  } finally {
    await Promise.all([maintainer.close(), ingest.close()]);
  }
}

await describeWithPostgres('maintenance locks', () => {
  after(() => dropSchemas(schemas));
  describe('PostgreSQL maintenance beside ingest', () => {
    it('an insert statement locks its rollup bin rows before its count rows (the order a subtraction locks them in)', () =>
      withStores(async (_maintainer, ingest, schema) => {
        const record = { ...reportAt(utcUs(2024, 6, 10, 3)), product_id: 7, numeric_data_single_value: 5 };
        await ingest.telemetry.insertMany([record]);
        const holder = new pg.Client({ connectionString: urlInSchema(schema) });
        await holder.connect();
        try {
          await holder.query('BEGIN');
          await holder.query('SELECT 1 FROM telemetry_rollups WHERE product_id = 7 FOR UPDATE');
          const blocked = ingest.telemetry.insertMany([record]);
          await sleep(500);
          // The insert waits on a count row it cannot have; it already holds its bin rows.
          await assert.rejects(
            inspect(schema, 'BEGIN; SET LOCAL lock_timeout = 1; SELECT 1 FROM telemetry_rollup_bins WHERE product_id = 7 FOR UPDATE NOWAIT'),
            /could not obtain lock/,
          );
          await holder.query('COMMIT');
          assert.equal((await blocked).length, 1);
        } finally {
          await holder.end();
        }
      }));

    it('dropping an expired month of 120,000 records holds no insert up for long, and the rollups stay exact', { timeout: 120_000 }, (t) =>
      withStores(async (maintainer, ingest, schema) => {
        await maintainer.maintainTelemetry({ nowUs: MARCH_US, retentionDays: 0, partitionsAhead: 4 });
        await fill(maintainer, filler(120_000, MARCH_US, 31 * DAY_US, 1));
        await fill(maintainer, filler(2_000, utcUs(2024, 6, 1), 10 * DAY_US, 2));
        const ingesting = steadyIngest(ingest);
        await sleep(300);
        const started = performance.now();
        const report = await maintainer.maintainTelemetry({ nowUs: JUNE_15_US, retentionDays: 30 });
        const passMs = performance.now() - started;
        await sleep(300);
        const waits = await ingesting.stop();
        assert.deepEqual(report.partitionsDropped, ['telemetry_2024_03', 'telemetry_2024_04']);
        const longest = Math.max(...waits);
        const summary = `pass ${Math.round(passMs)} ms, ${waits.length} inserts, longest wait ${Math.round(longest)} ms`;
        t.diagnostic(summary);
        assert.ok(waits.length >= 10, summary);
        assert.ok(longest < passMs * 0.25 && longest < 3000, summary);
        assert.equal(await maintainer.telemetry.count(), 2_000 + waits.length, 'every acknowledged report of June kept');
        assert.deepEqual(await inspect(schema, 'SELECT name FROM retention_detached'), []);
        await assertRollupTablesExact(helpers, schema, `after the pass (${summary})`);
      }));

    it('a pass that fails half-way through an expired partition\'s subtraction is finished by the next one, nothing subtracted twice, an erasure between', { timeout: 120_000 }, () =>
      withStores(async (maintainer, ingest, schema) => {
        await maintainer.maintainTelemetry({ nowUs: MARCH_US, retentionDays: 0, partitionsAhead: 4 });
        const march = filler(6_000, MARCH_US, 31 * DAY_US, 3).map((r, i) => ({ ...r, user_identifier: i % 7 === 0 ? 'eve' : 'bob' }));
        await fill(maintainer, march);
        await fill(maintainer, filler(500, utcUs(2024, 6, 1), 10 * DAY_US, 4).map((r) => ({ ...r, user_identifier: 'eve', reported_at_us: r.created_at_us - 80 * DAY_US })));
        // Any bin row of the second half of March refuses to change: the pass stops there.
        await inspect(schema, `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
            IF OLD.bucket_us >= ${utcUs(2024, 3, 16)} THEN RAISE EXCEPTION 'refused for the test'; END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$;
          CREATE TRIGGER refuse BEFORE UPDATE OR DELETE ON telemetry_rollup_bins FOR EACH ROW EXECUTE FUNCTION refuse()`);
        const pass = { nowUs: JUNE_15_US, retentionDays: 30, retentionStepRows: 500 } as const;
        await assert.rejects(maintainer.maintainTelemetry(pass), /refused for the test/);
        const [progress] = await inspect<{ name: string; bins: number; counts: number | null }>(schema, 'SELECT name, bins_from_us AS bins, counts_from_us AS counts FROM retention_detached');
        assert.equal(progress?.name, 'telemetry_2024_03');
        assert.ok(progress !== undefined && progress.bins > MARCH_US && progress.bins <= utcUs(2024, 3, 16) && progress.counts === null, JSON.stringify(progress));
        const [homes] = await inspect<{ n: number }>(schema, "SELECT count(*)::int AS n FROM pg_inherits WHERE inhrelid = 'telemetry_2024_03'::regclass");
        assert.equal(homes?.n, 0, 'March is detached from telemetry');
        // An erasure meanwhile reaches only what telemetry still holds (eve's June reports, late into March's hours).
        await inspect(schema, 'DROP TRIGGER refuse ON telemetry_rollup_bins');
        assert.equal((await ingest.privacy.erase({ userIdentifier: 'eve', licenseKey: null, activationIdentifier: null, productId: null })).records, 500);
        const report = await maintainer.maintainTelemetry(pass);
        assert.deepEqual(report.partitionsDropped, ['telemetry_2024_03', 'telemetry_2024_04']);
        assert.deepEqual(await inspect(schema, 'SELECT name FROM retention_detached'), []);
        assert.deepEqual(await inspect(schema, "SELECT to_regclass('telemetry_2024_03') AS gone"), [{ gone: null }]);
        assert.equal(await maintainer.telemetry.count(), 0);
        await assertRollupTablesExact(helpers, schema, 'after the second pass');
        const [left] = await inspect<{ counts: number; bins: number }>(schema, 'SELECT (SELECT count(*) FROM telemetry_rollups)::int AS counts, (SELECT count(*) FROM telemetry_rollup_bins)::int AS bins');
        assert.deepEqual(left, { counts: 0, bins: 0 });
      }));

    it('a DDL step behind a long read gives up after its short lock timeout instead of holding inserts up, and the next pass does it', { timeout: 60_000 }, () =>
      withStores(async (maintainer, ingest, schema) => {
        await maintainer.maintainTelemetry({ nowUs: MARCH_US, retentionDays: 0, partitionsAhead: 0 });
        const reader = new pg.Client({ connectionString: urlInSchema(schema) });
        await reader.connect();
        try {
          await reader.query('BEGIN');
          await reader.query('SELECT count(*) FROM telemetry_rollups');
          const ingesting = steadyIngest(ingest);
          // April's rollup partitions need ACCESS EXCLUSIVE on telemetry_rollups, which the read holds off.
          await assert.rejects(maintainer.maintainTelemetry({ nowUs: utcUs(2024, 4, 2), retentionDays: 0, partitionsAhead: 0 }), /lock timeout/);
          const waits = await ingesting.stop();
          assert.ok(Math.max(...waits) < 1500, `longest insert wait ${Math.round(Math.max(...waits))} ms`);
          await reader.query('COMMIT');
        } finally {
          await reader.end();
        }
        const report = await maintainer.maintainTelemetry({ nowUs: utcUs(2024, 4, 2), retentionDays: 0, partitionsAhead: 0 });
        assert.deepEqual(report.rollups.partitionsCreated.filter((name) => name.startsWith('telemetry_rollups_')), ['telemetry_rollups_2024_06']);
      }));
  });
});
