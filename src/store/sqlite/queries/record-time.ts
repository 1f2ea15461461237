/**
 * A record's time for insights, charts and summaries (docs/admin-api.md, "Installs"): the
 * client's `reported_at` when present, else `created_at`, both microseconds since the epoch.
 * Every such SQLite query names it through this one expression. Until the `reported_at` column
 * lands (issue 17, branch i17-a) it is `created_at`; it then becomes
 * `COALESCE(reported_at, created_at)`.
 */
export const RECORD_TIME_SQL = 'created_at';

/**
 * How far `reported_at` may be ahead of `created_at` (ingest refuses more): a record time at or
 * after `from` implies created_at at or after `from` minus this, which bounds a scan on the
 * created_at-ordered structures (time blocks, partitions). There is no such upper bound: a late
 * report's created_at is long after its record time.
 */
export const REPORTED_AT_MAX_LEAD_US = 5 * 60 * 1_000_000;
