import type Database from 'better-sqlite3';
import { Doubles } from '../../contract/doubles.js';
import { MinMaxBuckets } from '../../contract/xy-downsample.js';

/** SQL name of the aggregate that hands a column's values to JavaScript as one array of doubles. */
export const COLLECT_DOUBLES = 'tally_collect_doubles';
/** SQL name of the aggregate that downsamples xy points: (x, y, created_at, min_x, max_x, buckets). */
export const XY_EXTREMES = 'tally_xy_extremes';

/**
 * Registers the aggregates the summary uses on one connection. They run inside SQLite's scan
 * of a covering index, one call per row, which is several times cheaper than materialising the
 * rows as JavaScript objects (`.all()`) and then looping over them.
 */
export function registerSummaryAggregates(db: Database.Database): void {
  db.aggregate(COLLECT_DOUBLES, {
    start: () => new Doubles(),
    step: (acc: Doubles, value: unknown) => {
      if (typeof value === 'number') acc.push(value);
      return acc;
    },
    // Returned as a blob: the bytes of the values, copied out of the growable buffer.
    result: (acc: Doubles) => Buffer.from(acc.values.buffer, 0, acc.length * 8),
  });
  db.aggregate<MinMaxBuckets | null>(XY_EXTREMES, {
    start: null,
    varargs: true,
    step: (acc: MinMaxBuckets | null, ...row: unknown[]) => {
      const [x, y, createdAt, minX, maxX, buckets] = row as number[];
      const buckets_ = acc ?? new MinMaxBuckets(minX ?? 0, maxX ?? 0, buckets ?? 1);
      buckets_.add(x ?? 0, y ?? 0, createdAt ?? 0);
      return buckets_;
    },
    result: (acc: MinMaxBuckets | null) => JSON.stringify(acc?.points() ?? []),
  });
}

/** The values a COLLECT_DOUBLES blob holds, copied into an aligned array. */
export function doublesFromBlob(blob: unknown): Float64Array {
  if (!(blob instanceof Uint8Array)) return new Float64Array(0);
  const values = new Float64Array(blob.byteLength / 8);
  new Uint8Array(values.buffer).set(blob);
  return values;
}
