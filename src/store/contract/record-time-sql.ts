/**
 * A record's time in SQL, the same text on both backends: the client's `reported_at` when it sent
 * a valid one, else `created_at` (model/record-time.ts, docs/decisions/0026-record-time.md).
 * Every chart, summary and insight buckets and ranges by this expression, and only through this
 * constant. A range on it should also bound created_at (model/record-time.ts, createdAtBounds) so
 * that the created_at indexes and PostgreSQL's monthly partitions still narrow the scan.
 */
export const RECORD_TIME_SQL = 'COALESCE(reported_at, created_at)';
