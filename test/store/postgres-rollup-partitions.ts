import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { recordTimeRange } from '../../src/model/record-time.js';
import type { Store } from '../../src/store/contract/store.js';
import { summaryBinsSql, summaryCountsSql } from '../../src/store/contract/rollup-reads.js';
import { BIN_KEY, COUNT_KEY, rollupDeltaSql } from '../../src/store/contract/rollup-sql.js';
import { PgParams } from '../../src/store/postgres/filter-condition.js';
import { INSTALL_SKETCH_READ_SQL } from '../../src/store/postgres/installs-query.js';
import type { PgTestHelpers } from './postgres-partitions.js';
import { reportAt } from './retention-contract.js';

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
const utcUs = (year: number, month: number, day: number, hour = 0, minute = 0): number => Date.UTC(year, month - 1, day, hour, minute) * 1000;
const months = (table: string, ...names: string[]): string[] => names.map((name) => `${table}_${name}`);
const ALL_TABLES = (...names: string[]): string[] => ['telemetry_rollups', 'telemetry_rollup_bins', 'install_sketches'].flatMap((t) => months(t, ...names));

/** A numeric report of product 7, group g, created at `createdUs`, reported at `reportedUs`, with value `value`. */
function report(createdUs: number, reportedUs: number | null, value: number, machine = 'm1'): NewTelemetryRecord {
  return { ...reportAt(createdUs), product_id: 7, data_group: 'g', activation_identifier: machine, numeric_data_single_value: value, data: String(value), reported_at_us: reportedUs };
}

const PARTITIONS = (parent: string): string => `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = '${parent}'::regclass ORDER BY c.relname`;

/** Relations an EXPLAIN (FORMAT JSON) plan reads. */
function relationsOf(plan: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Relation Name' && typeof value === 'string') found.push(value);
        else walk(value);
      }
    }
  };
  walk(plan);
  return [...new Set(found)].sort();
}

/**
 * The rollup tables hold exactly what the stored records add up to: every count row's n, typed_n,
 * min and max (v_sum to rounding) and every bin row's n, no row more or less.
 */
export async function assertRollupTablesExact(helpers: PgTestHelpers, schema: string, what: string): Promise<void> {
  const key = COUNT_KEY.join(', ');
  const binKey = BIN_KEY.join(', ');
  const truth = `SELECT ${key}, SUM(n)::bigint AS n, SUM(typed_n)::bigint AS typed_n, round(SUM(v_sum)::numeric, 6) AS v_sum, MIN(lo) AS v_min, MAX(hi) AS v_max
    FROM (${rollupDeltaSql('telemetry')}) AS d GROUP BY ${key}`;
  const stored = `SELECT ${key}, n, typed_n, round(v_sum::numeric, 6) AS v_sum, v_min, v_max FROM telemetry_rollups`;
  const counts = await helpers.inspect<Record<string, unknown>>(schema, `(${truth} EXCEPT ${stored}) UNION ALL (${stored} EXCEPT ${truth})`);
  assert.deepEqual(counts, [], `${what}: rollup rows differ from the records`);
  const binTruth = `SELECT ${binKey}, SUM(n)::bigint AS n FROM (${rollupDeltaSql('telemetry')}) AS d WHERE bin IS NOT NULL GROUP BY ${binKey}`;
  const binStored = `SELECT ${binKey}, n FROM telemetry_rollup_bins`;
  const bins = await helpers.inspect<Record<string, unknown>>(schema, `(${binTruth} EXCEPT ${binStored}) UNION ALL (${binStored} EXCEPT ${binTruth})`);
  assert.deepEqual(bins, [], `${what}: bin rows differ from the records`);
}

/** The rollup tables' monthly partitions: PostgreSQL only (docs/decisions/0039-rollup-partitions.md). */
export function describeRollupPartitions(helpers: PgTestHelpers): void {
  const withStore = async (body: (store: Store, schema: string) => Promise<void>): Promise<void> => {
    const schema = helpers.freshSchema();
    const store = await helpers.openIn(schema);
    try {
      await body(store, schema);
    } finally {
      await store.close();
    }
  };
  const partitions = async (schema: string, parent: string): Promise<string[]> =>
    (await helpers.inspect<{ name: string }>(schema, PARTITIONS(parent))).map((row) => row.name);
  const homes = async (schema: string, table: string): Promise<string[]> =>
    (await helpers.inspect<{ home: string }>(schema, `SELECT DISTINCT tableoid::regclass::text AS home FROM ${table} ORDER BY 1`)).map((row) => row.home);

  describe('PostgreSQL rollup partitions', () => {
    it('makes this month\'s and the next two months\' rollup partitions under the partition pass, whatever the telemetry interval, and rows land in their month', () =>
      withStore(async (store, schema) => {
        const report1 = await store.maintainTelemetry({ nowUs: utcUs(2024, 6, 15), retentionDays: 0, partitionInterval: 'day' });
        assert.deepEqual(report1.rollups.partitionsCreated, ALL_TABLES('2024_06', '2024_07', '2024_08'));
        assert.equal(report1.partitionsCreated.length, 8, 'telemetry by day: today and 7 ahead');
        for (const parent of ['telemetry_rollups', 'telemetry_rollup_bins', 'install_sketches']) {
          assert.ok((await partitions(schema, parent)).includes(`${parent}_2024_07`), parent);
          assert.ok((await partitions(schema, parent)).includes(`${parent}_default`), parent);
        }
        // Record time decides the month: created in July, reported on the last hour of June.
        await store.telemetry.insertMany([report(utcUs(2024, 7, 2), utcUs(2024, 6, 30, 23, 30), 3)]);
        assert.deepEqual(await homes(schema, 'telemetry_rollups'), ['telemetry_rollups_2024_06']);
        assert.deepEqual(await homes(schema, 'telemetry_rollup_bins'), ['telemetry_rollup_bins_2024_06']);
        assert.deepEqual(await homes(schema, 'install_sketches'), ['install_sketches_2024_06']);
        assert.deepEqual((await store.maintainTelemetry({ nowUs: utcUs(2024, 6, 16), retentionDays: 0 })).rollups.partitionsCreated, []);
      }));

    it('moves rollup rows of a month without a partition out of the DEFAULT partitions into a month made for them, answers unchanged', () =>
      withStore(async (store, schema) => {
        await store.maintainTelemetry({ nowUs: utcUs(2024, 6, 15), retentionDays: 0 });
        // Reported in March (an offline queue), created in June: no rollup partition for March yet.
        await store.telemetry.insertMany([report(utcUs(2024, 6, 1), utcUs(2024, 3, 20, 5), 4), report(utcUs(2024, 6, 1), utcUs(2024, 3, 21, 5), 9, 'm2')]);
        assert.deepEqual(await homes(schema, 'telemetry_rollups'), ['telemetry_rollups_default']);
        const range = recordTimeRange(utcUs(2024, 3, 1), utcUs(2024, 4, 1) - 1, 90);
        const before = await store.telemetry.summarize({ productIds: [7], dataGroup: 'g', ...range }, { buckets: 5, points: 10, top: 5 });
        const installs = { productId: 7, fromUs: utcUs(2024, 3, 1), toUs: utcUs(2024, 4, 1) - 1, interval: 'day', by: 'none', distinct: 'hll', maxKeys: 20 } as const;
        const installsBefore = await store.telemetry.installs(installs);
        const report2 = await store.maintainTelemetry({ nowUs: utcUs(2024, 6, 15), retentionDays: 0 });
        assert.deepEqual(report2.rollups.partitionsCreated, ALL_TABLES('2024_03'));
        // 2 hours + 2 days of counts, 2 + 2 bins, 2 sketch rows (one per day).
        assert.equal(report2.rollups.rowsMoved, 10);
        assert.equal(report2.rowsMoved, 0);
        assert.deepEqual(await homes(schema, 'telemetry_rollups'), ['telemetry_rollups_2024_03']);
        assert.deepEqual(await homes(schema, 'install_sketches'), ['install_sketches_2024_03']);
        assert.deepEqual(await helpers.inspect(schema, 'SELECT count(*)::int AS n FROM telemetry_rollups_default'), [{ n: 0 }]);
        assert.deepEqual(await store.telemetry.summarize({ productIds: [7], dataGroup: 'g', ...range }, { buckets: 5, points: 10, top: 5 }), before);
        assert.equal(before.numeric.count, 2);
        assert.deepEqual(await store.telemetry.installs(installs), installsBefore);
        await assertRollupTablesExact(helpers, schema, 'after the move');
      }));

    it('retention drops rollup months no kept record can fall in, and what remains equals the kept records exactly', () =>
      withStore(async (store, schema) => {
        await store.maintainTelemetry({ nowUs: utcUs(2024, 5, 1), retentionDays: 0, partitionsAhead: 8 });
        const records = [
          report(utcUs(2024, 4, 10), null, 1), // telemetry DEFAULT (before the first partition): deleted row by row
          report(utcUs(2024, 5, 10), null, 2),
          report(utcUs(2024, 7, 10), utcUs(2024, 5, 20), 3), // late: a May record time, created in July
          report(utcUs(2024, 10, 20), utcUs(2024, 8, 25, 10, 5), -1000), // the minimum of its hour, in a dropped telemetry month
          report(utcUs(2024, 10, 20), utcUs(2024, 10, 20), 50, 'm2'),
          report(utcUs(2024, 11, 2), utcUs(2024, 8, 25, 10, 40), 5, 'm2'), // kept: same hour as -1000, 69 days late
          report(utcUs(2024, 11, 20), utcUs(2024, 8, 25, 10, 50), 8, 'm3'), // kept: 87 days late
          report(utcUs(2024, 11, 20), null, 7),
          report(utcUs(2024, 12, 14), null, 6),
        ];
        await store.telemetry.insertMany(records);
        await store.maintainTelemetry({ nowUs: utcUs(2024, 12, 1), retentionDays: 0 });
        // Cutoff 2024-11-15; the November partition is kept whole (from 1 November), so the
        // oldest record time that can remain is 1 November − 90 days = 3 August (− 1 day margin).
        const got = await store.maintainTelemetry({ nowUs: utcUs(2024, 12, 15), retentionDays: 30 });
        assert.deepEqual(got.partitionsDropped, ['telemetry_2024_05', 'telemetry_2024_06', 'telemetry_2024_07', 'telemetry_2024_08', 'telemetry_2024_09', 'telemetry_2024_10']);
        assert.deepEqual(got.rollups.partitionsDropped, [
          ...months('telemetry_rollups', '2024_04', '2024_05', '2024_06', '2024_07'),
          ...months('telemetry_rollup_bins', '2024_04', '2024_05', '2024_06', '2024_07'),
          // Sketches keep days from the cutoff's on (decision 0034): October and before go (no September was made).
          ...months('install_sketches', '2024_04', '2024_05', '2024_06', '2024_07', '2024_08', '2024_10'),
        ]);
        assert.ok((await partitions(schema, 'telemetry_rollups')).includes('telemetry_rollups_2024_08'), 'August may still receive records');
        await assertRollupTablesExact(helpers, schema, 'after retention');
        const hour = recordTimeRange(utcUs(2024, 8, 25, 10), utcUs(2024, 8, 25, 11) - 1, 90);
        const summary = await store.telemetry.summarize({ productIds: [7], dataGroup: 'g', ...hour }, { buckets: 5, points: 10, top: 5 });
        assert.deepEqual([summary.percentiles, summary.numeric.count, summary.numeric.min, summary.numeric.max], ['sketch ±1%', 2, 5, 8]);
        const day = await store.telemetry.summarize({ productIds: [7], dataGroup: 'g', ...recordTimeRange(utcUs(2024, 8, 25), utcUs(2024, 8, 26) - 1, 90) }, { buckets: 5, points: 10, top: 5 });
        assert.deepEqual([day.numeric.count, day.numeric.min, day.numeric.max], [2, 5, 8]);
        // Another pass finds nothing more to drop and the answers hold.
        const again = await store.maintainTelemetry({ nowUs: utcUs(2024, 12, 15), retentionDays: 30 });
        assert.deepEqual(again.rollups.partitionsDropped, []);
        await assertRollupTablesExact(helpers, schema, 'after a second pass');
      }));

    it('an erasure keeps the rollups exact, min and max included', () =>
      withStore(async (store, schema) => {
        await store.maintainTelemetry({ nowUs: utcUs(2024, 6, 15), retentionDays: 0 });
        const person = (r: NewTelemetryRecord, user: string): NewTelemetryRecord => ({ ...r, user_identifier: user });
        await store.telemetry.insertMany([
          person(report(utcUs(2024, 6, 10, 3), null, -5), 'eve'), person(report(utcUs(2024, 6, 10, 3, 10), null, 1), 'bob'),
          person(report(utcUs(2024, 6, 10, 4), null, 99), 'eve'), person(report(utcUs(2024, 6, 10, 4, 20), null, 2), 'bob'),
          person(report(utcUs(2024, 6, 11), utcUs(2024, 6, 10, 3, 30), 0.5), 'eve'),
        ]);
        await store.privacy.erase({ userIdentifier: 'eve', licenseKey: null, activationIdentifier: null, productId: null });
        await assertRollupTablesExact(helpers, schema, 'after the erasure');
        const day = await store.telemetry.summarize({ productIds: [7], dataGroup: 'g', ...recordTimeRange(utcUs(2024, 6, 10), utcUs(2024, 6, 11) - 1, 90) }, { buckets: 5, points: 10, top: 5 });
        assert.deepEqual([day.numeric.count, day.numeric.min, day.numeric.max], [2, 1, 2]);
      }));

    it('reads of a range scan only the rollup partitions of its months (EXPLAIN)', () =>
      withStore(async (store, schema) => {
        await store.maintainTelemetry({ nowUs: utcUs(2024, 3, 1), retentionDays: 0, partitionsAhead: 5 });
        await store.telemetry.insertMany([3, 4, 5, 6, 7].map((month) => report(utcUs(2024, month, 10), null, month)));
        // June and July were in DEFAULT: their months are made, so DEFAULT is pruned too.
        await store.maintainTelemetry({ nowUs: utcUs(2024, 3, 1), retentionDays: 0 });
        await helpers.inspect(schema, 'ANALYZE telemetry_rollups; ANALYZE telemetry_rollup_bins; ANALYZE install_sketches');
        const explain = async (sql: string, params: unknown[]): Promise<string[]> =>
          relationsOf(await helpers.inspect(schema, `EXPLAIN (FORMAT JSON) ${sql}`, params));
        const filter = { productIds: [7], dataGroup: 'g' };
        const span = { spanUs: DAY_US, from: utcUs(2024, 4, 10), to: utcUs(2024, 5, 20) };
        const counts = new PgParams();
        assert.deepEqual(await explain(summaryCountsSql(filter, span, (v) => counts.add(v)), counts.values), months('telemetry_rollups', '2024_04', '2024_05'));
        const bins = new PgParams();
        assert.deepEqual(await explain(summaryBinsSql(filter, span, (v) => bins.add(v)), bins.values), months('telemetry_rollup_bins', '2024_04', '2024_05'));
        const days = [utcUs(2024, 5, 3) / DAY_US, utcUs(2024, 6, 2) / DAY_US];
        const sketchRelations = await explain(INSTALL_SKETCH_READ_SQL, [7, ...days]);
        assert.deepEqual(sketchRelations.filter((name) => name.startsWith('install_sketches')), months('install_sketches', '2024_05', '2024_06'));
      }));
  });
}
