/**
 * A record's time for insights and alerts, as one SQL expression over the telemetry table's
 * columns: `created_at` today. It becomes `COALESCE(reported_at, created_at)` when records gain
 * the client's `reported_at` (issue 17, item 3); every insight query writes its time through
 * this, so that is a one-line change. A range `record time ≥ from` may also bound created_at by
 * `from − 5 min` (REPORTED_AT_LEAD_US), which keeps the created_at-ordered indexes usable.
 */
export const RECORD_TIME_SQL = 'created_at';
