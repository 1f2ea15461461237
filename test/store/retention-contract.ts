import assert from 'node:assert/strict';
import type { TelemetryFilter } from '../../src/model/filter.js';
import type { Store } from '../../src/store/contract/store.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const DAY_US = 86_400_000_000;
/** "Now" for these tests: 2024-06-15 UTC. With 30 days of retention the cutoff is 2024-05-16. */
export const NOW_US = Date.UTC(2024, 5, 15) * 1000;
const RETENTION_DAYS = 30;
const CUTOFF_US = NOW_US - RETENTION_DAYS * DAY_US;
const ALL: TelemetryFilter = { productIds: null };

/** Old enough to be removed on every backend (their whole month is before the cutoff). */
const OLD_US = [Date.UTC(2024, 0, 10), Date.UTC(2024, 2, 3), Date.UTC(2024, 3, 30, 23, 59)].map((ms) => ms * 1000);
/** Kept: at the cutoff, after it, now, and next month. */
const NEW_US = [CUTOFF_US, Date.UTC(2024, 4, 20) * 1000, NOW_US, Date.UTC(2024, 6, 2) * 1000];

/** A correct report created at `createdAtUs`, carrying that time in `data` so tests can tell them apart. */
export function reportAt(createdAtUs: number): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: 1, user_identifier: 'user', license_key: 'lic', activation_identifier: 'act',
    product_version: '1.0.0', data_type: 'numeric-single-value', data_group: 'g', data: String(createdAtUs),
    numeric_data_single_value: 1, numeric_data_x: null, numeric_data_y: null, text_data: null, is_correct_format: 1,
    product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1,
    has_red_flags: 0, errors: {}, metadata: {}, client_ip: null, blocked: 0, created_at_us: createdAtUs, reported_at_us: null,
  };
}

async function storedTimes(store: Store, filter: TelemetryFilter = ALL): Promise<number[]> {
  const rows = await store.telemetry.query(filter, { afterId: 0, limit: 10_000 });
  return rows.map((row) => row.created_at_us).sort((a, b) => a - b);
}

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** `Store.maintainTelemetry` retention as behaviour, for every backend. */
export function describeRetentionContract(test: StoreTest): void {
  test('maintenance removes records past retention and keeps those at or after the cutoff', async (store) => {
    await store.telemetry.insertMany([...OLD_US, ...NEW_US].map(reportAt));
    const report = await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: RETENTION_DAYS });
    assert.equal(report.cutoffUs, CUTOFF_US);
    assert.deepEqual(await storedTimes(store), sorted(NEW_US));
    assert.equal(await store.telemetry.count(), NEW_US.length);
    assert.deepEqual(await storedTimes(store, { productIds: [1], fromUs: CUTOFF_US, toUs: NOW_US }), sorted(NEW_US.slice(0, 3)));
    assert.deepEqual(await storedTimes(store, { productIds: null, toUs: CUTOFF_US - 1 }), []);
  });

  test('retention 0 keeps everything, and a second pass is harmless', async (store) => {
    await store.telemetry.insertMany([...OLD_US, ...NEW_US].map(reportAt));
    const kept = await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: 0 });
    assert.equal(kept.cutoffUs, null);
    assert.equal(kept.rowsDeleted + kept.partitionsDropped.length, 0);
    assert.equal(await store.telemetry.count(), OLD_US.length + NEW_US.length);
    await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: RETENTION_DAYS });
    const again = await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: RETENTION_DAYS });
    assert.deepEqual([again.rowsDeleted, again.partitionsCreated, again.partitionsDropped], [0, [], []]);
    assert.deepEqual(await storedTimes(store), sorted(NEW_US));
  });

  test('two maintenance passes at once remove each old record once and keep the rest', async (store) => {
    await store.telemetry.insertMany([...OLD_US, ...NEW_US].map(reportAt));
    const options = { nowUs: NOW_US, retentionDays: RETENTION_DAYS };
    const reports = await Promise.all([store.maintainTelemetry(options), store.maintainTelemetry(options)]);
    const removedRows = reports.reduce((sum, r) => sum + r.rowsDeleted, 0);
    const dropped = reports.flatMap((r) => r.partitionsDropped);
    assert.ok(removedRows <= OLD_US.length && new Set(dropped).size === dropped.length);
    assert.deepEqual(await storedTimes(store), sorted(NEW_US));
  });

  test('after retention over many id blocks, date-filtered pages and new inserts stay correct', async (store) => {
    const times = Array.from({ length: 9000 }, (_, i) => (i % 3 === 0 ? OLD_US[i % 2] ?? 0 : CUTOFF_US + i));
    await store.telemetry.insertMany(times.map(reportAt));
    await store.maintainTelemetry({ nowUs: NOW_US, retentionDays: RETENTION_DAYS });
    const kept = times.filter((us) => us >= CUTOFF_US);
    assert.equal(await store.telemetry.count(), kept.length);
    const [later] = await store.telemetry.insertMany([reportAt(OLD_US[0] ?? 0), reportAt(NOW_US + 1)]).then((ids) => ids.slice(1));
    const page = await store.telemetry.query({ productIds: null, fromUs: CUTOFF_US + 4000, toUs: CUTOFF_US + 4010 }, { afterId: 0, limit: 100 });
    assert.deepEqual(page.map((r) => r.created_at_us), kept.filter((us) => us >= CUTOFF_US + 4000 && us <= CUTOFF_US + 4010));
    const recent = await store.telemetry.query({ productIds: null, fromUs: NOW_US + 1 }, { afterId: 0, limit: 100 });
    assert.deepEqual(recent.map((r) => r.id), [later]);
    assert.deepEqual(await storedTimes(store, { productIds: null, toUs: OLD_US[2] ?? 0 }), [OLD_US[0]]);
  });
}
