import type { XyPoint, XySummary } from '../../../model/summary.js';
import type { FilteredQueries } from './filtered-queries.js';
import { XY_EXTREMES } from './summary-aggregates.js';
import { XY_RECORDS } from './summary-indexes.js';

const { index: INDEX, where: XY } = XY_RECORDS;

interface Extent {
  count: number;
  min_x: number | null;
  max_x: number | null;
}

/**
 * xy points ordered by x. Up to `limit` points come back as they are; past that, min/max
 * downsampling (xy-downsample.ts) over limit/2 equal-width x buckets, computed by an aggregate
 * during one scan of the covering index, so that at most `limit` points reach JavaScript.
 */
export function xySummary(queries: FilteredQueries, limit: number): XySummary {
  const extent = queries.get<Extent>({ index: INDEX, select: 'COUNT(*) AS count, MIN(numeric_data_x) AS min_x, MAX(numeric_data_x) AS max_x', and: XY });
  const count = extent?.count ?? 0;
  if (count <= limit) {
    const points = queries.all<XyPoint>({
      index: INDEX,
      select: 'numeric_data_x AS x, numeric_data_y AS y, created_at AS created_at_us',
      and: XY,
      tail: 'ORDER BY numeric_data_x, numeric_data_y, created_at',
    });
    return { count, downsampled: false, points };
  }
  const json = queries.value<string>({
    index: INDEX,
    select: `${XY_EXTREMES}(numeric_data_x, numeric_data_y, created_at, ?, ?, ?)`,
    selectParams: [extent?.min_x ?? 0, extent?.max_x ?? 0, Math.floor(limit / 2)],
    and: XY,
  });
  return { count, downsampled: true, points: JSON.parse(json ?? '[]') as XyPoint[] };
}
