import type { TextSummary, ValueCount } from '../../../model/summary.js';
import type { FilteredQueries } from './filtered-queries.js';
import { TEXT_RECORDS } from './summary-indexes.js';

const { index: INDEX, where: TEXT } = TEXT_RECORDS;

/** Text records in the range: how many, and the `top` most frequent values (ties by value). */
export function textSummary(queries: FilteredQueries, top: number): TextSummary {
  const count = queries.value<number>({ index: INDEX, select: 'COUNT(*)', and: TEXT }) ?? 0;
  const values = queries.all<ValueCount>(
    { index: INDEX, select: 'text_data AS value, COUNT(*) AS count', and: TEXT, tail: 'GROUP BY text_data ORDER BY count DESC, text_data LIMIT ?' },
    top,
  );
  return { count, top: values };
}
