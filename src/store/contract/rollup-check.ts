import { DAY_US } from '../../model/clock.js';
import { HyperLogLog } from '../../model/hyperloglog.js';
import { daysOf, retentionBounds, type RetentionBounds, type RollupBackend } from './rollup-days.js';
import { expectedBinsSql, expectedCountsSql, firstReportsSql, installFactsSql, storedBinsSql, storedCountsSql, storedFirstSeenSql, storedNewMachinesSql, storedSketchesSql } from './rollup-check-sql.js';
import { compareNewMachines } from './new-machines-check.js';
import { BIN_KEY, COUNT_KEY } from './rollup-sql.js';
import type { RollupCheckNotes, RollupCheckReport, RollupCheckRequest, RollupMismatch } from './rollup-store.js';
import { step, type SqlRow, type SqlSteps } from './sql-steps.js';

/** What one day's check found. */
interface DayFindings {
  mismatches: RollupMismatch[];
  notes: RollupCheckNotes;
  checked: RollupCheckReport['checked'];
}

const TEXT_KEYS: ReadonlySet<string> = new Set(['data_group', 'data_type', 'product_version']);

function idOf(row: SqlRow, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => (TEXT_KEYS.has(c) ? String(row[c]) : Number(row[c]))));
}

/** A rollup key as people read it: the span by name, NULLs back (the bits of `nulls`, rollup-sql.ts). */
function readableKey(row: SqlRow, counts: boolean): Record<string, string | number | null> {
  const nulls = Number(row['nulls']);
  const key: Record<string, string | number | null> = {
    span: Number(row['span_us']) === DAY_US ? 'day' : 'hour', bucket_us: Number(row['bucket_us']),
    product_id: (nulls & 1) !== 0 ? null : Number(row['product_id']), data_group: (nulls & 2) !== 0 ? null : String(row['data_group']),
  };
  if (counts) key['data_type'] = (nulls & 4) !== 0 ? null : String(row['data_type']);
  key['product_version'] = (nulls & 8) !== 0 ? null : String(row['product_version']);
  key['has_red_flags'] = Number(row['has_red_flags']);
  if (!counts) key['bin'] = Number(row['bin']);
  return key;
}

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/** Why a stored count row differs from the raw records' (null: it does not). */
function countsDiffer(stored: SqlRow, expected: SqlRow): string | null {
  const problems: string[] = [];
  for (const column of ['n', 'typed_n', 'v_min', 'v_max']) {
    if (num(stored[column]) !== num(expected[column])) problems.push(`${column} ${num(stored[column])} ≠ ${num(expected[column])}`);
  }
  const [sum, want] = [Number(stored['v_sum']), Number(expected['v_sum'])];
  if (Math.abs(sum - want) > 1e-9 * Math.max(1, Number(expected['v_abs']))) problems.push(`v_sum ${sum} ≠ ${want}`);
  return problems.length === 0 ? null : problems.join(', ');
}

function compareRows(table: 'telemetry_rollups' | 'telemetry_rollup_bins', stored: readonly SqlRow[], expected: readonly SqlRow[], out: RollupMismatch[]): void {
  const counts = table === 'telemetry_rollups';
  const columns = counts ? COUNT_KEY : BIN_KEY;
  const wanted = new Map(expected.map((row) => [idOf(row, columns), row]));
  for (const row of stored) {
    const id = idOf(row, columns);
    const want = wanted.get(id);
    wanted.delete(id);
    const problem = want === undefined ? 'a row without records' : counts ? countsDiffer(row, want) : num(row['n']) === num(want['n']) ? null : `n ${num(row['n'])} ≠ ${num(want['n'])}`;
    if (problem !== null) out.push({ table, key: readableKey(row, counts), problem, stored: row, expected: want ?? null });
  }
  for (const want of wanted.values()) out.push({ table, key: readableKey(want, counts), problem: 'records without a row', stored: null, expected: want });
}

interface SketchPair {
  machines: HyperLogLog;
  users: HyperLogLog;
}

function sketchesByKey(rows: readonly SqlRow[], add: (pair: SketchPair, row: SqlRow) => void): Map<string, SketchPair> {
  const keys = new Map<string, SketchPair>();
  for (const row of rows) {
    const id = JSON.stringify([Number(row['product_id']), String(row['version']), String(row['os'])]);
    const pair = keys.get(id) ?? { machines: new HyperLogLog(), users: new HyperLogLog() };
    add(pair, row);
    keys.set(id, pair);
  }
  return keys;
}

/** Install sketches of the reports' facts: the sketches ingest would have made. */
export function sketchesOfFacts(facts: readonly SqlRow[]): Map<string, SketchPair> {
  return sketchesByKey(facts, (pair, row) => {
    if (typeof row['machine'] === 'string') pair.machines.add(row['machine']);
    if (typeof row['person'] === 'string') pair.users.add(row['person']);
  });
}

/** Whether `stored` counts every text `raw` does: merging raw in changes nothing. */
function covers(stored: HyperLogLog, raw: HyperLogLog): boolean {
  const merged = HyperLogLog.decode(stored.encode());
  merged.merge(raw);
  return merged.encode().equals(stored.encode());
}

function compareSketches(day: number, stored: readonly SqlRow[], facts: readonly SqlRow[], retention: RetentionBounds | null, found: DayFindings): void {
  const kept = sketchesByKey(stored, (pair, row) => {
    pair.machines.mergeBytes(row['machines'] as Buffer);
    pair.users.mergeBytes(row['users'] as Buffer);
  });
  const dayNumber = day / DAY_US;
  const raws = sketchesOfFacts(facts);
  if (retention !== null && dayNumber < retention.firstSketchDay) {
    // Retention drops such days' sketches whole, and a late report may start one again: not checked (decision 0034).
    found.notes.keysBeforeRetention += raws.size;
    return;
  }
  for (const [id, raw] of raws) {
    found.checked.sketchKeys++;
    const [productId, version, os] = JSON.parse(id) as [number, string, string];
    const key = { product_id: productId, day: dayNumber, version, os };
    const sketch = kept.get(id);
    kept.delete(id);
    const expected = { machines: raw.machines.estimate(), users: raw.users.estimate() };
    if (sketch === undefined) {
      found.mismatches.push({ table: 'install_sketches', key, problem: 'reports without a sketch', stored: null, expected });
      continue;
    }
    const stored_ = { machines: sketch.machines.estimate(), users: sketch.users.estimate() };
    if (!covers(sketch.machines, raw.machines) || !covers(sketch.users, raw.users)) {
      found.mismatches.push({ table: 'install_sketches', key, problem: 'a sketch that misses machines or users of its reports', stored: stored_, expected });
    } else if (stored_.machines !== expected.machines || stored_.users !== expected.users) found.notes.sketchesCountingMore++;
  }
  found.notes.sketchesWithoutReports += kept.size;
}

function compareFirstSeen(day: number, stored: readonly SqlRow[], firsts: readonly SqlRow[], retention: RetentionBounds | null, found: DayFindings): void {
  const earliest = new Map<string, { at: number; keys: Set<string> }>();
  for (const row of firsts) {
    const id = JSON.stringify([Number(row['product_id']), String(row['machine'])]);
    const entry = earliest.get(id) ?? { at: Number(row['at']), keys: new Set<string>() };
    entry.keys.add(`${String(row['version'])}\u0001${String(row['os'])}`);
    earliest.set(id, entry);
  }
  found.checked.firstSeen += earliest.size;
  const rows = new Map(stored.map((row) => [JSON.stringify([Number(row['product_id']), String(row['machine'])]), row]));
  const push = (id: string, problem: string, row: SqlRow | null, first: { at: number } | undefined): void => {
    const [productId, machine] = JSON.parse(id) as [number, string];
    found.mismatches.push({ table: 'install_first_seen', key: { product_id: productId, activation_identifier: machine }, problem, stored: row, expected: first === undefined ? null : { first_time: first.at } });
  };
  for (const [id, first] of earliest) {
    const row = rows.get(id);
    const at = row === undefined ? null : Number(row['first_time']);
    if (row === undefined || at === null) push(id, 'a machine with reports but no first-seen row', null, first);
    else if (at > first.at) push(id, 'first seen after its earliest report', row, first);
    else if (at === first.at && !first.keys.has(`${String(row['version'])}\u0001${String(row['os'])}`)) push(id, 'the version or OS of another report', row, first);
  }
  for (const [id, row] of rows) {
    const at = Number(row['first_time']);
    if (at < day || at >= day + DAY_US || (earliest.get(id)?.at ?? Infinity) <= at) continue;
    if (retention !== null && at < retention.recordsBeforeUs) found.notes.firstSeenBeforeRetention++;
    else push(id, 'first seen when the machine has no report', row, earliest.get(id));
  }
}

/** One day's check, in one snapshot: its 24 hour rows and its day row, its sketches, first-seen rows and new-machine counts. */
function* checkDay(backend: RollupBackend, day: number, productId: number | undefined, retention: RetentionBounds | null): SqlSteps<DayFindings> {
  const found: DayFindings = { mismatches: [], notes: emptyNotes(), checked: emptyChecked() };
  const raw = backend.dialect.raw(day, day + DAY_US - 1, productId);
  const storedCounts = yield step(storedCountsSql(day, productId));
  compareRows('telemetry_rollups', storedCounts, yield step(expectedCountsSql(raw)), found.mismatches);
  const storedBins = yield step(storedBinsSql(day, productId));
  compareRows('telemetry_rollup_bins', storedBins, yield step(expectedBinsSql(raw, backend.dialect.binFunction)), found.mismatches);
  found.checked.rollupRows = storedCounts.length;
  found.checked.binRows = storedBins.length;
  compareSketches(day, yield step(storedSketchesSql(day, productId)), yield step(installFactsSql(backend.dialect, raw)), retention, found);
  const firstSeen = yield step(storedFirstSeenSql(day, productId, raw));
  compareFirstSeen(day, firstSeen, yield step(firstReportsSql(backend.dialect, raw)), retention, found);
  found.checked.newMachineKeys = compareNewMachines(day, yield step(storedNewMachinesSql(day, productId)), firstSeen, found.mismatches);
  return found;
}

function emptyChecked(): RollupCheckReport['checked'] {
  return { rollupRows: 0, binRows: 0, sketchKeys: 0, firstSeen: 0, newMachineKeys: 0 };
}

function emptyNotes(): RollupCheckNotes {
  return { sketchesWithoutReports: 0, sketchesCountingMore: 0, keysBeforeRetention: 0, firstSeenBeforeRetention: 0 };
}

/** `RollupStore.check` on any backend: day by day, each day one read snapshot. */
export async function checkRollups(backend: RollupBackend, request: RollupCheckRequest): Promise<RollupCheckReport> {
  const days = await daysOf(backend, request);
  const retention = retentionBounds(request);
  const report: RollupCheckReport = {
    fromUs: days[0] ?? null, toUs: days.length === 0 ? null : (days.at(-1) as number) + DAY_US - 1, days: days.length,
    checked: emptyChecked(), mismatches: 0, first: [], notes: emptyNotes(),
  };
  for (const day of days) {
    const found = await backend.read(() => checkDay(backend, day, request.productId, retention));
    report.mismatches += found.mismatches.length;
    report.first.push(...found.mismatches.slice(0, Math.max(0, request.limit - report.first.length)));
    for (const name of Object.keys(report.checked) as (keyof RollupCheckReport['checked'])[]) report.checked[name] += found.checked[name];
    for (const name of Object.keys(report.notes) as (keyof RollupCheckNotes)[]) report.notes[name] += found.notes[name];
  }
  return report;
}
