import assert from 'node:assert/strict';
import type { ActivityRow } from '../../src/model/activity.js';
import type { InstallsCounts } from '../../src/model/installs.js';
import { recordTimeRange } from '../../src/model/record-time.js';
import type { Store } from '../../src/store/contract/store.js';

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
const OPTIONS = { buckets: 10, points: 10, top: 5 };

/** Activity rows summed per (product, group, type, day): rows of 30-minute buckets (read raw) and day rows (read from rollups) compare. */
function perDay(rows: readonly ActivityRow[]): string[] {
  const days = new Map<string, [number, number]>();
  for (const row of rows) {
    const key = JSON.stringify([row.product_id, row.data_group, row.data_type, Math.floor(row.bucket_start_us / DAY_US)]);
    const [clean, flagged] = days.get(key) ?? [0, 0];
    days.set(key, [clean + row.clean, flagged + row.flagged]);
  }
  return [...days].map(([key, [clean, flagged]]) => `${key} ${clean}/${flagged}`).sort();
}

const machinesOf = (counts: InstallsCounts): unknown => ({ totals: counts.totals, series: counts.series.map((row) => JSON.stringify(row)).sort() });

/**
 * After crashes or concurrent writers: the rollup check over everything finds no mismatch, and the
 * answers read from rollups (overview activity, summary counts, sketched installs) equal the exact
 * answers read from the raw records, over whole days covering `[fromUs, toUs]` (installs too,
 * unless `skip`: sketched counts equal exact ones only for small sets, below 1,025 per key).
 */
export async function assertRollupsAgree(store: Store, products: readonly number[], groups: readonly string[], fromUs: number, toUs: number, installs: 'equal' | 'skip' = 'equal'): Promise<void> {
  const report = await store.rollups.check({ retentionDays: 0, nowUs: toUs, limit: 10 });
  assert.equal(report.mismatches, 0, JSON.stringify(report.first, null, 1));
  assert.ok(report.checked.rollupRows > 0 && report.checked.sketchKeys > 0 && report.checked.firstSeen > 0 && report.checked.newMachineKeys > 0, 'the check looked at rows');
  const from = Math.floor(fromUs / DAY_US) * DAY_US;
  const to = (Math.floor(toUs / DAY_US) + 1) * DAY_US - 1;
  const range = recordTimeRange(from, to, 90);
  const rolled = await store.telemetry.activity({ ...range, bucketUs: DAY_US });
  const raw = await store.telemetry.activity({ ...range, bucketUs: HOUR_US / 2 });
  assert.ok(rolled.length > 0, 'activity has rows');
  assert.deepEqual(perDay(rolled), perDay(raw), 'overview activity from rollups = from raw records');
  for (const productId of products) {
    for (const dataGroup of groups) {
      const filter = { productIds: [productId], dataGroup, ...range };
      const [sketched, exact] = [await store.telemetry.summarize(filter, OPTIONS), await store.telemetry.summarize(filter, { ...OPTIONS, exact: true })];
      assert.equal(sketched.percentiles, 'sketch ±1%');
      assert.deepEqual([sketched.numeric.count, sketched.numeric.min, sketched.numeric.max, sketched.days], [exact.numeric.count, exact.numeric.min, exact.numeric.max, exact.days], `summary of ${productId}/${dataGroup}`);
    }
    for (const by of installs === 'equal' ? (['version', 'os'] as const) : []) {
      const request = { productId, fromUs: from, toUs: to, interval: 'day' as const, by, maxKeys: 20 };
      const [hll, exact] = [await store.telemetry.installs({ ...request, distinct: 'hll' }), await store.telemetry.installs({ ...request, distinct: 'exact' })];
      assert.deepEqual(machinesOf(hll), machinesOf(exact), `installs of ${productId} by ${by}: sketched (small sets count exactly) = exact`);
    }
  }
}
