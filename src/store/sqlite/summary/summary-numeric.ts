import { numericSummaryOf } from '../../contract/numeric-summary.js';
import type { NumericSummary } from '../../../model/summary.js';
import type { FilteredQueries } from './filtered-queries.js';
import { COLLECT_DOUBLES, doublesFromBlob } from './summary-aggregates.js';
import { NUMERIC_RECORDS } from './summary-indexes.js';

/**
 * Single values, exactly: one scan of the time range on the covering index hands every value
 * to JavaScript as one array of doubles (8 bytes each), which is sorted once; count, min, max,
 * mean, percentiles and histogram then follow from the sorted values (numeric-summary.ts).
 * The cost grows with the records in the range (docs/performance.md, "Summaries").
 */
export function numericSummary(queries: FilteredQueries, buckets: number): NumericSummary {
  const blob = queries.get<{ doubles: Uint8Array | null }>({
    index: NUMERIC_RECORDS.index,
    select: `${COLLECT_DOUBLES}(numeric_data_single_value) AS doubles`,
    and: NUMERIC_RECORDS.where,
  });
  const values = doublesFromBlob(blob?.doubles);
  values.sort();
  return numericSummaryOf(values, buckets);
}
