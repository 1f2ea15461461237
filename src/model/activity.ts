import type { RecordTimeRange } from './record-time.js';

/**
 * How many reports came in per product, data group and data type in each time bucket, split by
 * has_red_flags: what the dashboard's overview charts and its list of data groups are made from.
 * Times are microseconds since the epoch, like the rest of the store contract.
 */
export interface ActivityRow {
  product_id: number | null;
  data_group: string | null;
  data_type: string | null;
  /** Start of the bucket: the record time rounded down to a multiple of the bucket size (UTC). */
  bucket_start_us: number;
  clean: number;
  flagged: number;
}

/**
 * Which records `TelemetryStore.activity` counts: record time (reported_at when present, else
 * created_at; RECORD_TIME_SQL) in [recordFromUs, recordToUs], bucketed by it; fromUs/toUs are the
 * created_at bounds that range implies (record-time.ts, recordTimeRange), which narrow the scan.
 */
export interface ActivityRequest extends RecordTimeRange {
  /** Bucket size in µs: an hour or a day in practice; must be a positive integer. */
  bucketUs: number;
}
