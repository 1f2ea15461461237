/**
 * The record's time for insights, charts and summaries is reported_at when present, else
 * created_at (issue 17). Ingest refuses a reported_at more than this far after created_at, so a
 * record whose time is at or after `from` was created at or after `from - RECORD_TIME_LEAD_US`:
 * the bound that keeps a time range on the created_at index (SQLite's time blocks, PostgreSQL's
 * partitions). Each backend writes the expression itself (sqlite/queries/record-time.ts,
 * postgres/record-time.ts).
 */
export const RECORD_TIME_LEAD_US = 5 * 60 * 1_000_000;
