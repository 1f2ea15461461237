import { DAY_US } from './clock.js';

/**
 * A record's time, the time every chart, summary and insight counts it at: the client's
 * `reported_at` when it sent a valid one, else `created_at` (when the server stored it). Each
 * backend writes it as one SQL expression, `RECORD_TIME_SQL` (store/contract/record-time-sql.ts).
 * docs/decisions/0026-record-time.md.
 */

/** How far ahead of the server's clock a report's `reported_at` may be: ingest refuses more. */
export const REPORTED_AHEAD_MAX_US = 5 * 60 * 1_000_000;

/** `--max-report-age-days` by default: how old a report's `reported_at` may be. */
export const DEFAULT_MAX_REPORT_AGE_DAYS = 90;

/**
 * The `reported_at` values ingest accepts at `nowUs`, inclusive: at most `maxAgeDays` old and at
 * most REPORTED_AHEAD_MAX_US ahead.
 */
export function reportedAtWindow(nowUs: number, maxAgeDays: number): { lowUs: number; highUs: number } {
  return { lowUs: nowUs - maxAgeDays * DAY_US, highUs: nowUs + REPORTED_AHEAD_MAX_US };
}

/**
 * The created_at range that holds every record whose time (or reported_at) is in [fromUs, toUs],
 * so that a query on record time can still use the created_at indexes and partitions. Ingest
 * stores a reported_at only within [created_at − max age, created_at + 5 min], hence
 * created_at ∈ [time − 5 min, time + max age]. `maxAgeDays` must be the largest
 * `--max-report-age-days` the records were ingested with; records imported with older client
 * times are outside the bound (docs/decisions/0026-record-time.md).
 */
export function createdAtBounds(fromUs: number | undefined, toUs: number | undefined, maxAgeDays: number): { fromUs?: number; toUs?: number } {
  const bounds: { fromUs?: number; toUs?: number } = {};
  if (fromUs !== undefined) bounds.fromUs = fromUs - REPORTED_AHEAD_MAX_US;
  if (toUs !== undefined) bounds.toUs = toUs + maxAgeDays * DAY_US;
  return bounds;
}

/**
 * A range of record time (reported_at when present, else created_at) as a filter holds it: the
 * exact bounds, and the created_at bounds that hold every record in them (createdAtBounds).
 */
export interface RecordTimeRange {
  /** Record time bounds, µs, inclusive. */
  recordFromUs: number;
  recordToUs: number;
  /** created_at bounds implied by them, µs, inclusive: what narrows the scan. */
  fromUs: number;
  toUs: number;
}

/** The filter fields of a record-time range [fromUs, toUs] (TelemetryFilter, ActivityRequest). */
export function recordTimeRange(fromUs: number, toUs: number, maxAgeDays: number): RecordTimeRange {
  return { recordFromUs: fromUs, recordToUs: toUs, fromUs: fromUs - REPORTED_AHEAD_MAX_US, toUs: toUs + maxAgeDays * DAY_US };
}
