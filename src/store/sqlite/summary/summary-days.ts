import type { DayCount } from '../../../model/summary.js';
import type { FilteredQueries } from './filtered-queries.js';
import { FLAGGED_RECORDS, TYPED_RECORDS, type SummaryIndex } from './summary-indexes.js';
import { DAY_US } from '../../../model/clock.js';

const BETWEEN = 'created_at >= ? AND created_at <= ?';
const ALL_INDEXES = [...TYPED_RECORDS, FLAGGED_RECORDS];

/** Inclusive created_at bounds of the summary. */
export interface TimeRange {
  fromUs: number;
  toUs: number;
}

/**
 * Clean and flagged records per UTC day, from the day of the first matching record to the day
 * of the last, empty days included (a chart needs the gaps). Clean records are counted on the
 * three data-type indexes and flagged ones on the flagged index (summary-indexes.ts says why
 * that counts each record once), one COUNT per day and index over a created_at range, rather
 * than a GROUP BY that would sort every record. `untimed` filters everything but the time, so
 * each query has one created_at range, the day's (clipped to `range`).
 */
export function dayCounts(untimed: FilteredQueries, range: TimeRange): DayCount[] {
  const span = firstAndLast(untimed, range);
  if (span === null) return [];
  const days: DayCount[] = [];
  for (let start = Math.floor(span.first / DAY_US) * DAY_US; start <= span.last; start += DAY_US) {
    const bounds = [Math.max(start, range.fromUs), Math.min(start + DAY_US - 1, range.toUs)];
    const clean = TYPED_RECORDS.reduce((sum, typed) => sum + count(untimed, typed, 'has_red_flags = 0', bounds), 0);
    days.push({ day_start_us: start, clean, flagged: count(untimed, FLAGGED_RECORDS, FLAGGED_RECORDS.where, bounds) });
  }
  return days;
}

function count(untimed: FilteredQueries, { index, where }: SummaryIndex, condition: string, bounds: number[]): number {
  return untimed.value<number>({ index, select: 'COUNT(*)', and: `${where} AND ${condition} AND ${BETWEEN}` }, ...bounds) ?? 0;
}

/** The first and last created_at of any matching record in the range: index seeks, one per end and index. */
function firstAndLast(untimed: FilteredQueries, range: TimeRange): { first: number; last: number } | null {
  const ends = (fn: 'MIN' | 'MAX'): number[] =>
    ALL_INDEXES.map(({ index, where }) => untimed.value<number>({ index, select: `${fn}(created_at)`, and: `${where} AND ${BETWEEN}` }, range.fromUs, range.toUs))
      .filter((us): us is number => us !== null);
  const firsts = ends('MIN');
  return firsts.length === 0 ? null : { first: Math.min(...firsts), last: Math.max(...ends('MAX')) };
}
