import { DAY_US } from '../../model/clock.js';
import { REPORTED_AHEAD_MAX_US } from '../../model/record-time.js';
import { firstSketchDayKept } from './install-rollup.js';
import { retentionCutoffUs } from './maintenance.js';
import { extentSql, type RollupDialect } from './rollup-check-sql.js';
import { LATE_US } from './rollup-sql.js';
import type { RollupRange } from './rollup-store.js';
import { step, type SqlSteps } from './sql-steps.js';

/** What a backend gives the shared check and rebuild: its SQL dialect and how it runs steps. */
export interface RollupBackend {
  dialect: RollupDialect;
  /** What follows `FROM telemetry` for the late index to be used (SQLite: `INDEXED BY telemetry_late`). */
  lateIndex: string;
  /** Runs the steps `steps()` makes in one read snapshot. */
  read<T>(steps: () => SqlSteps<T>): Promise<T>;
  /**
   * Runs the steps in one write transaction that no insert of records can interleave with; may
   * call `steps()` again to retry the transaction from the start (a PostgreSQL deadlock).
   */
  write<T>(steps: () => SqlSteps<T>): Promise<T>;
}

/** The retention bounds that excuse differences (RollupCheckNotes): none without retention. */
export interface RetentionBounds {
  /** Records created before the cutoff may be gone: their record time is before this. */
  recordsBeforeUs: number;
  /** First day whose sketches retention keeps. */
  firstSketchDay: number;
}

export function retentionBounds(range: RollupRange): RetentionBounds | null {
  const cutoffUs = retentionCutoffUs(range.nowUs, range.retentionDays);
  if (cutoffUs === null) return null;
  return { recordsBeforeUs: cutoffUs + REPORTED_AHEAD_MAX_US, firstSketchDay: firstSketchDayKept(cutoffUs) };
}

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function* extentSteps(productId: number | undefined, lateIndex: string): SqlSteps<{ lo: number; hi: number } | null> {
  let lo: number | null = null;
  let hi: number | null = null;
  const [created, ...others] = extentSql(productId, lateIndex);
  const [row] = yield step(created as string);
  const [createdLo, createdHi] = [toNumber(row?.['lo']), toNumber(row?.['hi'])];
  if (createdLo !== null && createdHi !== null) [lo, hi] = [createdLo - LATE_US, createdHi + REPORTED_AHEAD_MAX_US];
  for (const sql of others) {
    const [bounds] = yield step(sql);
    const [a, b] = [toNumber(bounds?.['lo']), toNumber(bounds?.['hi'])];
    if (a !== null) lo = lo === null ? a : Math.min(lo, a);
    if (b !== null) hi = hi === null ? b : Math.max(hi, b);
  }
  return lo === null || hi === null ? null : { lo, hi };
}

/** The UTC days (their first µs) of a range; a missing bound is where stored data begins or ends. */
export async function daysOf(backend: RollupBackend, range: RollupRange): Promise<number[]> {
  let { fromUs, toUs } = range;
  if (fromUs === undefined || toUs === undefined) {
    const extent = await backend.read(() => extentSteps(range.productId, backend.lateIndex));
    if (extent === null) return [];
    fromUs ??= extent.lo;
    toUs ??= extent.hi;
  }
  const days: number[] = [];
  for (let day = Math.floor(fromUs / DAY_US) * DAY_US; day <= toUs; day += DAY_US) days.push(day);
  return days;
}
