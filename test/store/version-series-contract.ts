import assert from 'node:assert/strict';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { BUCKET_SIZES, type VersionPoint, type VersionSeriesRequest } from '../../src/model/version-series.js';
import type { Store } from '../../src/store/contract/store.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
/** 2024-02-27T00:00:00Z, a Tuesday. */
const DAY0 = Date.UTC(2024, 1, 27) * 1000;
const CLEAN = { is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0 } as const;

/** A clean single value of product 7, group g; override what a test is about. */
function single(value: number, version: string | null, createdAtUs: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: 7, user_identifier: 'u', license_key: 'LIC-1', activation_identifier: 'act-1',
    product_version: version, data_type: 'numeric-single-value', data_group: 'g', data: String(value),
    numeric_data_single_value: value, numeric_data_x: null, numeric_data_y: null, text_data: null,
    ...CLEAN, errors: {}, metadata: {}, client_ip: null, blocked: 0, created_at_us: createdAtUs, reported_at_us: null, ...overrides,
  };
}

function request(overrides: Partial<VersionSeriesRequest> = {}): VersionSeriesRequest {
  return { productId: 7, dataGroup: 'g', fromUs: DAY0, toUs: DAY0 + 7 * DAY_US - 1, bucket: BUCKET_SIZES.day, versions: null, listed: 100, ...overrides };
}

/** The truth, computed here: nearest rank on the values sorted, rank ⌈p·n/100⌉. */
function truth(version: string | null, bucketStartUs: number, values: readonly number[]): VersionPoint {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1] ?? NaN;
  return { product_version: version, bucket_start_us: bucketStartUs, count: sorted.length, p50: at(50), p90: at(90) };
}

/** `TelemetryStore.versionSeries`, for every backend (wired into describeStoreContract). */
export function describeVersionSeriesContract(test: StoreTest): void {
  test('versionSeries gives exact p50 and p90 per UTC day and version, most reported version first', async (store) => {
    const a1 = [5, 1, 9, 3, 7, 2.5, 8, 4, 6, 10, 0.5];
    const a2 = [100, 120];
    const b1 = [40, 10, 30, 20, 50, 60, 70];
    const b2 = [-3];
    await store.telemetry.insertMany([
      ...a1.map((v, i) => single(v, '1.0.0', DAY0 + i * 60_000_000)),
      ...a2.map((v) => single(v, '1.0.0', DAY0 + DAY_US + 23 * HOUR_US)),
      ...b1.map((v, i) => single(v, '1.1.0', DAY0 + 5 * HOUR_US + i)),
      ...b2.map((v) => single(v, '1.1.0', DAY0 + 2 * DAY_US)),
    ]);
    const series = await store.telemetry.versionSeries(request());
    assert.equal(series.distinct_versions, 2);
    assert.deepEqual(series.top, [{ product_version: '1.0.0', count: 13 }, { product_version: '1.1.0', count: 8 }]);
    assert.deepEqual(series.charted, series.top);
    assert.deepEqual(series.points, [
      truth('1.0.0', DAY0, a1), truth('1.0.0', DAY0 + DAY_US, a2),
      truth('1.1.0', DAY0, b1), truth('1.1.0', DAY0 + 2 * DAY_US, b2),
    ]);
  });

  test('versionSeries reads only the group\'s single values with a record time in the range, bounds included', async (store) => {
    const end = DAY0 + DAY_US - 1;
    await store.telemetry.insertMany([
      single(1, '1.0.0', DAY0), single(2, '1.0.0', end), single(3, '1.0.0', DAY0 + HOUR_US, { has_red_flags: 1, license_key_exists: 0 }),
      single(50, '1.0.0', DAY0 - 1), single(60, '1.0.0', end + 1),
      single(70, '1.0.0', DAY0 + HOUR_US, { product_id: 8 }), single(80, '1.0.0', DAY0 + HOUR_US, { data_group: 'other' }),
      single(90, '1.0.0', DAY0 + HOUR_US, { data_type: 'text', numeric_data_single_value: null, text_data: '90' }),
      single(95, '1.0.0', DAY0 + HOUR_US, { data_type: 'numeric-single-value', numeric_data_single_value: null, is_correct_format: 0, has_red_flags: 1 }),
    ]);
    const series = await store.telemetry.versionSeries(request({ toUs: end }));
    assert.deepEqual(series.points, [truth('1.0.0', DAY0, [1, 2, 3])], 'flagged single values count, as in the summary');
  });

  test('versionSeries charts the 8 most reported versions (ties by version, no version first) and lists the rest', async (store) => {
    const versions: (string | null)[] = [null, '1.0', '1.1', '1.10', '1.2', '2.0', '2.1', '3.0', '3.1', '4.0'];
    const counts = [3, 3, 1, 3, 2, 5, 1, 1, 1, 4];
    await store.telemetry.insertMany(versions.flatMap((version, i) => Array.from({ length: counts[i] ?? 0 }, (_, k) => single(k, version, DAY0 + k))));
    const series = await store.telemetry.versionSeries(request({ listed: 9 }));
    assert.equal(series.distinct_versions, 10);
    const expected = [['2.0', 5], ['4.0', 4], [null, 3], ['1.0', 3], ['1.10', 3], ['1.2', 2], ['1.1', 1], ['2.1', 1], ['3.0', 1]];
    assert.deepEqual(series.top.map((v) => [v.product_version, v.count]), expected);
    assert.deepEqual(series.charted.map((v) => [v.product_version, v.count]), expected.slice(0, 8));
    assert.deepEqual(series.points.map((p) => p.product_version), expected.slice(0, 8).map(([v]) => v));
  });

  test('versionSeries ranks tied versions in UTF-8 byte order (not UTF-16 order) on every backend', async (store) => {
    // UTF-16 puts the emoji (a surrogate, 0xD83D) before U+FF5A; UTF-8 bytes put it after (F0 > EF).
    await store.telemetry.insertMany(['\u{1F600}', '\uFF5A', '\u00E9', 'z'].map((version, i) => single(i, version, DAY0 + i)));
    const series = await store.telemetry.versionSeries(request());
    assert.deepEqual(series.top.map((v) => v.product_version), ['z', '\u00E9', '\uFF5A', '\u{1F600}']);
  });

  test('versionSeries charts the versions named, in their order, a version without values with count 0', async (store) => {
    await store.telemetry.insertMany([
      single(1, '1.0.0', DAY0), single(2, '1.0.0', DAY0 + 1), single(3, '1.0.0', DAY0 + 2), single(4, null, DAY0), single(5, '2.0.0', DAY0 + HOUR_US),
    ]);
    const series = await store.telemetry.versionSeries(request({ versions: ['2.0.0', '9.9.9', '1.0.0'] }));
    assert.deepEqual(series.charted, [{ product_version: '2.0.0', count: 1 }, { product_version: '9.9.9', count: 0 }, { product_version: '1.0.0', count: 3 }]);
    assert.deepEqual(series.top, [{ product_version: '1.0.0', count: 3 }, { product_version: null, count: 1 }, { product_version: '2.0.0', count: 1 }]);
    assert.deepEqual(series.points, [truth('2.0.0', DAY0, [5]), truth('1.0.0', DAY0, [1, 2, 3])]);
  });

  test('versionSeries buckets by UTC hour, and by week from Monday 00:00 UTC', async (store) => {
    const monday = DAY0 - DAY_US;
    await store.telemetry.insertMany([
      single(1, 'v', monday - 1), single(2, 'v', monday), single(3, 'v', DAY0 + 5 * HOUR_US + 59 * 60_000_000), single(4, 'v', monday + 7 * DAY_US),
    ]);
    const range = { fromUs: monday - DAY_US, toUs: monday + 8 * DAY_US };
    const weeks = await store.telemetry.versionSeries(request({ ...range, bucket: BUCKET_SIZES.week }));
    assert.deepEqual(weeks.points, [truth('v', monday - 7 * DAY_US, [1]), truth('v', monday, [2, 3]), truth('v', monday + 7 * DAY_US, [4])]);
    const hours = await store.telemetry.versionSeries(request({ ...range, bucket: BUCKET_SIZES.hour }));
    assert.deepEqual(hours.points.map((p) => [p.bucket_start_us, p.count]), [[monday - HOUR_US, 1], [monday, 1], [DAY0 + 5 * HOUR_US, 1], [monday + 7 * DAY_US, 1]]);
  });

  test('versionSeries of a group without single values is empty', async (store) => {
    const series = await store.telemetry.versionSeries(request({ versions: ['1.0.0'] }));
    assert.deepEqual(series, { distinct_versions: 0, top: [], charted: [{ product_version: '1.0.0', count: 0 }], points: [] });
    assert.deepEqual(await store.telemetry.versionSeries(request()), { distinct_versions: 0, top: [], charted: [], points: [] });
  });
}
