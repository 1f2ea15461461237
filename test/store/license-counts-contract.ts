import assert from 'node:assert/strict';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
import type { LicenseReportCounts } from '../../src/store/contract/license-store.js';
import { randomRecords } from './rollup-contract.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const DAY_US = 86_400_000_000;
/** 2024-06-10T00:00:00Z, the first day of randomRecords. */
const DAY0 = Date.UTC(2024, 5, 10) * 1000;
const KEYS: readonly (string | null)[] = ['K-1', 'K-2', 'K-3', 'K-4', null];

/** randomRecords with license keys varied by `seed` (products 7, 8 or none; some red-flagged). */
export function keyedRecords(seed: number, count: number): NewTelemetryRecord[] {
  return randomRecords(seed, count).map((r, i) => ({ ...r, license_key: KEYS[(i * 7 + seed) % KEYS.length] ?? null }));
}

/** Every (product, key) the tests may ask about, products 7 and 8 (and 9: never sent). */
const PAIRS = [7, 8, 9].flatMap((product) => KEYS.filter((k): k is string => k !== null).map((key) => [product, key] as const));

/** A license's counts from the stored records themselves. */
async function rawCounts(store: Store): Promise<Map<string, LicenseReportCounts>> {
  const rows = await store.telemetry.query({ productIds: null }, { afterId: 0, limit: 100_000 });
  const counts = new Map<string, LicenseReportCounts>();
  for (const row of rows) {
    if (row.product_id === null || row.license_key === null) continue;
    const name = `${row.product_id}/${row.license_key}`;
    const c = counts.get(name) ?? { total: 0, flagged: 0, last_report_us: null };
    c.total += 1;
    c.flagged += row.has_red_flags;
    c.last_report_us = Math.max(c.last_report_us ?? row.created_at_us, row.created_at_us);
    counts.set(name, c);
  }
  return counts;
}

/** The store's counts of every pair equal the raw ones (last report time included unless `lastAtLeast`: then never earlier). */
export async function assertCountsMatchRaw(store: Store, what: string, lastAtLeast = false): Promise<void> {
  const raw = await rawCounts(store);
  for (const [product, key] of PAIRS) {
    const got = await store.registry.licenseReportCounts(product, key);
    const want = raw.get(`${product}/${key}`) ?? { total: 0, flagged: 0, last_report_us: null };
    const label = `${what}: ${product}/${key}`;
    assert.deepEqual([got.total, got.flagged], [want.total, want.flagged], label);
    if (!lastAtLeast || want.last_report_us === null) assert.equal(got.last_report_us, want.last_report_us, label);
    else assert.ok((got.last_report_us ?? 0) >= want.last_report_us, label);
  }
}

/** The per-license report counts (docs/decisions/0040-license-report-counts.md) as behaviour, for every backend. */
export function describeLicenseCountsContract(test: StoreTest): void {
  test('license report counts equal the stored reports after batches of mixed licenses, one-key batches and single reports', async (store) => {
    await store.telemetry.insertMany(keyedRecords(1, 300));
    await store.telemetry.insertMany(randomRecords(2, 50).map((r) => ({ ...r, product_id: 7, license_key: 'K-2' })));
    for (const r of keyedRecords(3, 20)) await store.telemetry.insertMany([r]);
    const raw = await rawCounts(store);
    assert.ok((raw.get('7/K-2')?.total ?? 0) > 50 && (raw.get('8/K-1')?.flagged ?? 0) > 0, 'the data covers the cases');
    await assertCountsMatchRaw(store, 'inserted');
  });

  test('a repeated event_id is counted once in the license counts, in one call or in two', async (store) => {
    const [a, b] = keyedRecords(5, 2).map((r, i) => ({ ...r, product_id: 7, license_key: 'K-1', has_red_flags: i as 0 | 1, event_id: `e-${i}` }));
    await store.telemetry.insertUnique([a as NewTelemetryRecord, a as NewTelemetryRecord, b as NewTelemetryRecord]);
    await store.telemetry.insertUnique([b as NewTelemetryRecord, a as NewTelemetryRecord]);
    const got = await store.registry.licenseReportCounts(7, 'K-1');
    assert.deepEqual([got.total, got.flagged], [2, 1]);
    await assertCountsMatchRaw(store, 'event ids');
  });

  test('retention keeps the license counts equal to the reports that remain, and a license left without reports reads 0, 0, null', async (store) => {
    await store.telemetry.insertMany(keyedRecords(11, 400));
    await store.telemetry.insertMany([{ ...(keyedRecords(12, 1)[0] as NewTelemetryRecord), product_id: 8, license_key: 'OLD', created_at_us: DAY0 + 1 }]);
    await store.maintainTelemetry({ nowUs: DAY0 + 32 * DAY_US, retentionDays: 30 });
    await assertCountsMatchRaw(store, 'after retention');
    assert.deepEqual(await store.registry.licenseReportCounts(8, 'OLD'), { total: 0, flagged: 0, last_report_us: null });
    await store.maintainTelemetry({ nowUs: DAY0 + 90 * DAY_US, retentionDays: 30 });
    assert.deepEqual(await store.registry.licenseReportCounts(7, 'K-1'), { total: 0, flagged: 0, last_report_us: null });
  });

  test('erasing a person takes their reports out of the license counts; the last report time stays the newest received while reports remain', async (store) => {
    const records = keyedRecords(21, 400);
    const base = records[0] as NewTelemetryRecord;
    const newest = DAY0 + 10 * DAY_US;
    // The newest report of 7/K-3 is dave's; every report of 8/K-4 is erin's.
    records.push({ ...base, product_id: 7, license_key: 'K-3', user_identifier: 'dave', created_at_us: newest, has_red_flags: 1 });
    records.push(...[1, 2, 3].map((i) => ({ ...base, product_id: 8, license_key: 'ERIN', user_identifier: 'erin', created_at_us: DAY0 + i })));
    await store.telemetry.insertMany(records);
    const before = await store.registry.licenseReportCounts(7, 'K-3');
    for (const user of ['alice', 'dave', 'erin']) {
      await store.privacy.erase({ userIdentifier: user, licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 50 });
    }
    await assertCountsMatchRaw(store, 'after erasure', true);
    const after = await store.registry.licenseReportCounts(7, 'K-3');
    assert.ok(after.total > 0 && after.total < before.total, 'dave and alice had reports of 7/K-3, others remain');
    assert.equal(after.last_report_us, newest);
    assert.deepEqual(await store.registry.licenseReportCounts(8, 'ERIN'), { total: 0, flagged: 0, last_report_us: null });
  });
}

