import { DAY_US, HOUR_US } from '../../model/clock.js';
import { sketchesOfFacts } from './rollup-check.js';
import { dayFromHoursSql, deleteRollupsSql, earliestReportSql, firstReportsSql, firstSeenUpsertSql, installFactsSql, recountNewMachinesSql, sketchInsertSql } from './rollup-check-sql.js';
import { daysOf, retentionBounds, type RetentionBounds, type RollupBackend } from './rollup-days.js';
import { rollupMergeSql, sqlInteger } from './rollup-sql.js';
import type { RollupRange, RollupRebuildReport } from './rollup-store.js';
import { step, type SqlParam, type SqlRow, type SqlSteps } from './sql-steps.js';

/** What one day's rebuild of its install rows wrote. */
type InstallsRebuilt = Pick<RollupRebuildReport, 'sketchKeys' | 'firstSeen' | 'newMachineKeys'>;

/** Rows per multi-row INSERT of the rebuild (6 parameters a row, far below both engines' limits). */
const ROWS_PER_INSERT = 500;

/** One hour's rollup rows deleted and made again from its records, in one transaction. */
function* rebuildHour(backend: RollupBackend, hour: number, productId: number | undefined): SqlSteps<void> {
  for (const sql of deleteRollupsSql(HOUR_US, hour, productId)) yield step(sql);
  const merge = rollupMergeSql(backend.dialect.raw(hour, hour + HOUR_US - 1, productId), 1, [HOUR_US], backend.dialect.binFunction);
  yield step(merge.counts);
  yield step(merge.bins);
}

/** One day's rollup rows made again from its (just rebuilt) hours. */
function* rebuildDay(day: number, productId: number | undefined): SqlSteps<void> {
  for (const sql of deleteRollupsSql(DAY_US, day, productId)) yield step(sql);
  for (const sql of dayFromHoursSql(day, productId)) yield step(sql);
}

function* insertChunks(sqlOf: (rows: number) => string, rows: readonly SqlParam[][]): SqlSteps<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    yield step(sqlOf(chunk.length), chunk.flat());
  }
}

/**
 * One day's install sketches made again from its reports (unless retention drops that day's
 * sketches anyway), and its machines' first-seen rows: each machine's earliest report of the day
 * upserted keeping the earlier time (as ingest does), then any row of the day that no report
 * supports (outside retention's reach) made again from the machine's earliest report overall.
 * Last, the day's new-machine counts counted again from its first-seen rows (the triggers kept
 * them through the changes above; this repairs a count damaged behind their back).
 */
function* rebuildInstalls(backend: RollupBackend, day: number, productId: number | undefined, retention: RetentionBounds | null): SqlSteps<InstallsRebuilt> {
  const raw = backend.dialect.raw(day, day + DAY_US - 1, productId);
  const product = productId === undefined ? '' : ` AND product_id = ${sqlInteger(productId)}`;
  let sketchKeys = 0;
  if (retention === null || day / DAY_US >= retention.firstSketchDay) {
    const sketches = sketchesOfFacts(yield step(installFactsSql(backend.dialect, raw)));
    yield step(`DELETE FROM install_sketches WHERE day = ${sqlInteger(day / DAY_US)}${product}`);
    const rows = [...sketches].map(([id, pair]): SqlParam[] => {
      const [p, version, os] = JSON.parse(id) as [number, string, string];
      return [p, day / DAY_US, version, os, pair.machines.encode(), pair.users.encode()];
    });
    yield* insertChunks(sketchInsertSql, rows);
    sketchKeys = rows.length;
  }
  const earliest = new Map<string, SqlParam[]>();
  for (const row of yield step(firstReportsSql(backend.dialect, raw))) {
    const id = JSON.stringify([Number(row['product_id']), String(row['machine'])]);
    if (!earliest.has(id)) earliest.set(id, [Number(row['product_id']), String(row['machine']), Number(row['at']), String(row['version']), String(row['os'])]);
  }
  yield* insertChunks(firstSeenUpsertSql, [...earliest.values()]);
  const unsupported = (yield step(`SELECT product_id, activation_identifier AS machine, first_time FROM install_first_seen
    WHERE first_time >= ${sqlInteger(day)} AND first_time < ${sqlInteger(day + DAY_US)}${product}`)).filter((row) => {
    const first = earliest.get(JSON.stringify([Number(row['product_id']), String(row['machine'])]));
    const at = Number(row['first_time']);
    return first?.[2] !== at && (retention === null || at >= retention.recordsBeforeUs);
  });
  for (const row of unsupported) yield* placeAgain(backend, row);
  const [remove, count] = recountNewMachinesSql(day, productId);
  yield step(remove);
  const newMachineKeys = (yield step(count)).length;
  return { sketchKeys, firstSeen: earliest.size + unsupported.length, newMachineKeys };
}

/** A first-seen row no report supports, made again from the machine's earliest report (or removed when it has none). */
function* placeAgain(backend: RollupBackend, row: SqlRow): SqlSteps<void> {
  const key: SqlParam[] = [Number(row['product_id']), String(row['machine'])];
  yield step('DELETE FROM install_first_seen WHERE product_id = ? AND activation_identifier = ?', key);
  const [first] = yield step(earliestReportSql(backend.dialect), key);
  if (first !== undefined) yield step(firstSeenUpsertSql(1), [...key, Number(first['at']), String(first['version']), String(first['os'])]);
}

/**
 * `RollupStore.rebuild` on any backend. Each hour of each day is one write transaction (so the
 * write lock is held for one hour's records), then the day from its hours, then its install rows.
 * Ingest between transactions adds to hours and days alike, so each step leaves what it rebuilt
 * exact, and the day made from exact hours is exact.
 */
export async function rebuildRollups(backend: RollupBackend, request: RollupRange): Promise<RollupRebuildReport> {
  const days = await daysOf(backend, request);
  const retention = retentionBounds(request);
  const report: RollupRebuildReport = {
    fromUs: days[0] ?? null, toUs: days.length === 0 ? null : (days.at(-1) as number) + DAY_US - 1, days: days.length, hours: 0, sketchKeys: 0, firstSeen: 0, newMachineKeys: 0,
  };
  for (const day of days) {
    for (let hour = day; hour < day + DAY_US; hour += HOUR_US) {
      await backend.write(() => rebuildHour(backend, hour, request.productId));
      report.hours++;
    }
    await backend.write(() => rebuildDay(day, request.productId));
    const installs = await backend.write(() => rebuildInstalls(backend, day, request.productId, retention));
    report.sketchKeys += installs.sketchKeys;
    report.firstSeen += installs.firstSeen;
    report.newMachineKeys += installs.newMachineKeys;
  }
  return report;
}
