import { recordTimeRange } from '../../src/model/record-time.js';
import assert from 'node:assert/strict';
import type { ActivityRow } from '../../src/model/activity.js';
import type { Store } from '../../src/store/contract/store.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
const T0 = Date.UTC(2024, 1, 27) * 1000;

function report(overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: 1, user_identifier: 'user', license_key: 'lic', activation_identifier: 'act', product_version: '1.0.0',
    data_type: 'numeric-single-value', data_group: 'g', data: '1', numeric_data_single_value: 1, numeric_data_x: null, numeric_data_y: null,
    text_data: null, is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1,
    license_active: 1, has_red_flags: 0, blocked: 0, errors: {}, metadata: {}, client_ip: null, created_at_us: T0, reported_at_us: null, ...overrides,
  };
}

const flagged = (overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord => report({ license_key_exists: 0, has_red_flags: 1, ...overrides });

function sorted(rows: ActivityRow[]): ActivityRow[] {
  const key = (r: ActivityRow): string => `${r.product_id}|${r.data_group}|${r.data_type}|${r.bucket_start_us}`;
  return [...rows].sort((a, b) => key(a).localeCompare(key(b)));
}

/** `TelemetryStore.activity` as behaviour; part of the store contract every backend runs. */
export function describeActivityContract(test: StoreTest): void {
  test('activity counts clean and flagged reports per product, data group, data type and day', async (store) => {
    await store.telemetry.insertMany([
      report(), report({ created_at_us: T0 + 5 * HOUR_US }), flagged({ created_at_us: T0 + 23 * HOUR_US }),
      report({ created_at_us: T0 + DAY_US + 1 }),
      report({ product_id: 2, data_group: 'words', data_type: 'text', text_data: 'hi', numeric_data_single_value: null }),
      flagged({ product_id: null, data_group: null, data_type: null, numeric_data_single_value: null }),
    ]);
    const rows = await store.telemetry.activity({ ...recordTimeRange(T0, T0 + 2 * DAY_US, 90), bucketUs: DAY_US });
    assert.deepEqual(sorted(rows), sorted([
      { product_id: 1, data_group: 'g', data_type: 'numeric-single-value', bucket_start_us: T0, clean: 2, flagged: 1 },
      { product_id: 1, data_group: 'g', data_type: 'numeric-single-value', bucket_start_us: T0 + DAY_US, clean: 1, flagged: 0 },
      { product_id: 2, data_group: 'words', data_type: 'text', bucket_start_us: T0, clean: 1, flagged: 0 },
      { product_id: null, data_group: null, data_type: null, bucket_start_us: T0, clean: 0, flagged: 1 },
    ]));
  });

  test('activity buckets by the size asked for and keeps only the range, both ends included', async (store) => {
    await store.telemetry.insertMany([
      report({ created_at_us: T0 - 1 }), report({ created_at_us: T0 }), report({ created_at_us: T0 + HOUR_US - 1 }),
      flagged({ created_at_us: T0 + 2 * HOUR_US + 7 }), report({ created_at_us: T0 + 3 * HOUR_US }), report({ created_at_us: T0 + 3 * HOUR_US + 1 }),
    ]);
    const rows = await store.telemetry.activity({ ...recordTimeRange(T0, T0 + 3 * HOUR_US, 90), bucketUs: HOUR_US });
    const buckets = rows.map((r) => [r.bucket_start_us - T0, r.clean, r.flagged]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
    assert.deepEqual(buckets, [[0, 2, 0], [2 * HOUR_US, 0, 1], [3 * HOUR_US, 1, 0]]);
  });

  test('activity of a range without reports is empty', async (store) => {
    assert.deepEqual(await store.telemetry.activity({ ...recordTimeRange(T0, T0 + DAY_US, 90), bucketUs: DAY_US }), []);
    await store.telemetry.insertMany([report()]);
    assert.deepEqual(await store.telemetry.activity({ ...recordTimeRange(T0 + 1, T0 + DAY_US, 90), bucketUs: DAY_US }), []);
  });
}
