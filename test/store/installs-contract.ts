import assert from 'node:assert/strict';
import { INSTALLS_BREAKDOWNS, INSTALLS_DISTINCT, INSTALLS_INTERVALS, type InstallsBy, type InstallsCounts, type InstallsDistinct } from '../../src/model/installs.js';
import { wholeDays } from '../../src/query/installs.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
import { seedFleet, storedRecords, type Fleet } from '../insights/fleet.js';
import { installsTruth, sortSeries, type TruthRequest } from '../insights/installs-truth.js';
import { writerReports } from './install-sketch-backend.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

const DAY_US = 86_400_000_000;
const HOUR_US = 3_600_000_000;
/** A Monday at midnight UTC, three days before a month ends: the fleet's days cross weeks and months. */
const START_US = Date.UTC(2024, 0, 29) * 1000;

async function answered(store: Store, request: TruthRequest, distinct: InstallsDistinct = 'exact'): Promise<InstallsCounts> {
  const counts = await store.telemetry.installs({ ...request, distinct });
  return { totals: counts.totals, series: sortSeries(counts.series) };
}

/**
 * Every number of every (interval, breakdown) over `range`, against the truth: exactly, and from
 * the sketches over the range's whole days (the fleets are small: sparse sketches count exactly).
 */
async function assertAll(store: Store, fleet: Fleet, records: readonly NewTelemetryRecord[], range: { fromUs: number; toUs: number }, maxKeys = 20): Promise<void> {
  for (const distinct of INSTALLS_DISTINCT) {
    for (const interval of INSTALLS_INTERVALS) {
      for (const by of INSTALLS_BREAKDOWNS) {
        const request = { productId: fleet.productId, ...(distinct === 'hll' ? wholeDays(range) : range), interval, by, maxKeys };
        const truth = installsTruth(records, request);
        assert.ok(truth.series.length > 0);
        assert.deepEqual(await answered(store, request, distinct), truth, `${distinct} ${interval} by ${by} over ${JSON.stringify(range)}`);
      }
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
    for (const [by, distinct] of [['version', 'exact'], ['os', 'exact'], ['version', 'hll'], ['os', 'hll']] as [InstallsBy, InstallsDistinct][]) {
      const request = { productId: fleet.productId, fromUs: START_US, toUs: START_US + 11 * DAY_US - 1, interval: 'week' as const, by, maxKeys: 2 };
      const counts = await answered(store, request, distinct);
      assert.deepEqual(counts, installsTruth(records, request));
      assert.equal(new Set(counts.series.map((row) => row.key)).size, 3);
      assert.ok(counts.series.some((row) => row.key === 'other' && row.new_machines > 0));
    }
  });

  test('installs: a product without reports in range has no series and zero totals', async (store) => {
    await store.telemetry.insertMany([report({ product_id: 2 }), report({ created_at_us: START_US - 1 })]);
    const empty = { totals: { machines: 0, users: 0 }, series: [] };
    assert.deepEqual(await store.telemetry.installs({ productId: 1, fromUs: START_US + 1, toUs: START_US + DAY_US, interval: 'day', by: 'version', maxKeys: 20, distinct: 'exact' }), empty);
    assert.deepEqual(await store.telemetry.installs({ productId: 1, fromUs: START_US + DAY_US, toUs: START_US + 2 * DAY_US, interval: 'day', by: 'version', maxKeys: 20, distinct: 'hll' }), empty);
    for (const distinct of INSTALLS_DISTINCT) {
      assert.deepEqual(await store.telemetry.installs({ productId: 3, fromUs: 0, toUs: START_US + DAY_US, interval: 'month', by: 'none', maxKeys: 20, distinct }), empty);
    }
  });

  test('installs: metadata.os is read trimmed and cut to 64 characters, U+0000 as U+FFFD, anything but text as "unknown"', async (store) => {
    const long = `  ${'é'.repeat(70)}`;
    const values: unknown[] = ['li\u0000nux', ' macOS ', long, 7, true, { name: 'x' }, ['a'], '', null];
    await store.telemetry.insertMany(values.map((os, i) => report({ activation_identifier: `m${i}`, metadata: { os, ['k\u0000']: 'v\u0000' } })));
    await store.telemetry.insertMany([report({ activation_identifier: 'none', metadata: {} })]);
    for (const distinct of INSTALLS_DISTINCT) {
      const counts = await answered(store, { productId: 1, fromUs: START_US, toUs: START_US, interval: 'day', by: 'os', maxKeys: 20 }, distinct);
      const keys = Object.fromEntries(counts.series.map((row) => [row.key, row.machines]));
      assert.deepEqual(keys, { 'li\uFFFDnux': 1, macOS: 1, ['é'.repeat(64)]: 1, unknown: 7 }, distinct);
    }
  });

  test('installs: a machine\'s first report is its earliest by record time, the one stored first on a tie, whatever order they were stored in', async (store) => {
    await store.telemetry.insertMany([
      report({ product_version: '2.0.0', created_at_us: START_US + DAY_US }),
      report({ product_version: '1.5.0', created_at_us: START_US + 3 * HOUR_US }),
      report({ product_version: '1.0.0', created_at_us: START_US + 3 * HOUR_US }),
      report({ activation_identifier: 'b', product_version: '1.0.0', created_at_us: START_US - DAY_US }),
      report({ activation_identifier: 'b', product_version: '2.0.0', created_at_us: START_US + 2 * HOUR_US }),
    ]);
    for (const distinct of INSTALLS_DISTINCT) {
      const counts = await answered(store, { productId: 1, fromUs: START_US, toUs: START_US + 2 * DAY_US - 1, interval: 'day', by: 'version', maxKeys: 20 }, distinct);
      assert.deepEqual(counts, {
      totals: { machines: 2, users: 1 },
      series: [
        { bucket: '2024-01-29', key: '1.0.0', machines: 1, users: 1, new_machines: 0 },
        { bucket: '2024-01-29', key: '1.5.0', machines: 1, users: 1, new_machines: 1 },
        { bucket: '2024-01-29', key: '2.0.0', machines: 1, users: 1, new_machines: 0 },
        { bucket: '2024-01-30', key: '2.0.0', machines: 1, users: 1, new_machines: 0 },
      ],
      }, distinct);
    }
  });

  describeInstallSketches(test);
}

const ERROR_BOUND = 3 * 0.0163;

/** A fleet of `machines` machines (two per user) reporting on 3 days, 4 versions, 3 OS. */
function bigFleet(machines: number): NewTelemetryRecord[] {
  const records: NewTelemetryRecord[] = [];
  const versions = ['1.0.0', '1.1.0', '2.0.0', '2.1.0'];
  for (let day = 0; day < 3; day++) {
    for (let i = 0; i < machines; i++) {
      if ((i * 7 + day * 13) % 10 === 0) continue;
      const version = versions[(i + (day === 2 && i % 5 === 0 ? 1 : 0)) % 4] as string;
      records.push(report({
        activation_identifier: `machine-${i}`, user_identifier: `user-${Math.floor(i / 2)}`, product_version: version,
        metadata: { os: ['Windows', 'macOS', 'Linux'][i % 3] }, created_at_us: START_US + day * DAY_US + (i % 1000) * 60_000_000,
      }));
    }
  }
  return records;
}

function withinBound(estimate: number, exact: number): boolean {
  return Math.abs(estimate - exact) <= Math.max(1, ERROR_BOUND * exact);
}

/** The install sketches as behaviour: error bound, first-seen, repeats, late reports, retention, erasure. */
function describeInstallSketches(test: StoreTest): void {
  test('installs: sketched counts of a 20,000-machine fleet are within 3 standard errors (±4.9 %) of the exact ones in nearly every cell, new machines exact', async (store) => {
    const records = bigFleet(20_000);
    for (let at = 0; at < records.length; at += 5000) await store.telemetry.insertMany(records.slice(at, at + 5000));
    let cells = 0;
    let outside = 0;
    for (const interval of ['day', 'week'] as const) {
      for (const by of INSTALLS_BREAKDOWNS) {
        const request = { productId: 1, fromUs: START_US, toUs: START_US + 3 * DAY_US - 1, interval, by, maxKeys: 20 };
        const exact = await answered(store, request, 'exact');
        const sketched = await answered(store, request, 'hll');
        assert.deepEqual(sketched.series.map((r) => [r.bucket, r.key, r.new_machines]), exact.series.map((r) => [r.bucket, r.key, r.new_machines]), `${interval} by ${by}`);
        assert.ok(withinBound(sketched.totals.machines, exact.totals.machines) && withinBound(sketched.totals.users, exact.totals.users), JSON.stringify([sketched.totals, exact.totals]));
        exact.series.forEach((row, i) => {
          const estimate = sketched.series[i]!;
          cells += 2;
          if (!withinBound(estimate.machines, row.machines)) outside++;
          if (!withinBound(estimate.users, row.users)) outside++;
        });
      }
    }
    assert.ok(outside <= Math.ceil(cells * 0.01), `${outside} of ${cells} cells outside ±4.9 %`);
  });

  test('installs: a report whose event_id was already stored is not counted again by the sketches or the first-seen table', async (store) => {
    await store.telemetry.insertUnique([report({ event_id: 'e-1', activation_identifier: 'a', user_identifier: 'u1' })]);
    await store.telemetry.insertUnique([
      report({ event_id: 'e-1', activation_identifier: 'b', user_identifier: 'u2', created_at_us: START_US - DAY_US }),
      report({ event_id: 'e-2', activation_identifier: 'c', user_identifier: 'u1', created_at_us: START_US + 60_000_000 }),
    ]);
    const request = { productId: 1, fromUs: START_US - DAY_US, toUs: START_US + DAY_US - 1, interval: 'day' as const, by: 'none' as const, maxKeys: 20 };
    const sketched = await answered(store, request, 'hll');
    assert.deepEqual(sketched, await answered(store, request, 'exact'));
    assert.deepEqual(sketched, { totals: { machines: 2, users: 1 }, series: [{ bucket: '2024-01-29', key: 'all', machines: 2, users: 1, new_machines: 2 }] });
  });

  test('installs: a late report counts on the day it happened and moves its machine\'s first report back, under its own version', async (store) => {
    const records = [
      report({ activation_identifier: 'a', product_version: '2.0.0', created_at_us: START_US + 5 * DAY_US }),
      report({ activation_identifier: 'a', product_version: '1.0.0', created_at_us: START_US + 6 * DAY_US, reported_at_us: START_US + 2 * DAY_US }),
      report({ activation_identifier: 'b', product_version: '1.0.0', created_at_us: START_US + 6 * DAY_US, reported_at_us: START_US + 2 * DAY_US + 1 }),
    ];
    for (const record of records) await store.telemetry.insertMany([record]);
    const request = { productId: 1, fromUs: START_US, toUs: START_US + 7 * DAY_US - 1, interval: 'day' as const, by: 'version' as const, maxKeys: 20 };
    const truth = installsTruth(records, request);
    assert.deepEqual(await answered(store, request, 'hll'), truth);
    assert.deepEqual(truth.series.map((r) => [r.bucket, r.key, r.machines, r.new_machines]), [['2024-01-31', '1.0.0', 2, 2], ['2024-02-03', '2.0.0', 1, 0]]);
  });

  test('installs: sketched new machines stay exact as earlier reports arrive out of order, after an erasure and after a rollup rebuild', async (store) => {
    const records = writerReports(31, 150);
    for (let at = 0, size = 1; at < records.length; at += size, size = (size * 7) % 31 + 1) await store.telemetry.insertMany(records.slice(at, at + size));
    const assertNewMachines = async (kept: readonly NewTelemetryRecord[], what: string): Promise<void> => {
      for (const by of INSTALLS_BREAKDOWNS) {
        const request = { productId: 1, fromUs: START_US, toUs: START_US + 4 * DAY_US - 1, interval: 'day' as const, by, maxKeys: 20 };
        const fresh = (counts: InstallsCounts): [string, string, number][] => counts.series.filter((r) => r.new_machines > 0).map((r) => [r.bucket, r.key, r.new_machines]);
        const truth = fresh(installsTruth(kept, request));
        assert.ok(truth.length > 0);
        assert.deepEqual(fresh(await answered(store, request, 'hll')), truth, `${what}, by ${by}`);
      }
    };
    await assertNewMachines(records, 'after ingest');
    await store.privacy.erase({ userIdentifier: 'u5', licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 50 });
    const kept = records.filter((r) => r.user_identifier !== 'u5');
    assert.ok(kept.length < records.length);
    await assertNewMachines(kept, 'after the erasure');
    await store.rollups.rebuild({ retentionDays: 0, nowUs: START_US + 30 * DAY_US });
    await assertNewMachines(kept, 'after a rebuild');
  });

  test('installs: retention deletes the sketches of every day that may have held a removed report, and keeps the later days whole', async (store) => {
    const days = [0, 1, 2, 3, 4];
    await store.telemetry.insertMany(days.map((day) => report({ activation_identifier: `m${day}`, created_at_us: START_US + day * DAY_US + 12 * 3_600_000_000 })));
    // The cutoff falls in day 2 at 06:00: days 0–2 may have held removed reports, day 3 on cannot.
    await store.maintainTelemetry({ nowUs: START_US + 2 * DAY_US + 6 * 3_600_000_000 + 10 * DAY_US, retentionDays: 10 });
    const request = { productId: 1, fromUs: START_US, toUs: START_US + 5 * DAY_US - 1, interval: 'day' as const, by: 'none' as const, maxKeys: 20 };
    const sketched = await answered(store, request, 'hll');
    assert.deepEqual(sketched.series.map((r) => [r.bucket, r.machines, r.new_machines]), [['2024-02-01', 1, 1], ['2024-02-02', 1, 1]]);
    assert.deepEqual(sketched.totals, { machines: 2, users: 1 });
  });

  test('installs: an erasure forgets the erased machines\' first reports, and a machine another person still reports from is first seen at that person\'s report', async (store) => {
    await store.telemetry.insertMany([
      report({ activation_identifier: 'shared', user_identifier: 'alice', created_at_us: START_US }),
      report({ activation_identifier: 'own', user_identifier: 'alice', created_at_us: START_US + 3_600_000_000 }),
      report({ activation_identifier: 'shared', user_identifier: 'bob', product_version: '2.0.0', created_at_us: START_US + 2 * DAY_US }),
    ]);
    await store.privacy.erase({ userIdentifier: 'alice', licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 1 });
    const request = { productId: 1, fromUs: START_US, toUs: START_US + 3 * DAY_US - 1, interval: 'day' as const, by: 'version' as const, maxKeys: 20 };
    const exact = await answered(store, request, 'exact');
    const sketched = await answered(store, request, 'hll');
    assert.deepEqual(exact.series.map((r) => [r.bucket, r.key, r.new_machines]), [['2024-01-31', '2.0.0', 1]]);
    // The sketches keep no identifier: the erased day still counts what it counted, the first-seen table does not.
    assert.deepEqual(sketched.series.map((r) => [r.bucket, r.key, r.machines, r.new_machines]), [['2024-01-29', '1.0.0', 2, 0], ['2024-01-31', '2.0.0', 1, 1]]);
  });
}
