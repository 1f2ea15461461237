import { roundBounds } from '../contract/percentile.js';
import { toAlert, type AlertRow } from '../contract/piracy-alert-row.js';
import type { DayCount, NumericSummary, TelemetrySummary, ValueCount, XyPoint } from '../../model/summary.js';
import { DAY_US } from '../../model/clock.js';
const EMPTY_NUMERIC: NumericSummary = { count: 0, min: null, max: null, mean: null, p50: null, p90: null, p99: null, histogram: [] };

/** The one row of the summary statement (summary-sql.ts); every column is json, parsed by pg. */
export interface PgSummaryRow {
  numeric: {
    count: number;
    min: number | null;
    max: number | null;
    mean: number | null;
    /** p50, p90, p99; null when there are no values. */
    percentiles: number[] | null;
    /** [1-based bucket, count] of the non-empty buckets. */
    histogram: [number, number][] | null;
  };
  xy: { count: number; downsampled: boolean; points: XyPoint[] | null };
  text: { count: number; top: ValueCount[] | null };
  /** [day start, clean, flagged] of the days that have records, in order. */
  days: [number, number, number][] | null;
  /** Absent when the statement did not read that kind (the threshold walk answered it). */
  license_keys?: AlertRow[] | null;
  user_identifiers?: AlertRow[] | null;
}

/** The TelemetrySummary a row holds: json_agg of no rows is null, and empty days are filled in. */
export function toTelemetrySummary(row: PgSummaryRow, buckets: number): TelemetrySummary {
  return {
    numeric: toNumeric(row.numeric, buckets),
    xy: { count: row.xy.count, downsampled: row.xy.downsampled, points: row.xy.points ?? [] },
    text: { count: row.text.count, top: row.text.top ?? [] },
    days: fillDays(row.days ?? []),
    alerts: { license_keys: (row.license_keys ?? []).map(toAlert), user_identifiers: (row.user_identifiers ?? []).map(toAlert) },
    percentiles: 'exact',
  };
}

/** Bucket bounds come from roundBounds, the very arithmetic the SQL used for the lower bounds. */
function toNumeric(numeric: PgSummaryRow['numeric'], buckets: number): NumericSummary {
  const { count, min, max, mean } = numeric;
  if (count === 0 || min === null || max === null) return EMPTY_NUMERIC;
  const counts = new Map(numeric.histogram ?? []);
  const [p50 = null, p90 = null, p99 = null] = numeric.percentiles ?? [];
  const histogram = roundBounds(min, max, buckets).map((b, i) => ({ from: b.from, to: b.to, count: counts.get(i + 1) ?? 0 }));
  return { count, min, max, mean, p50, p90, p99, histogram };
}

/** Every UTC day from the first to the last that has records, empty days included. */
function fillDays(rows: readonly [number, number, number][]): DayCount[] {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first === undefined || last === undefined) return [];
  const byDay = new Map(rows.map(([day, clean, flagged]) => [day, { clean, flagged }]));
  const days: DayCount[] = [];
  for (let day = first[0]; day <= last[0]; day += DAY_US) {
    days.push({ day_start_us: day, ...(byDay.get(day) ?? { clean: 0, flagged: 0 }) });
  }
  return days;
}
