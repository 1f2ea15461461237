import assert from 'node:assert/strict';
import type { ActivityRow } from '../../src/model/activity.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { SummaryOptions, TelemetrySummary } from '../../src/model/summary.js';
import { recordTimeRange } from '../../src/model/record-time.js';
import type { Store } from '../../src/store/contract/store.js';
import { it } from 'node:test';
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

/** What `rollups.check` is told of retention in these tests: none unless a test says so. */
const NO_RETENTION = { retentionDays: 0, nowUs: DAY0 + 10 * DAY_US, limit: 20 };

/** The check over everything stored finds no mismatch, and did look at rows of every kind. */
export async function assertCheckPasses(store: Store, what: string, retention: { retentionDays: number; nowUs: number } = NO_RETENTION): Promise<void> {
  const report = await store.rollups.check({ ...retention, limit: 20 });
  assert.equal(report.mismatches, 0, `${what}: ${JSON.stringify(report.first, null, 1)}`);
  assert.ok(report.checked.rollupRows > 0 && report.checked.binRows > 0, `${what}: rollup rows were checked`);
  assert.ok(report.checked.sketchKeys > 0 && report.checked.firstSeen > 0, `${what}: install rows were checked`);
}

/** Records that vary what the install sketches key on: machines, OS, versions, users. */
function withMachines(records: NewTelemetryRecord[], seed: number): NewTelemetryRecord[] {
  return records.map((record, i) => ({
    ...record, activation_identifier: i % 7 === 0 ? null : `m-${(i * seed) % 23}`, user_identifier: `u-${(i * 3 + seed) % 11}`,
    metadata: { os: ['Windows', 'macOS', 'Linux'][i % 3] as string },
  }));
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

  test('the rollup check finds no mismatch over random records, repeated event ids and late reports', async (store) => {
    await store.telemetry.insertMany(withMachines(randomRecords(31, 400), 5));
    const repeated = withMachines(randomRecords(32, 30), 3).map((r, i) => ({ ...r, event_id: `ev-${i % 10}` }));
    await store.telemetry.insertUnique(repeated);
    await store.telemetry.insertUnique(repeated.slice(0, 5));
    await assertCheckPasses(store, 'after ingest');
    const one = await store.rollups.check({ ...NO_RETENTION, productId: 7, fromUs: DAY0 + DAY_US, toUs: DAY0 + DAY_US });
    assert.equal(one.days, 1);
    assert.equal(one.mismatches, 0);
  });

  test('the rollup check finds no mismatch after retention and erasure, and a rebuild changes no answer', async (store) => {
    await store.telemetry.insertMany(withMachines(randomRecords(41, 400), 7));
    const retention = { nowUs: DAY0 + 32 * DAY_US, retentionDays: 30 };
    await store.maintainTelemetry(retention);
    await store.privacy.erase({ userIdentifier: 'u-3', licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 50 });
    await assertCheckPasses(store, 'after retention and erasure', retention);
    const rebuilt = await store.rollups.rebuild(retention);
    assert.ok(rebuilt.days >= 4 && rebuilt.hours === rebuilt.days * 24, JSON.stringify(rebuilt));
    await assertCheckPasses(store, 'after rebuild', retention);
    await assertRollupsMatchRaw(store, 'after rebuild');
  });
}

/** Writes `rounds` small groups of random records through `store`, as a server would. */
async function keepWriting(store: Store, seed: number, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const records = withMachines(randomRecords(seed + i, 8), seed + i);
    await store.telemetry.insertUnique(records.map((r, k) => ({ ...r, event_id: k % 4 === 0 ? `w-${seed}-${(i * 8 + k) % 40}` : null })));
  }
}

/**
 * Retention, erasure and a rebuild while another store (another connection, as another process
 * would) writes into the same database: the rollups stay exact. `openTwo` opens two stores on one
 * new, empty database.
 */
export function describeRollupsUnderConcurrentWrites(label: string, openTwo: () => Promise<[Store, Store]>): void {
  it(`${label}: retention, erasure and rebuild while another store ingests leave the rollups exact`, async () => {
    const [writer, maintainer] = await openTwo();
    try {
      await writer.telemetry.insertMany(withMachines(randomRecords(51, 300), 3));
      const retention = { nowUs: DAY0 + 32 * DAY_US, retentionDays: 30 };
      const writing = keepWriting(writer, 600, 60);
      await maintainer.maintainTelemetry(retention);
      await maintainer.privacy.erase({ userIdentifier: 'u-4', licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 20 });
      await maintainer.rollups.rebuild({ ...retention, fromUs: DAY0, toUs: DAY0 + 2 * DAY_US });
      await maintainer.privacy.erase({ userIdentifier: 'u-5', licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 20 });
      await writing;
      await assertCheckPasses(maintainer, 'after concurrent writes', retention);
      await assertRollupsMatchRaw(maintainer, 'after concurrent writes');
    } finally {
      await writer.close();
      await maintainer.close();
    }
  });
}
