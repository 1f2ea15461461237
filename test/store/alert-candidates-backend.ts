import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
import { alertWalkSteps, type AlertSource, type WalkedAlerts } from '../../src/store/contract/alert-walk.js';
import type { SqlSteps } from '../../src/store/contract/sql-steps.js';
import { alertRecord, ALERT_DAY0, countLines, DAY_US, expectedAlerts, expectedCounts, HOUR_US, recordSpec, SPAN_DAYS, USERS, walkCounts, walkRange, walkRecords } from './alert-records.js';

/**
 * The flagged value counts and the alerts' threshold walk checked with a backend's hands
 * (docs/decisions/0043-alert-candidates.md): the counts table read directly, the walk's steps run
 * with other page sizes and caps, and whether it gave up. Shared by the SQLite and PostgreSQL
 * store tests.
 */
export interface AlertBackend {
  store: Store;
  /** Rows of a SELECT run on the store's database directly. */
  peek(sql: string): Promise<Record<string, unknown>[]>;
  /** Steps run on the store's database in one snapshot, as the summary runs them. */
  walk<T>(steps: SqlSteps<T>): Promise<T>;
  /** The backend's alert source (its telemetry, SQLite naming the partial index). */
  source: AlertSource;
  close(): Promise<void>;
}

const COUNTS = 'SELECT product_id, data_group, kind, value, flagged FROM flagged_value_counts';

/** Registers `name`, giving its body a fresh backend and closing it after. */
export function alertBackendTest(open: () => Promise<AlertBackend>): (name: string, body: (backend: AlertBackend) => Promise<void>) => void {
  return (name, body) => it(name, async () => {
    const backend = await open();
    try {
      await body(backend);
    } finally {
      await backend.close();
    }
  });
}

/** flagged_value_counts holds exactly the stored red-flagged reports per product, group, kind and value. */
async function assertCountsExact(backend: AlertBackend, what: string): Promise<void> {
  const stored = await backend.store.telemetry.query({ productIds: null }, { afterId: 0, limit: 100_000 });
  assert.deepEqual(countLines(await backend.peek(COUNTS)), expectedCounts(stored), what);
}

/** The same steps, counting the statements run. */
function* counted<T>(steps: SqlSteps<T>, count: { n: number }): SqlSteps<T> {
  let next = steps.next([]);
  while (next.done !== true) {
    count.n += 1;
    next = steps.next(yield next.value);
  }
  return next.value;
}

const withEventId = (record: NewTelemetryRecord, n: number): NewTelemetryRecord => ({ ...record, event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` });

export function describeAlertCandidates(test: (name: string, body: (backend: AlertBackend) => Promise<void>) => void): void {
  test('flagged value counts equal a GROUP BY of the stored red-flagged reports after batches, single reports, repeated event ids, erasure and retention', async (backend) => {
    let run = 0;
    const users = USERS.filter((u) => u !== null);
    await fc.assert(fc.asyncProperty(fc.array(recordSpec, { maxLength: 50, size: 'max' }), fc.constantFrom(...users), fc.integer({ min: 0, max: SPAN_DAYS * 24 }), async (specs, erased, cutoffHour) => {
      run += 1;
      const base = ALERT_DAY0 + run * 45 * DAY_US;
      const records = specs.map((spec) => alertRecord(spec, 100 + 2 * run, base));
      await backend.store.telemetry.insertMany(records.slice(0, 30));
      for (const record of records.slice(30, 40)) await backend.store.telemetry.insertMany([record]);
      // Each of these sent twice, in one call and again: stored and counted once.
      const repeated = records.slice(40).map((record, i) => withEventId(record, run * 100 + i));
      await backend.store.telemetry.insertUnique([...repeated, ...repeated]);
      await backend.store.telemetry.insertUnique(repeated);
      await assertCountsExact(backend, 'inserted');
      await backend.store.privacy.erase({ userIdentifier: erased, licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 7 });
      await assertCountsExact(backend, `${erased} erased`);
      const left = await backend.peek(`${COUNTS} WHERE kind = 'user_identifier'`);
      assert.ok(!left.some((row) => row['value'] === erased), `${erased} keeps no row`);
      await backend.store.maintainTelemetry({ nowUs: base + cutoffHour * HOUR_US + 30 * DAY_US, retentionDays: 30 });
      await assertCountsExact(backend, `retention to hour ${cutoffHour}`);
    }), { numRuns: 15 });
  });

  test('the walk gives each kind\'s exact alerts, or gives up past its cap, whatever the page size', async (backend) => {
    let run = 0;
    const limits = fc.record({ page: fc.integer({ min: 1, max: 3 }), cap: fc.integer({ min: 1, max: 20 }), top: fc.integer({ min: 1, max: 5 }) });
    await fc.assert(fc.asyncProperty(walkCounts, fc.array(limits, { minLength: 1, maxLength: 4 }), async (counts, walks) => {
      run += 1;
      const product = 100 + 2 * run;
      const base = ALERT_DAY0 + run * 45 * DAY_US;
      await backend.store.telemetry.insertMany(walkRecords(counts, product, base));
      const stored = await backend.store.telemetry.query({ productIds: [product] }, { afterId: 0, limit: 100_000 });
      const filter = walkRange(product, base);
      for (const limit of walks) {
        const want = expectedAlerts(stored, filter, limit.top);
        const got = await backend.walk(alertWalkSteps(filter, limit.top, backend.source, limit));
        for (const [kind, list] of [['license_key', want.license_keys], ['user_identifier', want.user_identifiers]] as const) {
          const what = `${kind}, ${JSON.stringify(counts)}, ${JSON.stringify(limit)}`;
          if (got[kind] !== null) assert.deepEqual(got[kind], list, what);
          // Never gives up when the cap is above every value there is to check.
          if (limit.cap >= counts.values.length) assert.notEqual(got[kind], null, `${what}: gave up`);
        }
        const walked = await backend.walk(alertWalkSteps(filter, limit.top, backend.source));
        assert.deepEqual({ license_keys: walked.license_key, user_identifiers: walked.user_identifier }, want, 'default limits');
      }
    }), { numRuns: 40 });
  });

  test('over a short range where every stored count is far above the range\'s, the walk gives up and the summary reads raw, with the same answer', async (backend) => {
    const record = (key: string, createdUs: number): NewTelemetryRecord => ({
      ...alertRecord({ key, user: null, group: 'g', otherProduct: false, version: null, flagged: true, failed: [true, false, false, false, false, false], createdUs, lateUs: null }, 7, ALERT_DAY0),
    });
    const keys = Array.from({ length: 300 }, (_, i) => `K-${String(i).padStart(3, '0')}`);
    await backend.store.telemetry.insertMany([...keys.flatMap((key, i) => [record(key, DAY_US + i), record(key, DAY_US + 1000 + i)]), record('K-100', 5 * DAY_US)]);
    const short = { productIds: [7], dataGroup: 'g', fromUs: ALERT_DAY0 + 5 * DAY_US - HOUR_US, toUs: ALERT_DAY0 + 5 * DAY_US + HOUR_US } as const;
    const walked: WalkedAlerts = await backend.walk(alertWalkSteps(short, 5, backend.source));
    assert.equal(walked.license_key, null, 'the license keys\' walk gave up');
    const { alerts } = await backend.store.telemetry.summarize(short, { buckets: 4, points: 10, top: 5 });
    assert.deepEqual(alerts.license_keys.map((a) => [a.value, a.count]), [['K-100', 1]]);
    assert.deepEqual(alerts.user_identifiers.map((a) => [a.value, a.count]), [[null, 1]]);
    // Every one of the 300 keys is checked (the top list never fills): a cap of 300 answers, 299 gives up.
    assert.deepEqual((await backend.walk(alertWalkSteps(short, 5, backend.source, { page: 64, cap: 300 }))).license_key?.map((a) => a.value), ['K-100']);
    assert.equal((await backend.walk(alertWalkSteps(short, 5, backend.source, { page: 64, cap: 299 }))).license_key, null);
    const statements = { n: 0 };
    const long = await backend.walk(counted(alertWalkSteps({ ...short, fromUs: ALERT_DAY0, toUs: ALERT_DAY0 + 6 * DAY_US }, 5, backend.source), statements));
    assert.deepEqual(long.license_key?.map((a) => [a.value, a.count]), [['K-100', 3], ['K-000', 2], ['K-001', 2], ['K-002', 2], ['K-003', 2]], 'over the whole range it answers');
    // Per kind: the NULL group, a page and its alerts, and the next page whose first value cannot enter (users: all NULL).
    assert.equal(statements.n, 4 + 2, 'the walk stops at the first value that cannot enter');
  });
}
