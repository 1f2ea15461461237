/**
 * How many reports came in per product, data group and data type in each time bucket, split by
 * has_red_flags: what the dashboard's overview charts and its list of data groups are made from.
 * Times are microseconds since the epoch, like the rest of the store contract.
 */
export interface ActivityRow {
  product_id: number | null;
  data_group: string | null;
  data_type: string | null;
  /** Start of the bucket: created_at rounded down to a multiple of the bucket size (UTC). */
  bucket_start_us: number;
  clean: number;
  flagged: number;
}

/** Which records `TelemetryStore.activity` counts: created_at in [fromUs, toUs], bucketed by bucketUs. */
export interface ActivityRequest {
  fromUs: number;
  toUs: number;
  /** Bucket size in µs: an hour or a day in practice; must be a positive integer. */
  bucketUs: number;
}
