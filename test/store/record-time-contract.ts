import assert from 'node:assert/strict';
import type { ActivityRow } from '../../src/model/activity.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { recordTimeRange } from '../../src/model/record-time.js';
import type { Store } from '../../src/store/contract/store.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
/** 2024-03-01T00:00:00Z. */
const DAY0 = Date.UTC(2024, 2, 1) * 1000;
const CLEAN = { is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0 } as const;

/** A clean single value of product 3, group g, created at DAY0 + 5 days + 1 h: override its times. */
function rec(overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: 3, user_identifier: 'user-1', license_key: 'LIC-1', activation_identifier: 'act-1',
    product_version: '1.0.0', data_type: 'numeric-single-value', data_group: 'g', data: '1', numeric_data_single_value: 1,
    numeric_data_x: null, numeric_data_y: null, text_data: null, ...CLEAN, errors: {}, metadata: {}, client_ip: null, blocked: 0,
    created_at_us: DAY0 + 5 * DAY_US + HOUR_US, reported_at_us: null, ...overrides,
  };
}

/** Red-flagged (made-up license key), as ingest flags it. */
const flagged = (overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord => rec({ license_key_exists: 0, has_red_flags: 1, ...overrides });

const PAGE = { afterId: 0, limit: 100 };

/**
 * reported_at (the client's time) on every backend: stored as given, filtered on, and the record
 * time (reported_at, else created_at) that summaries and activity range and bucket by
 * (docs/decisions/0026-record-time.md).
 */
export function describeRecordTimeContract(test: StoreTest): void {
  test('reported_at is stored and read back as given, null or a time, also when records of one call mix both', async (store) => {
    const times = [null, DAY0 + 123_456, null, DAY0 + 2 * DAY_US + 7, DAY0 + 2 * DAY_US + 8];
    const ids = await store.telemetry.insertMany(times.map((reported_at_us, i) => rec({ reported_at_us, data: String(i), numeric_data_single_value: i })));
    const unique = await store.telemetry.insertUnique([rec({ reported_at_us: DAY0 + 9, event_id: 'a8a1b7a2-4c38-4b8e-9d1c-1f2e3d4c5b6a' })]);
    const read = await store.telemetry.query({ productIds: [3] }, PAGE);
    assert.deepEqual(read.map((r) => r.id), [...ids, unique[0]]);
    assert.deepEqual(read.map((r) => r.reported_at_us), [...times, DAY0 + 9]);
  });

  test('a reported_at range finds only records that carry a reported_at in it, both ends included', async (store) => {
    const [, early, inside, end] = await store.telemetry.insertMany([
      rec(), rec({ reported_at_us: DAY0 - 1 }), rec({ reported_at_us: DAY0 }), rec({ reported_at_us: DAY0 + DAY_US }), rec({ reported_at_us: DAY0 + DAY_US + 1 }),
    ]);
    const ids = async (reportedFromUs?: number, reportedToUs?: number): Promise<number[]> =>
      (await store.telemetry.query({ productIds: [3], ...(reportedFromUs === undefined ? {} : { reportedFromUs }), ...(reportedToUs === undefined ? {} : { reportedToUs }) }, PAGE)).map((r) => r.id);
    assert.deepEqual(await ids(DAY0, DAY0 + DAY_US), [inside, end]);
    assert.deepEqual(await ids(undefined, DAY0), [early, inside]);
  });

  test('a record-time range takes reported_at when present and created_at otherwise', async (store) => {
    const [late, plain] = await store.telemetry.insertMany([
      rec({ reported_at_us: DAY0 + HOUR_US }), rec({ created_at_us: DAY0 + 2 * HOUR_US }), rec({ created_at_us: DAY0 + 3 * HOUR_US, reported_at_us: DAY0 + 3 * DAY_US }),
    ]);
    const found = await store.telemetry.query({ productIds: [3], ...recordTimeRange(DAY0, DAY0 + DAY_US - 1, 90) }, PAGE);
    assert.deepEqual(found.map((r) => r.id), [late, plain]);
  });

  test('a summary counts a late report on the day the client reported it, and its piracy alert is seen then', async (store) => {
    await store.telemetry.insertMany([
      rec({ created_at_us: DAY0 + HOUR_US }),
      // Arrived on day 5 from an offline queue: reported on day 2.
      rec({ reported_at_us: DAY0 + 2 * DAY_US + HOUR_US }),
      flagged({ license_key: 'FAKE', reported_at_us: DAY0 + 3 * DAY_US + HOUR_US }),
      flagged({ license_key: 'FAKE', created_at_us: DAY0 + 6 * DAY_US }),
      // Reported before the range, though created inside it: not counted.
      rec({ reported_at_us: DAY0 - DAY_US }),
    ]);
    const range = recordTimeRange(DAY0, DAY0 + 7 * DAY_US - 1, 90);
    const summary = await store.telemetry.summarize({ productIds: [3], dataGroup: 'g', ...range }, { buckets: 2, points: 10, top: 10 });
    assert.deepEqual(summary.days.map((d) => [(d.day_start_us - DAY0) / DAY_US, d.clean, d.flagged]), [
      [0, 1, 0], [1, 0, 0], [2, 1, 0], [3, 0, 1], [4, 0, 0], [5, 0, 0], [6, 0, 1],
    ]);
    assert.equal(summary.numeric.count, 4, 'the numeric statistics cover the same records (flagged ones too)');
    const alert = summary.alerts.license_keys[0];
    assert.equal(alert?.value, 'FAKE');
    assert.equal(alert?.first_seen_us, DAY0 + 3 * DAY_US + HOUR_US);
    assert.equal(alert?.last_seen_us, DAY0 + 6 * DAY_US);
  });

  test('activity buckets by record time and keeps only the record-time range', async (store) => {
    await store.telemetry.insertMany([
      rec({ created_at_us: DAY0 + HOUR_US }),
      rec({ reported_at_us: DAY0 + 30 * 60_000_000 }),
      flagged({ reported_at_us: DAY0 + 2 * HOUR_US }),
      rec({ created_at_us: DAY0 + 5 * 60_000_000 - 1, reported_at_us: DAY0 - 1 }),
    ]);
    const rows = await store.telemetry.activity({ ...recordTimeRange(DAY0, DAY0 + 3 * HOUR_US - 1, 90), bucketUs: HOUR_US });
    const byBucket = (r: ActivityRow): [number, number, number] => [(r.bucket_start_us - DAY0) / HOUR_US, r.clean, r.flagged];
    assert.deepEqual(rows.map(byBucket).sort((a, b) => a[0] - b[0]), [[0, 1, 0], [1, 1, 0], [2, 0, 1]]);
  });
}
