import assert from 'node:assert/strict';
import { INSTALLS_BREAKDOWNS, INSTALLS_INTERVALS, type InstallsBy, type InstallsCounts } from '../../src/model/installs.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
import { seedFleet, storedRecords, type Fleet } from '../insights/fleet.js';
import { installsTruth, sortSeries, type TruthRequest } from '../insights/installs-truth.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const DAY_US = 86_400_000_000;
const HOUR_US = 3_600_000_000;
/** A Monday at midnight UTC, three days before a month ends: the fleet's days cross weeks and months. */
const START_US = Date.UTC(2024, 0, 29) * 1000;

async function answered(store: Store, request: TruthRequest): Promise<InstallsCounts> {
  const counts = await store.telemetry.installs(request);
  return { totals: counts.totals, series: sortSeries(counts.series) };
}

/** Every number of every (interval, breakdown) over `range`, against the truth. */
async function assertAll(store: Store, fleet: Fleet, records: readonly NewTelemetryRecord[], range: { fromUs: number; toUs: number }, maxKeys = 20): Promise<void> {
  for (const interval of INSTALLS_INTERVALS) {
    for (const by of INSTALLS_BREAKDOWNS) {
      const request = { productId: fleet.productId, ...range, interval, by, maxKeys };
      const truth = installsTruth(records, request);
      assert.ok(truth.series.length > 0);
      assert.deepEqual(await answered(store, request), truth, `${interval} by ${by} over ${JSON.stringify(range)}`);
    }
  }
}

function report(overrides: Partial<NewTelemetryRecord>): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: 1, user_identifier: 'u', license_key: 'lic', activation_identifier: 'a', product_version: '1.0.0',
    data_type: 'numeric-single-value', data_group: 'g', data: '1', numeric_data_single_value: 1, numeric_data_x: null, numeric_data_y: null,
    text_data: null, is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1,
    license_active: 1, has_red_flags: 0, blocked: 0, errors: {}, metadata: {}, client_ip: null, created_at_us: START_US, reported_at_us: null, ...overrides,
  };
}

/** `TelemetryStore.installs` as behaviour, against a generated fleet's ground truth; part of the store contract. */
export function describeInstallsContract(test: StoreTest): void {
  test('installs: every count of every interval and breakdown equals the fleet\'s truth, over the whole fleet and a window inside it', async (store) => {
    const fleet = await seedFleet(store, { seed: 17, machines: 60, days: 24, startUs: START_US });
    const other = await seedFleet(store, { seed: 18, machines: 12, days: 24, startUs: START_US });
    const records = [...storedRecords(fleet), ...storedRecords(other)];
    // The fleet has what the counts must get right: upgrades, shared users, absent and unusable OS, client bugs.
    assert.ok(fleet.machines.some((m) => m.upgradeDay !== null) && fleet.reports.some((r) => r.activation === null) && fleet.reports.some((r) => r.version === null));
    await assertAll(store, fleet, records, { fromUs: START_US, toUs: START_US + 24 * DAY_US - 1 });
    // Partial first and last buckets; machines seen before the window are not new in it.
    await assertAll(store, fleet, records, { fromUs: START_US + 5 * DAY_US + 7 * HOUR_US, toUs: START_US + 16 * DAY_US + 3 * HOUR_US });
    await assertAll(store, other, records, { fromUs: START_US + 2 * DAY_US, toUs: START_US + 9 * DAY_US });
  });

  test('installs: past maxKeys, keys with fewer machines are counted together, exactly, as "other" (new machines too)', async (store) => {
    const fleet = await seedFleet(store, { seed: 5, machines: 40, days: 10, startUs: START_US });
    const records = storedRecords(fleet);
    for (const by of ['version', 'os'] as InstallsBy[]) {
      const request = { productId: fleet.productId, fromUs: START_US, toUs: START_US + 10 * DAY_US, interval: 'week' as const, by, maxKeys: 2 };
      const counts = await answered(store, request);
      assert.deepEqual(counts, installsTruth(records, request));
      assert.equal(new Set(counts.series.map((row) => row.key)).size, 3);
      assert.ok(counts.series.some((row) => row.key === 'other' && row.new_machines > 0));
    }
  });

  test('installs: a product without reports in range has no series and zero totals', async (store) => {
    await store.telemetry.insertMany([report({ product_id: 2 }), report({ created_at_us: START_US - 1 })]);
    const empty = { totals: { machines: 0, users: 0 }, series: [] };
    assert.deepEqual(await store.telemetry.installs({ productId: 1, fromUs: START_US + 1, toUs: START_US + DAY_US, interval: 'day', by: 'version', maxKeys: 20 }), empty);
    assert.deepEqual(await store.telemetry.installs({ productId: 3, fromUs: 0, toUs: START_US + DAY_US, interval: 'month', by: 'none', maxKeys: 20 }), empty);
  });

  test('installs: metadata.os is read trimmed and cut to 64 characters, U+0000 as U+FFFD, anything but text as "unknown"', async (store) => {
    const long = `  ${'é'.repeat(70)}`;
    const values: unknown[] = ['li\u0000nux', ' macOS ', long, 7, true, { name: 'x' }, ['a'], '', null];
    await store.telemetry.insertMany(values.map((os, i) => report({ activation_identifier: `m${i}`, metadata: { os, ['k\u0000']: 'v\u0000' } })));
    await store.telemetry.insertMany([report({ activation_identifier: 'none', metadata: {} })]);
    const counts = await answered(store, { productId: 1, fromUs: START_US, toUs: START_US, interval: 'day', by: 'os', maxKeys: 20 });
    const keys = Object.fromEntries(counts.series.map((row) => [row.key, row.machines]));
    assert.deepEqual(keys, { 'li\uFFFDnux': 1, macOS: 1, ['é'.repeat(64)]: 1, unknown: 7 });
  });

  test('installs: a machine\'s first report is its earliest by record time, the one stored first on a tie, whatever order they were stored in', async (store) => {
    await store.telemetry.insertMany([
      report({ product_version: '2.0.0', created_at_us: START_US + DAY_US }),
      report({ product_version: '1.5.0', created_at_us: START_US + 3 * HOUR_US }),
      report({ product_version: '1.0.0', created_at_us: START_US + 3 * HOUR_US }),
      report({ activation_identifier: 'b', product_version: '1.0.0', created_at_us: START_US - DAY_US }),
      report({ activation_identifier: 'b', product_version: '2.0.0', created_at_us: START_US + 2 * HOUR_US }),
    ]);
    const counts = await answered(store, { productId: 1, fromUs: START_US, toUs: START_US + 2 * DAY_US, interval: 'day', by: 'version', maxKeys: 20 });
    assert.deepEqual(counts, {
      totals: { machines: 2, users: 1 },
      series: [
        { bucket: '2024-01-29', key: '1.0.0', machines: 1, users: 1, new_machines: 0 },
        { bucket: '2024-01-29', key: '1.5.0', machines: 1, users: 1, new_machines: 1 },
        { bucket: '2024-01-29', key: '2.0.0', machines: 1, users: 1, new_machines: 0 },
        { bucket: '2024-01-30', key: '2.0.0', machines: 1, users: 1, new_machines: 0 },
      ],
    });
  });
}
