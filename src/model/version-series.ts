import { DAY_US, HOUR_US } from './clock.js';

/**
 * p50 and p90 of a data group's single values per time bucket and product version: the
 * dashboard's "one line per version" chart (docs/admin-api.md, "Versions over time"). Times are
 * microseconds since the epoch, like the rest of the store contract.
 */

/** How many versions one answer charts at most. */
export const MAX_CHARTED_VERSIONS = 8;

export type VersionInterval = 'hour' | 'day' | 'week';

/**
 * A bucket of a VersionInterval: record times t with start ≤ t < start + sizeUs, where start ≡
 * offsetUs (mod sizeUs). UTC hours and days; weeks start on Monday 00:00 UTC (1970-01-05 was the
 * first Monday after the epoch, 4 days in).
 */
export interface BucketSize {
  sizeUs: number;
  offsetUs: number;
}

export const BUCKET_SIZES: Readonly<Record<VersionInterval, BucketSize>> = {
  hour: { sizeUs: HOUR_US, offsetUs: 0 },
  day: { sizeUs: DAY_US, offsetUs: 0 },
  week: { sizeUs: 7 * DAY_US, offsetUs: 4 * DAY_US },
};

/** The start of the bucket that holds `us` (every backend computes the same in SQL). */
export function bucketStart(us: number, { sizeUs, offsetUs }: BucketSize): number {
  return us - ((((us - offsetUs) % sizeUs) + sizeUs) % sizeUs);
}

/** What `TelemetryStore.versionSeries` reads: one product's data group, record time in [fromUs, toUs]. */
export interface VersionSeriesRequest {
  productId: number;
  dataGroup: string;
  /** Record time bounds (reported_at when present, else created_at), µs, inclusive. */
  fromUs: number;
  toUs: number;
  bucket: BucketSize;
  /**
   * The versions to chart, at most MAX_CHARTED_VERSIONS, distinct; null = the most reported
   * ones in the range (most first, ties by version in byte order, no version first).
   */
  versions: readonly string[] | null;
  /** How many of the most reported versions `top` lists. */
  listed: number;
}

/** A product version (null: reports that named none) and how many single values it has. */
export interface VersionCount {
  product_version: string | null;
  count: number;
}

/** One (version, bucket) with values: exact nearest-rank percentiles (store/contract/percentile.ts). */
export interface VersionPoint {
  product_version: string | null;
  bucket_start_us: number;
  count: number;
  p50: number;
  p90: number;
}

export interface VersionSeries {
  /** Distinct versions among the single values in the range. */
  distinct_versions: number;
  /** The `listed` most reported versions, most first, ties by version (byte order, null first). */
  top: VersionCount[];
  /** The versions charted: the ones asked for in their order (count 0 when none in the range), else the most reported. */
  charted: VersionCount[];
  /** Every (charted version, bucket) that has values, by charted order then bucket. */
  points: VersionPoint[];
}
