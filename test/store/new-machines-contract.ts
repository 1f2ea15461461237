import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';
import { writerReports } from './install-sketch-backend.js';

/**
 * The new-machine counts (install_new_machines, docs/decisions/0042-new-machine-counts.md) as
 * behaviour, with a backend's hands: the counts are read and damaged behind the store's back with
 * the same SQL on both backends. Shared by the SQLite and PostgreSQL runs of new-machines.test.ts.
 */

/** A store over a fresh database, and a way to run SQL on that database behind its back. */
export interface NewMachinesBackend {
  store: Store;
  rows(sql: string): Promise<Record<string, unknown>[]>;
}

export type RunSql = NewMachinesBackend['rows'];

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
/** The first day of writerReports' reports. */
const START_US = Date.UTC(2024, 0, 29) * 1000;
const CHECK = { retentionDays: 0, nowUs: START_US + 30 * DAY_US };

/** The stored counts per key, a key's rows summed (PostgreSQL keeps several until compacted), keys summing to 0 left out. */
const COUNTS_SQL = `SELECT product_id, day, version, os, SUM(machines) AS machines FROM install_new_machines
  GROUP BY product_id, day, version, os HAVING SUM(machines) <> 0`;
/** What they must be: the first-seen rows grouped by product and UTC day of first_time, version and OS. */
const FIRST_SEEN_SQL = `SELECT product_id, first_time / ${DAY_US} AS day, version, os, COUNT(*) AS machines FROM install_first_seen
  GROUP BY product_id, first_time / ${DAY_US}, version, os`;
/** Keys stored in more than one row, or with a count of 0. */
const LOOSE_KEYS_SQL = `SELECT COUNT(*) AS n FROM (SELECT product_id FROM install_new_machines
  GROUP BY product_id, day, version, os HAVING COUNT(*) > 1 OR SUM(machines) = 0) AS k`;

function lines(rows: readonly Record<string, unknown>[]): string[] {
  return rows.map((r) => `${Number(r['product_id'])} ${Number(r['day'])} ${String(r['version'])} ${String(r['os'])}: ${Number(r['machines'])}`).sort();
}

/** The stored counts, one line per key. */
export async function storedCounts(rows: RunSql): Promise<string[]> {
  return lines(await rows(COUNTS_SQL));
}

/** The counts equal the first-seen rows grouped by (product, day, version, OS), key for key; returns them. */
export async function assertNewMachinesExact(rows: RunSql, what: string): Promise<string[]> {
  const counts = await storedCounts(rows);
  assert.deepEqual(counts, lines(await rows(FIRST_SEEN_SQL)), what);
  return counts;
}

/** Every key is one row with a count other than 0 (after a maintenance pass on PostgreSQL; always on SQLite). */
export async function assertCompact(rows: RunSql, what: string): Promise<void> {
  const [loose] = await rows(LOOSE_KEYS_SQL);
  assert.equal(Number(loose?.['n']), 0, what);
}

function report(machine: string, version: string, os: string, timeUs: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  const [base] = writerReports(1, 1) as [NewTelemetryRecord];
  return {
    ...base, activation_identifier: machine, product_version: version, metadata: { os }, user_identifier: `user-of-${machine}`,
    created_at_us: timeUs, reported_at_us: null, ...overrides,
  };
}

/** A report that arrives late: stored now (created day 5) but reported at `timeUs`. */
const late = (machine: string, version: string, os: string, timeUs: number): NewTelemetryRecord =>
  report(machine, version, os, timeUs, { created_at_us: START_US + 5 * DAY_US, reported_at_us: timeUs });

/** Reports that move machines' first reports around, one commit each: later reports, earlier ones of another day, version or OS. */
const MOVES: NewTelemetryRecord[][] = [
  [report('m1', '2.0.0', 'Linux', START_US + 3 * DAY_US)],
  [report('m1', '2.0.0', 'Linux', START_US + 3 * DAY_US + HOUR_US), report('m1', '3.0.0', 'macOS', START_US + 4 * DAY_US)],
  [late('m1', '1.0.0', 'Windows', START_US + DAY_US + 5 * HOUR_US)],
  [late('m1', '1.0.0', 'Windows', START_US + DAY_US + 2 * HOUR_US), report('m2', '2.0.0', 'Linux', START_US + 2 * DAY_US)],
  [late('m2', '2.0.0', 'Windows', START_US + 2 * DAY_US - 1), late('m2', '1.0.0', 'Linux', START_US + 2 * DAY_US - 2), report('m3', '1.0.0', 'Linux', START_US, { product_id: 8 })],
  [late('m2', '1.0.0', 'Linux', START_US + 2 * DAY_US - 2)],
];

/** writerReports' reports (times and creation out of order) in commits of varied sizes. */
export async function ingestShuffled(store: Store, records: readonly NewTelemetryRecord[]): Promise<void> {
  for (let at = 0, size = 1; at < records.length; at += size, size = (size * 5) % 29 + 1) await store.telemetry.insertMany(records.slice(at, at + size));
}

/** The scenarios, each on a database of its own. */
export function describeNewMachineCounts(label: string, open: () => Promise<NewMachinesBackend>): void {
  const test = (name: string, body: (backend: NewMachinesBackend) => Promise<void>): void => {
    it(`${label}: ${name}`, async () => {
      const backend = await open();
      try {
        await body(backend);
      } finally {
        await backend.store.close();
      }
    });
  };

  test('each commit leaves the counts equal to the first-seen rows grouped, as earlier reports move machines to another day, version or OS', async ({ store, rows }) => {
    for (const [i, commit] of MOVES.entries()) {
      await store.telemetry.insertMany(commit);
      await assertNewMachinesExact(rows, `after commit ${i}`);
    }
    const day = (n: number): number => START_US / DAY_US + n;
    assert.deepEqual(await storedCounts(rows), [`1 ${day(1)} 1.0.0 Windows: 1`, `1 ${day(1)} 1.0.0 Linux: 1`, `8 ${day(0)} 1.0.0 Linux: 1`].sort());
    await ingestShuffled(store, writerReports(11, 150));
    await assertNewMachinesExact(rows, 'after many machines in shuffled commits');
  });

  test('the counts follow first-seen rows written behind the store\'s back: deleted, moved, inserted', async ({ store, rows }) => {
    await ingestShuffled(store, writerReports(12, 60));
    await rows(`DELETE FROM install_first_seen WHERE activation_identifier IN ('m1', 'm2', 'm3')`);
    await rows(`UPDATE install_first_seen SET first_time = first_time - ${3 * DAY_US}, version = 'moved' WHERE activation_identifier IN ('m4', 'm5')`);
    await rows(`UPDATE install_first_seen SET first_time = first_time + 1 WHERE activation_identifier = 'm6'`);
    await rows(`INSERT INTO install_first_seen (product_id, activation_identifier, first_time, version, os) VALUES (1, 'x', ${START_US}, 'x', 'x'), (1, 'y', ${START_US}, 'x', 'x')`);
    const counts = await assertNewMachinesExact(rows, 'after writes behind the store\'s back');
    assert.ok(counts.includes(`1 ${START_US / DAY_US} x x: 2`), counts.join('\n'));
  });

  test('an erasure takes the erased machines out of the counts, and counts a shared machine at its remaining first report', async ({ store, rows }) => {
    const records = writerReports(13, 120);
    await ingestShuffled(store, records);
    const shared = records.find((r) => r.user_identifier === 'u3') as NewTelemetryRecord;
    await store.telemetry.insertMany([{ ...shared, user_identifier: 'bob', product_version: 'bob\'s', created_at_us: START_US + 3 * DAY_US, reported_at_us: null }]);
    const before = await assertNewMachinesExact(rows, 'before the erasure');
    await store.privacy.erase({ userIdentifier: 'u3', licenseKey: null, activationIdentifier: null, productId: null }, { stepIds: 7 });
    const after = await assertNewMachinesExact(rows, 'after the erasure');
    const total = (counts: string[]): number => counts.reduce((sum, line) => sum + Number(line.split(': ')[1]), 0);
    const erased = new Set(records.filter((r) => r.user_identifier === 'u3').map((r) => r.activation_identifier));
    assert.equal(total(after), total(before) - erased.size + 1, 'the erased machines are gone but the shared one');
    assert.ok(after.some((line) => line.includes('bob\'s')), 'the shared machine is first seen at bob\'s report');
  });

  test('retention leaves the counts as the first-seen rows it keeps (they outlive it), and a maintenance pass leaves one row per key', async ({ store, rows }) => {
    await ingestShuffled(store, [...MOVES.flat(), ...writerReports(14, 100)]);
    const before = await assertNewMachinesExact(rows, 'before retention');
    const stored = await store.telemetry.count();
    // The cutoff is 2024-02-01: January's reports go (PostgreSQL drops their whole month).
    await store.maintainTelemetry({ nowUs: START_US + 3 * DAY_US + 10 * DAY_US, retentionDays: 10 });
    assert.ok(await store.telemetry.count() < stored, 'retention deleted reports');
    assert.deepEqual(await assertNewMachinesExact(rows, 'after retention'), before);
    await assertCompact(rows, 'after a maintenance pass');
  });

  test('the check reports damaged counts, and a rebuild counts them again from the first-seen rows', async ({ store, rows }) => {
    await ingestShuffled(store, [...MOVES.flat(), ...writerReports(15, 100)]);
    const clean = await store.rollups.check({ ...CHECK, limit: 20 });
    assert.equal(clean.mismatches, 0, JSON.stringify(clean.first, null, 1));
    assert.ok(clean.checked.newMachineKeys > 0, 'counts were checked');
    const day = START_US / DAY_US;
    await rows(`UPDATE install_new_machines SET machines = machines + 1 WHERE day = ${day + 1} AND version = '1.0.0'`);
    await rows(`DELETE FROM install_new_machines WHERE day = ${day + 2}`);
    await rows(`INSERT INTO install_new_machines (product_id, day, version, os, machines) VALUES (1, ${day + 3}, 'ghost', 'none', 2)`);
    const report = await store.rollups.check({ ...CHECK, limit: 1000 });
    const found = report.first.filter((m) => m.table === 'install_new_machines');
    assert.equal(found.length, report.mismatches, 'only the counts were damaged');
    assert.ok(found.some((m) => m.key['day'] === day + 1 && /^\d+ new machines counted where \d+ were first seen$/.test(m.problem)), JSON.stringify(found));
    assert.ok(found.some((m) => m.key['day'] === day + 2 && m.problem === 'first-seen rows without a count of new machines'), JSON.stringify(found));
    assert.deepEqual(found.filter((m) => m.key['version'] === 'ghost').map((m) => [m.key, m.problem, m.stored, m.expected]),
      [[{ product_id: 1, day: day + 3, version: 'ghost', os: 'none' }, 'a count of new machines without first-seen rows', { machines: 2 }, null]]);
    const rebuilt = await store.rollups.rebuild(CHECK);
    assert.ok(rebuilt.newMachineKeys > 0, JSON.stringify(rebuilt));
    await assertNewMachinesExact(rows, 'after the rebuild');
    await assertCompact(rows, 'after the rebuild');
    assert.equal((await store.rollups.check({ ...CHECK, limit: 20 })).mismatches, 0, 'the check passes again');
  });
}
