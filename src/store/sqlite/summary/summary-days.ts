import type { DayCount } from '../../../model/summary.js';
import { RECORD_TIME_SQL } from '../../contract/record-time-sql.js';
import type { FilteredQueries } from './filtered-queries.js';
import { FLAGGED_RECORDS, TYPED_RECORDS, type SummaryIndex } from './summary-indexes.js';
import { DAY_US } from '../../../model/clock.js';

/** The UTC day a record's time falls on (reported_at, else created_at), floored also before 1970. */
const DAY_START = `${RECORD_TIME_SQL} - (((${RECORD_TIME_SQL} % ${DAY_US}) + ${DAY_US}) % ${DAY_US})`;

/**
 * Clean and flagged records per UTC day of their record time, from the day of the first matching
 * record to the day of the last, empty days included (a chart needs the gaps). Clean records are
 * counted on the three data-type indexes and flagged ones on the flagged index (summary-indexes.ts
 * says why that counts each record once): one grouped scan of the filter's range per index. The
 * range seeks on created_at (the bound the record-time range implies); the record time is read
 * from the same covering index, which holds reported_at beside created_at.
 */
export function dayCounts(queries: FilteredQueries): DayCount[] {
  const days = new Map<number, DayCount>();
  const add = (index: SummaryIndex, condition: string, into: 'clean' | 'flagged'): void => {
    const rows = queries.all<{ day: number; count: number }>({ index: index.index, select: `${DAY_START} AS day, COUNT(*) AS count`, and: `${index.where} AND ${condition}`, tail: 'GROUP BY day' });
    for (const { day, count } of rows) {
      const entry = days.get(day) ?? { day_start_us: day, clean: 0, flagged: 0 };
      entry[into] += count;
      days.set(day, entry);
    }
  };
  for (const typed of TYPED_RECORDS) add(typed, 'has_red_flags = 0', 'clean');
  add(FLAGGED_RECORDS, FLAGGED_RECORDS.where, 'flagged');
  if (days.size === 0) return [];
  const starts = [...days.keys()];
  const filled: DayCount[] = [];
  for (let start = Math.min(...starts); start <= Math.max(...starts); start += DAY_US) filled.push(days.get(start) ?? { day_start_us: start, clean: 0, flagged: 0 });
  return filled;
}
