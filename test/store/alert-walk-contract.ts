import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
import type { TelemetryFilter } from '../../src/model/filter.js';
import { alertFilter, alertRecord, ALERT_DAY0, DAY_US, expectedAlerts, filterSpec, HOUR_US, rawPathFilter, recordSpec, SPAN_DAYS, USERS, type FilterSpec } from './alert-records.js';

type StoreTest = (name: string, body: (store: Store) => Promise<void>) => void;

/** Days between the starts of two runs of a property in one store: each run's reports come after the last run's. */
const RUN_DAYS = 45;

/** A summary's alerts by the walk and by the raw query (a second product without reports) both equal the count of the stored reports. */
async function assertAlertsExact(store: Store, filter: TelemetryFilter, top: number, what: string): Promise<void> {
  const stored = await store.telemetry.query({ productIds: filter.productIds }, { afterId: 0, limit: 100_000 });
  const want = expectedAlerts(stored, filter, top);
  const options = { buckets: 4, points: 10, top };
  const raw = (await store.telemetry.summarize(rawPathFilter(filter), options)).alerts;
  assert.deepEqual(raw, want, `${what}, raw query: ${JSON.stringify(filter)}`);
  const walked = (await store.telemetry.summarize(filter, options)).alerts;
  assert.deepEqual(walked, want, `${what}, walk: ${JSON.stringify(filter)}`);
}

function pirated(product: number, key: string | null, createdUs: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  const spec = { key, user: `u-${key ?? 'none'}`, group: 'g' as const, otherProduct: false, version: '1.0' as const, flagged: true, failed: [false, false, true, false, true, true], createdUs, lateUs: null };
  return { ...alertRecord(spec, product, ALERT_DAY0), ...overrides };
}

/**
 * A summary's piracy alerts for one product and group come from the threshold walk over the
 * flagged value counts (docs/decisions/0043-alert-candidates.md): the same answer as the raw query,
 * for every backend (wired into the summary contract).
 */
export function describeAlertWalkContract(test: StoreTest): void {
  test('piracy alerts equal the raw query and a count of the stored reports for random reports and filters, after inserts, erasure and retention', async (store) => {
    let run = 0;
    const users = USERS.filter((u) => u !== null);
    await fc.assert(fc.asyncProperty(
      fc.array(recordSpec, { maxLength: 60, size: 'max' }), fc.array(filterSpec, { minLength: 1, maxLength: 4 }), fc.constantFrom(...users), fc.integer({ min: 0, max: SPAN_DAYS * 24 }),
      async (specs, filters, erased, cutoffHour) => {
        run += 1;
        const product = 100 + 2 * run;
        const base = ALERT_DAY0 + run * RUN_DAYS * DAY_US;
        const check = async (what: string): Promise<void> => {
          for (const spec of filters) await assertAlertsExact(store, alertFilter(spec, product, base), spec.top, what);
        };
        const records = specs.map((spec) => alertRecord(spec, product, base));
        await store.telemetry.insertMany(records.slice(0, 40));
        for (const record of records.slice(40)) await store.telemetry.insertMany([record]);
        await check('inserted');
        await store.privacy.erase({ userIdentifier: erased, licenseKey: null, activationIdentifier: null, productId: null });
        await check(`${erased} erased`);
        await store.maintainTelemetry({ nowUs: base + cutoffHour * HOUR_US + 30 * DAY_US, retentionDays: 30 });
        await check(`retention to hour ${cutoffHour}`);
      },
    ), { numRuns: 20 });
  });

  test('a short range in which every value has far fewer reports than its stored count gets the raw query\'s answer', async (store) => {
    // 300 keys with 3 red-flagged reports each on day 1; in one hour of day 5 only two keys report.
    const many = Array.from({ length: 300 }, (_, i) => [0, 1, 2].map((n) => pirated(7, `K-${String(i).padStart(3, '0')}`, DAY_US + i * 1000 + n))).flat();
    await store.telemetry.insertMany([...many, pirated(7, 'K-150', 5 * DAY_US + 10), pirated(7, 'K-007', 5 * DAY_US + 20), pirated(7, null, 5 * DAY_US + 30)]);
    for (const top of [1, 5, 20]) {
      await assertAlertsExact(store, { productIds: [7], dataGroup: 'g', fromUs: ALERT_DAY0 + 5 * DAY_US, toUs: ALERT_DAY0 + 5 * DAY_US + HOUR_US }, top, `short range, top ${top}`);
      await assertAlertsExact(store, { productIds: [7], dataGroup: 'g' }, top, `everything, top ${top}`);
    }
  });

  test('a walk across pages of tied counts stops at the right value, NULL and byte order first among ties', async (store) => {
    // 150 keys reported once (inserted in a shuffled order), three reported more, the NULL group once.
    const once = Array.from({ length: 150 }, (_, i) => pirated(7, `K-${String((i * 37) % 150).padStart(3, '0')}`, 2 * DAY_US + i));
    const more = ['Z-2', 'A-3', 'A-3', 'Z-2', 'A-3', '\u{1F600}', '\u{1F600}', '\uFF5E', '\uFF5E'].map((key, i) => pirated(7, key, 3 * DAY_US + i));
    await store.telemetry.insertMany([...once, ...more, pirated(7, null, 4 * DAY_US)]);
    const all: TelemetryFilter = { productIds: [7], dataGroup: 'g' };
    for (const top of [1, 2, 3, 4, 5, 7, 100]) await assertAlertsExact(store, all, top, `top ${top}`);
    const { alerts } = await store.telemetry.summarize(all, { buckets: 4, points: 10, top: 6 });
    assert.deepEqual(alerts.license_keys.map((a) => [a.value, a.count]), [['A-3', 3], ['Z-2', 2], ['\uFF5E', 2], ['\u{1F600}', 2], [null, 1], ['K-000', 1]]);
    await assertAlertsExact(store, { ...all, fromUs: ALERT_DAY0 + 3 * DAY_US + 2, toUs: ALERT_DAY0 + 5 * DAY_US }, 3, 'a range without some of the top keys');
  });

  test('a value whose stored count only equals the last entry\'s count still enters when it sorts first', async (store) => {
    // A page of keys Z-00… with 3 reports each, one in the range; A once, in the range: A ties them there and sorts first.
    const zs = Array.from({ length: 64 }, (_, i) => [0, 1, 2].map((n) => pirated(7, `Z-${String(i).padStart(2, '0')}`, n * 2 * DAY_US + i))).flat();
    await store.telemetry.insertMany([...zs, pirated(7, 'A', 2 * DAY_US + 100)]);
    const range: TelemetryFilter = { productIds: [7], dataGroup: 'g', fromUs: ALERT_DAY0 + 2 * DAY_US, toUs: ALERT_DAY0 + 3 * DAY_US };
    const { alerts } = await store.telemetry.summarize(range, { buckets: 4, points: 10, top: 1 });
    assert.deepEqual(alerts.license_keys.map((a) => [a.value, a.count]), [['A', 1]]);
    for (const top of [1, 2, 3]) await assertAlertsExact(store, range, top, `top ${top}`);
  });

  test('has_red_flags = 0 has no alerts; a version narrows them; other filters read raw and agree', async (store) => {
    await store.telemetry.insertMany([
      pirated(7, 'K-1', DAY_US), pirated(7, 'K-1', DAY_US + 1, { product_version: '2.0' }), pirated(7, 'K-2', DAY_US + 2, { product_version: '2.0' }),
    ]);
    const clean = await store.telemetry.summarize({ productIds: [7], dataGroup: 'g', flags: { has_red_flags: 0 } }, { buckets: 4, points: 10, top: 5 });
    assert.deepEqual(clean.alerts, { license_keys: [], user_identifiers: [] });
    const spec: FilterSpec = { group: 'g', range: 'none', fromUs: 0, lengthUs: 0, version: '2.0', hasRedFlags: 1, top: 1 };
    await assertAlertsExact(store, alertFilter(spec, 7, ALERT_DAY0), 1, 'version 2.0');
    await assertAlertsExact(store, { productIds: [7], dataGroup: 'g', userIdentifier: 'u-K-1' }, 5, 'a user identifier filter');
  });
}
