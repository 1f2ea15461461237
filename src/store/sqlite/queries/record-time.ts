/**
 * The record's time in SQLite SQL (µs), the one expression every insight reads it through. It
 * becomes `COALESCE(reported_at, created_at)` when the reported_at column lands (issue 17, i17-a);
 * ranges keep created_at bounded too (contract/record-time.ts).
 */
export const RECORD_TIME_SQL = 'created_at';
