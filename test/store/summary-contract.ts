import assert from 'node:assert/strict';
import type { SummaryOptions } from '../../src/model/summary.js';
import type { TelemetryFilter } from '../../src/model/filter.js';
import type { Store } from '../../src/store/contract/store.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import { describeAlertWalkContract } from './alert-walk-contract.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const DAY_US = 86_400_000_000;
/** 2024-02-27T00:00:00Z. */
const DAY0 = Date.UTC(2024, 1, 27) * 1000;
const OPTIONS: SummaryOptions = { buckets: 4, points: 1000, top: 20 };
const FILTER: TelemetryFilter = { productIds: [7], dataGroup: 'g' };
const CLEAN = { is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0 } as const;

/** A clean record of product 7, group g, at DAY0 + 1 h; override what a test is about. */
function rec(overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: 7, user_identifier: 'user-1', license_key: 'LIC-1', activation_identifier: 'act-1',
    product_version: '1.0.0', data_type: 'numeric-single-value', data_group: 'g', data: null,
    numeric_data_single_value: null, numeric_data_x: null, numeric_data_y: null, text_data: null,
    ...CLEAN, errors: {}, metadata: {}, client_ip: null, blocked: 0, created_at_us: DAY0 + 3_600_000_000, reported_at_us: null, ...overrides,
  };
}

const single = (value: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord =>
  rec({ data: String(value), numeric_data_single_value: value, ...overrides });
const point = (x: number, y: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord =>
  rec({ data_type: 'numeric-xy-axis', numeric_data_x: x, numeric_data_y: y, ...overrides });
const text = (value: string, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord =>
  rec({ data_type: 'text', data: value, text_data: value, ...overrides });
/** Red-flagged because its license key was made up (as ingest flags it). */
const pirated = (overrides: Partial<NewTelemetryRecord>): NewTelemetryRecord =>
  rec({ license_key_exists: 0, activation_exists: 0, license_active: 0, has_red_flags: 1, ...overrides });

/** `TelemetryStore.summarize`, for every backend (wired into describeStoreContract). */
export function describeSummaryContract(test: StoreTest): void {
  describeNumeric(test);
  describeSelection(test);
  describeXy(test);
  describeText(test);
  describeDays(test);
  describeAlerts(test);
  describeAlertWalkContract(test);
}

function describeNumeric(test: StoreTest): void {
  test('summarize gives count, min, max, mean and exact nearest-rank percentiles of single values', async (store) => {
    const values = [5, -2, 10, 3.5, 3.5, 8, 0, 12, 7, 1];
    await store.telemetry.insertMany(values.map((v) => single(v)));
    const { numeric } = await store.telemetry.summarize(FILTER, OPTIONS);
    // sorted: -2 0 1 3.5 3.5 5 7 8 10 12 → p50 = 5th, p90 = 9th, p99 = 10th
    assert.deepEqual(
      { count: numeric.count, min: numeric.min, max: numeric.max, p50: numeric.p50, p90: numeric.p90, p99: numeric.p99 },
      { count: 10, min: -2, max: 12, p50: 3.5, p90: 10, p99: 12 },
    );
    assert.ok(Math.abs((numeric.mean ?? NaN) - 4.8) < 1e-12);
  });

  test('the histogram has round bins (1, 2 or 5 × 10^k wide, edges on multiples), the maximum inside the last', async (store) => {
    await store.telemetry.insertMany([0, 1, 2.5, 4.99, 5, 7.5, 9, 10, 10].map((v) => single(v)));
    const { numeric } = await store.telemetry.summarize(FILTER, OPTIONS);
    // 4 bins asked over [0, 10]: 2.5 is not round, 5 is; a maximum on an edge opens one more bin.
    assert.deepEqual(numeric.histogram, [
      { from: 0, to: 5, count: 4 },
      { from: 5, to: 10, count: 3 },
      { from: 10, to: 15, count: 2 },
    ]);
  });

  test('round bins of decimals and negatives have exact decimal edges on both backends', async (store) => {
    await store.telemetry.insertMany([0.13, 0.2, 0.39, 0.4, 0.71].map((v) => single(v)));
    await store.telemetry.insertMany([-7, -5, 0, 4.9, 13].map((v) => single(v, { data_group: 'neg' })));
    const small = await store.telemetry.summarize(FILTER, { ...OPTIONS, buckets: 3 });
    assert.deepEqual(small.numeric.histogram, [
      { from: 0, to: 0.2, count: 1 }, { from: 0.2, to: 0.4, count: 2 }, { from: 0.4, to: 0.6, count: 1 }, { from: 0.6, to: 0.8, count: 1 },
    ]);
    const negative = await store.telemetry.summarize({ ...FILTER, dataGroup: 'neg' }, OPTIONS);
    assert.deepEqual(negative.numeric.histogram, [
      { from: -10, to: -5, count: 1 }, { from: -5, to: 0, count: 1 }, { from: 0, to: 5, count: 2 }, { from: 5, to: 10, count: 0 }, { from: 10, to: 15, count: 1 },
    ]);
  });

  test('one distinct value makes one bucket and every percentile that value', async (store) => {
    await store.telemetry.insertMany([single(42), single(42), single(42)]);
    const { numeric } = await store.telemetry.summarize(FILTER, OPTIONS);
    assert.deepEqual(numeric, { count: 3, min: 42, max: 42, mean: 42, p50: 42, p90: 42, p99: 42, histogram: [{ from: 42, to: 42, count: 3 }] });
  });

  test('percentiles of many values match a sort of them, whatever their spread', async (store) => {
    const values = Array.from({ length: 1001 }, (_, i) => ((i * 7919) % 1001) ** 2 / 1000 - 50);
    await store.telemetry.insertMany(values.map((v) => single(v)));
    const { numeric } = await store.telemetry.summarize(FILTER, { ...OPTIONS, buckets: 20 });
    const sorted = [...values].sort((a, b) => a - b);
    const rank = (p: number): number | undefined => sorted[Math.ceil((p * sorted.length) / 100) - 1];
    assert.deepEqual([numeric.p50, numeric.p90, numeric.p99], [rank(50), rank(90), rank(99)]);
    assert.equal(numeric.histogram.reduce((sum, b) => sum + b.count, 0), 1001);
  });

  test('no matching records give an empty summary, not an error', async (store) => {
    const summary = await store.telemetry.summarize(FILTER, OPTIONS);
    assert.deepEqual(summary, {
      numeric: { count: 0, min: null, max: null, mean: null, p50: null, p90: null, p99: null, histogram: [] },
      xy: { count: 0, downsampled: false, points: [] },
      text: { count: 0, top: [] },
      days: [],
      alerts: { license_keys: [], user_identifiers: [] },
      percentiles: 'exact',
    });
  });
}

function describeSelection(test: StoreTest): void {
  test('summarize counts only the product, data group and created_at range asked for, bounds included', async (store) => {
    await store.telemetry.insertMany([
      single(1, { created_at_us: DAY0 }), single(2, { created_at_us: DAY0 + 10 }), single(3, { created_at_us: DAY0 + 11 }),
      single(100, { product_id: 8 }), single(200, { data_group: 'other' }), single(300, { product_id: null }),
      // A text report that also carried a number: not a single value.
      text('x', { numeric_data_single_value: 400 }),
    ]);
    const { numeric, text: texts } = await store.telemetry.summarize({ ...FILTER, fromUs: DAY0, toUs: DAY0 + 10 }, OPTIONS);
    assert.deepEqual([numeric.count, numeric.min, numeric.max], [2, 1, 2]);
    assert.equal(texts.count, 0);
  });

  test('summarize honours has_red_flags and product_version filters', async (store) => {
    await store.telemetry.insertMany([single(1), single(2, { product_version: '2.0.0' }), pirated({ numeric_data_single_value: 3 })]);
    const flagged = await store.telemetry.summarize({ ...FILTER, flags: { has_red_flags: 1 } }, OPTIONS);
    const clean = await store.telemetry.summarize({ ...FILTER, flags: { has_red_flags: 0 }, productVersion: '1.0.0' }, OPTIONS);
    assert.deepEqual([flagged.numeric.count, flagged.numeric.min], [1, 3]);
    assert.deepEqual([clean.numeric.count, clean.numeric.min], [1, 1]);
    assert.deepEqual(flagged.days.map((d) => [d.clean, d.flagged]), [[0, 1]]);
  });
}

function describeXy(test: StoreTest): void {
  test('xy points come back ordered by x, all of them when there are few enough', async (store) => {
    await store.telemetry.insertMany([point(3, 30, { created_at_us: DAY0 + 3 }), point(1, 10, { created_at_us: DAY0 + 1 }), point(2, -5, { created_at_us: DAY0 + 2 })]);
    const { xy } = await store.telemetry.summarize(FILTER, OPTIONS);
    assert.deepEqual(xy, {
      count: 3,
      downsampled: false,
      points: [{ x: 1, y: 10, created_at_us: DAY0 + 1 }, { x: 2, y: -5, created_at_us: DAY0 + 2 }, { x: 3, y: 30, created_at_us: DAY0 + 3 }],
    });
  });

  test('past the point limit, xy points are downsampled to at most the limit, keeping every bucket’s extremes', async (store) => {
    const ys = Array.from({ length: 200 }, (_, x) => Math.round(Math.sin(x / 10) * 100));
    ys[37] = 999; // a spike
    ys[150] = -999; // a dip
    await store.telemetry.insertMany(ys.map((y, x) => point(x, y)));
    const { xy } = await store.telemetry.summarize(FILTER, { ...OPTIONS, points: 20 });
    assert.equal(xy.count, 200);
    assert.equal(xy.downsampled, true);
    assert.ok(xy.points.length <= 20 && xy.points.length >= 10, `${xy.points.length} points`);
    const xs = xy.points.map((p) => p.x);
    assert.deepEqual(xs, [...xs].sort((a, b) => a - b), 'ordered by x');
    for (const p of xy.points) assert.equal(p.y, ys[p.x], 'every point is a stored point');
    assert.ok(xy.points.some((p) => p.x === 37 && p.y === 999), 'the spike survives');
    assert.ok(xy.points.some((p) => p.x === 150 && p.y === -999), 'the dip survives');
  });
}

function describeText(test: StoreTest): void {
  test('text values come back most frequent first, ties by value, at most top', async (store) => {
    const sent = ['b', 'a', 'c', 'a', 'b', 'd', 'a', 'ünï ✓', 'ünï ✓', 'e'];
    await store.telemetry.insertMany(sent.map((v) => text(v)));
    const { text: texts } = await store.telemetry.summarize(FILTER, { ...OPTIONS, top: 3 });
    assert.deepEqual(texts, { count: 10, top: [{ value: 'a', count: 3 }, { value: 'b', count: 2 }, { value: 'ünï ✓', count: 2 }] });
  });
}

function describeDays(test: StoreTest): void {
  test('per-day counts split clean and flagged by UTC day, empty days included', async (store) => {
    await store.telemetry.insertMany([
      single(1, { created_at_us: DAY0 - 1 }), // 2024-02-26T23:59:59.999999Z
      single(1, { created_at_us: DAY0 }),
      pirated({ created_at_us: DAY0 + DAY_US - 1 }),
      pirated({ created_at_us: DAY0 + 2 * DAY_US + 5 }),
    ]);
    const { days } = await store.telemetry.summarize(FILTER, OPTIONS);
    assert.deepEqual(days, [
      { day_start_us: DAY0 - DAY_US, clean: 1, flagged: 0 },
      { day_start_us: DAY0, clean: 1, flagged: 1 },
      { day_start_us: DAY0 + DAY_US, clean: 0, flagged: 0 },
      { day_start_us: DAY0 + 2 * DAY_US, clean: 0, flagged: 1 },
    ]);
  });

  test('per-day counts stop at the range asked for, even inside a day', async (store) => {
    await store.telemetry.insertMany([single(1, { created_at_us: DAY0 + 5 }), single(1, { created_at_us: DAY0 + 50 }), pirated({ created_at_us: DAY0 + 60 })]);
    const { days } = await store.telemetry.summarize({ ...FILTER, fromUs: DAY0 + 10, toUs: DAY0 + 55 }, OPTIONS);
    assert.deepEqual(days, [{ day_start_us: DAY0, clean: 1, flagged: 0 }]);
  });
}

function describeAlerts(test: StoreTest): void {
  test('piracy alerts rank license keys and users by red-flagged reports, with failed checks and first and last seen', async (store) => {
    await store.telemetry.insertMany([
      pirated({ license_key: 'FAKE-1', user_identifier: 'u1', created_at_us: DAY0 + 30 }),
      pirated({ license_key: 'FAKE-1', user_identifier: 'u2', created_at_us: DAY0 + 10 }),
      pirated({ license_key: 'FAKE-2', user_identifier: 'u2', created_at_us: DAY0 + 20 }),
      rec({ license_key: 'LIC-1', user_identifier: 'u2', product_version_exists: 0, has_red_flags: 1, created_at_us: DAY0 + 40 }),
      rec({ license_key: 'LIC-1', user_identifier: 'u3' }), // clean: no alert
    ]);
    const { alerts } = await store.telemetry.summarize(FILTER, OPTIONS);
    const failed = (over: Partial<Record<string, number>>) => ({
      is_correct_format: 0, product_exists: 0, license_key_exists: 0, product_version_exists: 0, activation_exists: 0, license_active: 0, ...over,
    });
    assert.deepEqual(alerts.license_keys, [
      { value: 'FAKE-1', count: 2, failed_checks: failed({ license_key_exists: 2, activation_exists: 2, license_active: 2 }), first_seen_us: DAY0 + 10, last_seen_us: DAY0 + 30 },
      { value: 'FAKE-2', count: 1, failed_checks: failed({ license_key_exists: 1, activation_exists: 1, license_active: 1 }), first_seen_us: DAY0 + 20, last_seen_us: DAY0 + 20 },
      { value: 'LIC-1', count: 1, failed_checks: failed({ product_version_exists: 1 }), first_seen_us: DAY0 + 40, last_seen_us: DAY0 + 40 },
    ]);
    assert.deepEqual(alerts.user_identifiers.map((a) => [a.value, a.count, a.failed_checks.license_key_exists, a.failed_checks.product_version_exists]), [
      ['u2', 3, 2, 1],
      ['u1', 1, 1, 0],
    ]);
  });

  test('reports without a license key are grouped under null, and only the top entries come back', async (store) => {
    await store.telemetry.insertMany([
      pirated({ license_key: null, is_correct_format: 0 }), pirated({ license_key: null, is_correct_format: 0 }),
      pirated({ license_key: 'K1' }), pirated({ license_key: 'K2' }),
    ]);
    const { alerts } = await store.telemetry.summarize(FILTER, { ...OPTIONS, top: 2 });
    assert.deepEqual(alerts.license_keys.map((a) => [a.value, a.count, a.failed_checks.is_correct_format]), [[null, 2, 2], ['K1', 1, 0]]);
  });
}
