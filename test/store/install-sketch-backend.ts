import assert from 'node:assert/strict';
import { INSTALLS_BREAKDOWNS, type InstallsCounts, type InstallsDistinct } from '../../src/model/installs.js';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
import { prng } from '../insights/fleet.js';
import { installsTruth, sortSeries } from '../insights/installs-truth.js';

/**
 * Install-sketch checks that need a backend's hands (two stores on one database, an upgrade
 * redone), shared by the SQLite and PostgreSQL store tests.
 */

const DAY_US = 86_400_000_000;
const START_US = Date.UTC(2024, 0, 29) * 1000;
const RANGE = { productId: 1, fromUs: START_US, toUs: START_US + 4 * DAY_US - 1, maxKeys: 20 };

/** Reports of `machines` machines (ids shared by every writer given the same count) over 4 days, shuffled by `seed`. */
export function writerReports(seed: number, machines: number): NewTelemetryRecord[] {
  const random = prng(seed);
  return Array.from({ length: machines * 3 }, () => {
    const machine = Math.floor(random() * machines);
    const timeUs = START_US + Math.floor(random() * 4 * DAY_US);
    return {
      api_key_id: 1, product_id: 1, user_identifier: `u${machine % 97}`, license_key: 'lic', activation_identifier: `m${machine}`,
      product_version: ['1.0.0', '1.1.0', '2.0.0'][Math.floor(random() * 3)] as string, data_type: 'numeric-single-value', data_group: 'g',
      data: '1', numeric_data_single_value: 1, numeric_data_x: null, numeric_data_y: null, text_data: null, is_correct_format: 1,
      product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0,
      blocked: 0, errors: {}, metadata: { os: ['Windows', 'Linux'][machine % 2] }, client_ip: null,
      created_at_us: timeUs + Math.floor(random() * 3) * DAY_US, reported_at_us: timeUs,
    };
  });
}

async function answer(store: Store, by: (typeof INSTALLS_BREAKDOWNS)[number], distinct: InstallsDistinct): Promise<InstallsCounts> {
  const counts = await store.telemetry.installs({ ...RANGE, interval: 'day', by, distinct });
  return { totals: counts.totals, series: sortSeries(counts.series) };
}

/** Every breakdown's sketched answer equals the truth of `records` (small enough to be counted exactly). */
export async function assertSketchesTrue(store: Store, records: readonly NewTelemetryRecord[]): Promise<void> {
  for (const by of INSTALLS_BREAKDOWNS) {
    assert.deepEqual(await answer(store, by, 'hll'), installsTruth(records, { ...RANGE, interval: 'day', by }), `by ${by}`);
  }
}

/**
 * Two stores on one database insert the same machines at once, in groups of every size: the
 * sketches and first-seen rows count each machine once, and each machine first at its earliest report.
 */
export async function assertTwoWritersAgree(a: Store, b: Store): Promise<NewTelemetryRecord[]> {
  const left = writerReports(1, 400);
  const right = writerReports(2, 400);
  const groups = (records: NewTelemetryRecord[]): NewTelemetryRecord[][] => {
    const out: NewTelemetryRecord[][] = [];
    for (let at = 0, size = 1; at < records.length; at += size, size = (size * 3) % 37 + 1) out.push(records.slice(at, at + size));
    return out;
  };
  await Promise.all([...groups(left).map((g) => a.telemetry.insertMany(g)), ...groups(right).map((g) => b.telemetry.insertMany(g))]);
  const records = [...left, ...right];
  // Truth in storage order does not matter here: no two reports of a machine share a record time.
  await assertSketchesTrue(a, records);
  await assertSketchesTrue(b, records);
  return records;
}
