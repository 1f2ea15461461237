import assert from 'node:assert/strict';
import type { ActivityRow } from '../../src/model/activity.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { SummaryOptions, TelemetrySummary } from '../../src/model/summary.js';
import { recordTimeRange } from '../../src/model/record-time.js';
import type { Store } from '../../src/store/contract/store.js';
import { SKETCH_ALPHA } from '../../src/store/contract/rollup-sketch.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
/** 2024-06-10T00:00:00Z. */
const DAY0 = Date.UTC(2024, 5, 10) * 1000;
const OPTIONS: SummaryOptions = { buckets: 10, points: 100, top: 10 };
const TYPES = ['numeric-single-value', 'numeric-single-value', 'numeric-single-value', 'text', 'numeric-xy-axis'] as const;

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function pickOf<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)] as T;
}

/**
 * `count` records over four days after DAY0: products 7, 8 or none, groups g, h or none, three
 * data types, versions, some red-flagged, some values missing, and reported_at absent, just
 * behind, a few minutes ahead, or days late (offline queues).
 */
export function randomRecords(seed: number, count: number): NewTelemetryRecord[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const createdAt = DAY0 + Math.floor(next() * 4 * DAY_US);
    const lateness = pickOf(next, [null, 0, 30_000_000, -240_000_000, 2 * HOUR_US, 3 * DAY_US + 7]);
    const type = pickOf(next, TYPES);
    const value = next() < 0.1 ? null : Math.round((next() - 0.2) * 1e6) / pickOf(next, [1, 100, 1000]);
    const flagged: 0 | 1 = next() < 0.2 ? 1 : 0;
    return {
      api_key_id: 1, product_id: pickOf(next, [7, 7, 8, null]), user_identifier: pickOf(next, ['alice', 'bob', 'carol']), license_key: 'LIC',
      activation_identifier: 'act', product_version: pickOf(next, ['1.0', '2.0', null]), data_type: type, data_group: pickOf(next, ['g', 'g', 'h', null]),
      data: String(value), numeric_data_single_value: type === 'numeric-single-value' ? value : null,
      numeric_data_x: type === 'numeric-xy-axis' ? value : null, numeric_data_y: type === 'numeric-xy-axis' ? 1 : null,
      text_data: type === 'text' && value !== null ? String(Math.round(value) % 5) : null,
      is_correct_format: 1, product_exists: 1, license_key_exists: flagged === 1 ? 0 : 1, product_version_exists: 1, activation_exists: 1, license_active: 1,
      has_red_flags: flagged, errors: {}, metadata: {}, client_ip: null, blocked: 0,
      created_at_us: createdAt, reported_at_us: lateness === null ? null : createdAt - lateness,
    };
  });
}

/** Activity counted from the stored records themselves. */
async function expectedActivity(store: Store, fromUs: number, toUs: number, bucketUs: number): Promise<string[]> {
  const rows = await store.telemetry.query({ productIds: null }, { afterId: 0, limit: 100_000 });
  const counts = new Map<string, { clean: number; flagged: number }>();
  for (const row of rows) {
    const time = row.reported_at_us ?? row.created_at_us;
    if (time < fromUs || time > toUs) continue;
    const key = JSON.stringify([row.product_id, row.data_group, row.data_type, Math.floor(time / bucketUs) * bucketUs]);
    const entry = counts.get(key) ?? { clean: 0, flagged: 0 };
    if (row.has_red_flags === 1) entry.flagged += 1;
    else entry.clean += 1;
    counts.set(key, entry);
  }
  return [...counts.entries()].map(([key, c]) => `${key} ${c.clean}/${c.flagged}`).sort();
}

function activityLines(rows: readonly ActivityRow[]): string[] {
  return rows.map((r) => `${JSON.stringify([r.product_id, r.data_group, r.data_type, r.bucket_start_us])} ${r.clean}/${r.flagged}`).sort();
}

function assertWithin(sketched: number | null, exact: number | null, what: string): void {
  if (exact === null || sketched === null) return assert.equal(sketched, exact, what);
  assert.ok(Math.abs(sketched - exact) <= SKETCH_ALPHA * Math.abs(exact) * (1 + 1e-9) + 1e-12, `${what}: sketch ${sketched} vs exact ${exact}`);
}

/** The sketched summary agrees with the exact one: counts, min, max and days equal, mean to rounding, percentiles within α. */
function assertSummaryMatches(sketched: TelemetrySummary, exact: TelemetrySummary, what: string): void {
  assert.equal(sketched.percentiles, 'sketch ±1%', what);
  assert.equal(exact.percentiles, 'exact', what);
  const [s, e] = [sketched.numeric, exact.numeric];
  assert.deepEqual([s.count, s.min, s.max], [e.count, e.min, e.max], `${what}: count, min, max`);
  if (e.mean !== null && s.mean !== null) assert.ok(Math.abs(s.mean - e.mean) <= 1e-9 * Math.max(1, Math.abs(e.mean)), `${what}: mean ${s.mean} vs ${e.mean}`);
  assertWithin(s.p50, e.p50, `${what}: p50`);
  assertWithin(s.p90, e.p90, `${what}: p90`);
  assertWithin(s.p99, e.p99, `${what}: p99`);
  assert.equal(s.histogram.reduce((sum, b) => sum + b.count, 0), e.count, `${what}: the histogram holds every value`);
  assert.deepEqual(sketched.days, exact.days, `${what}: days`);
  assert.deepEqual([sketched.xy, sketched.text, sketched.alerts], [exact.xy, exact.text, exact.alerts], `${what}: raw parts`);
}

/** Ranges with partial hours at both ends, whole days, one inside an hour, and one that starts before any record. */
const RANGES: [number, number][] = [
  [DAY0 + 1234567, DAY0 + 3 * DAY_US + 5 * HOUR_US + 987654],
  [DAY0, DAY0 + 4 * DAY_US - 1],
  [DAY0 + DAY_US + 10 * HOUR_US + 5, DAY0 + DAY_US + 10 * HOUR_US + 1_800_000_000],
  [DAY0 - 5 * DAY_US, DAY0 + 2 * DAY_US + 7 * HOUR_US - 1],
];

/** Every answer the rollups give over RANGES equals (or, for percentiles, is within α of) the raw one. */
export async function assertRollupsMatchRaw(store: Store, label = ''): Promise<void> {
  for (const [fromUs, toUs] of RANGES) {
    const what = `${label} [${fromUs}, ${toUs}]`;
    for (const bucketUs of [HOUR_US, DAY_US]) {
      const got = await store.telemetry.activity({ ...recordTimeRange(fromUs, toUs, 90), bucketUs });
      assert.deepEqual(activityLines(got), await expectedActivity(store, fromUs, toUs, bucketUs), `${what} activity by ${bucketUs}`);
    }
    for (const [product, group, extra] of [[7, 'g', {}], [8, 'h', {}], [7, 'g', { productVersion: '2.0' }], [7, 'g', { flags: { has_red_flags: 1 as const } }]] as const) {
      const filter = { productIds: [product], dataGroup: group, ...extra, ...recordTimeRange(fromUs, toUs, 90) };
      const sketched = await store.telemetry.summarize(filter, OPTIONS);
      const exact = await store.telemetry.summarize(filter, { ...OPTIONS, exact: true });
      assertSummaryMatches(sketched, exact, `${what} ${product}/${group} ${JSON.stringify(extra)}`);
    }
  }
}

/** The rollups (docs/decisions/0033-rollups.md) as behaviour, for every backend. */
export function describeRollupContract(test: StoreTest): void {
  test('rollup answers equal raw answers over random records: counts, min, max, mean, days exact, percentiles within 1 %', async (store) => {
    await store.telemetry.insertMany(randomRecords(1, 400));
    for (let i = 0; i < 40; i++) await store.telemetry.insertMany(randomRecords(100 + i, 3));
    await assertRollupsMatchRaw(store, 'random');
  });

  test('a repeated event_id is counted once in the rollups, in one call or in two', async (store) => {
    const [a, b] = randomRecords(7, 2).map((r, i) => ({ ...r, product_id: 7, data_group: 'g', data_type: 'numeric-single-value', numeric_data_single_value: 5 + i, event_id: `e-${i}` }));
    await store.telemetry.insertUnique([a as NewTelemetryRecord, a as NewTelemetryRecord, b as NewTelemetryRecord]);
    await store.telemetry.insertUnique([b as NewTelemetryRecord]);
    const summary = await store.telemetry.summarize({ productIds: [7], dataGroup: 'g', ...recordTimeRange(DAY0 - 10 * DAY_US, DAY0 + 5 * DAY_US, 90) }, OPTIONS);
    assert.equal(summary.numeric.count, 2);
    assert.equal(summary.numeric.mean, 5.5);
    await assertRollupsMatchRaw(store, 'event ids');
  });

  test('a summary that is not on rollup dimensions, or asks for exact percentiles, says exact', async (store) => {
    await store.telemetry.insertMany(randomRecords(3, 50));
    const range = recordTimeRange(DAY0, DAY0 + 4 * DAY_US, 90);
    const byUser = await store.telemetry.summarize({ productIds: [7], dataGroup: 'g', userIdentifier: 'alice', ...range }, OPTIONS);
    assert.equal(byUser.percentiles, 'exact');
    assert.equal((await store.telemetry.summarize({ productIds: [7], dataGroup: 'g', ...range }, { ...OPTIONS, exact: true })).percentiles, 'exact');
  });

  test('retention keeps the rollups equal to the records that remain', async (store) => {
    await store.telemetry.insertMany(randomRecords(11, 400));
    await store.maintainTelemetry({ nowUs: DAY0 + 32 * DAY_US, retentionDays: 30 });
    await assertRollupsMatchRaw(store, 'after retention');
    await store.maintainTelemetry({ nowUs: DAY0 + 90 * DAY_US, retentionDays: 30 });
    const all = await store.telemetry.activity({ ...recordTimeRange(DAY0 - 10 * DAY_US, DAY0 + 10 * DAY_US, 90), bucketUs: DAY_US });
    assert.deepEqual(all, []);
  });

  test('erasing a person takes their reports out of the rollups, min and max included', async (store) => {
    const records = randomRecords(21, 400);
    // alice holds the extremes of product 7, group g.
    records.push({ ...(records[0] as NewTelemetryRecord), product_id: 7, data_group: 'g', data_type: 'numeric-single-value', numeric_data_single_value: 9e9, user_identifier: 'alice', has_red_flags: 0 });
    records.push({ ...(records[0] as NewTelemetryRecord), product_id: 7, data_group: 'g', data_type: 'numeric-single-value', numeric_data_single_value: -9e9, user_identifier: 'alice', has_red_flags: 0 });
    await store.telemetry.insertMany(records);
    await store.privacy.erase({ userIdentifier: 'alice', licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 50 });
    await assertRollupsMatchRaw(store, 'after erasure');
  });
}
