import type { ActivityRow } from '../../model/activity.js';
import type { TelemetryFilter } from '../../model/filter.js';
import type { DayCount, NumericSummary } from '../../model/summary.js';
import { DAY_US } from '../../model/clock.js';
import { RECORD_TIME_SQL } from './record-time-sql.js';
import { addValues, sketchedNumeric, type NumericStats } from './rollup-sketch.js';
import { KEY_COLUMNS_READ, NUMERIC_DATA_TYPE, sqlInteger } from './rollup-sql.js';
import type { SpanRange } from './rollup-plan.js';
import { SUMMARY_RECORDS } from './summary-records.js';

/**
 * The reads of the rollups as SQL shared by both backends. `bind` adds a parameter and returns
 * its placeholder (`?` on SQLite, `$n` on PostgreSQL), so parameters follow the text's order.
 * `raw(from, to)` is the backend's parenthesised SELECT of the raw records whose record time is
 * in [from, to] (rollup-sql.ts, windowHalves), with the columns RAW_COLUMNS names.
 */
export type Bind = (value: number | string) => string;
export type RawWindow = (fromUs: number, toUs: number) => string;

/** The raw columns an edge read needs. */
export const RAW_COLUMNS = 'product_id, data_group, data_type, product_version, has_red_flags, created_at, reported_at, numeric_data_single_value, numeric_data_x, numeric_data_y, text_data';

/** A filter's dimensions as a condition on a rollup table (stored keys: a filter value is never NULL). */
export function dimsCondition(filter: TelemetryFilter, bind: Bind, table: 'counts' | 'bins'): string {
  const terms: string[] = [];
  const ids = filter.productIds;
  if (ids !== null && ids.length === 0) return '1 = 0';
  if (ids !== null) terms.push(`product_id IN (${ids.map((id) => bind(id)).join(', ')}) AND (nulls & 1) = 0`);
  if (filter.dataGroup !== undefined) terms.push(`data_group = ${bind(filter.dataGroup)} AND (nulls & 2) = 0`);
  if (filter.dataType !== undefined) {
    if (table === 'counts') terms.push(`data_type = ${bind(filter.dataType)} AND (nulls & 4) = 0`);
    else if (filter.dataType !== NUMERIC_DATA_TYPE) terms.push('1 = 0');
  }
  if (filter.productVersion !== undefined) terms.push(`product_version = ${bind(filter.productVersion)} AND (nulls & 8) = 0`);
  const flag = filter.flags?.has_red_flags;
  if (flag !== undefined) terms.push(`has_red_flags = ${flag === 1 ? 1 : 0}`);
  return terms.length === 0 ? '1 = 1' : terms.join(' AND ');
}

/** The same dimensions on raw records. */
export function rawDimsCondition(filter: TelemetryFilter, bind: Bind): string {
  const terms: string[] = [];
  const ids = filter.productIds;
  if (ids !== null && ids.length === 0) return '1 = 0';
  if (ids !== null) terms.push(`product_id IN (${ids.map((id) => bind(id)).join(', ')})`);
  if (filter.dataGroup !== undefined) terms.push(`data_group = ${bind(filter.dataGroup)}`);
  if (filter.dataType !== undefined) terms.push(`data_type = ${bind(filter.dataType)}`);
  if (filter.productVersion !== undefined) terms.push(`product_version = ${bind(filter.productVersion)}`);
  const flag = filter.flags?.has_red_flags;
  if (flag !== undefined) terms.push(`has_red_flags = ${flag === 1 ? 1 : 0}`);
  return terms.length === 0 ? '1 = 1' : terms.join(' AND ');
}

function spanCondition(span: SpanRange): string {
  return `span_us = ${sqlInteger(span.spanUs)} AND bucket_us >= ${sqlInteger(span.from)} AND bucket_us <= ${sqlInteger(span.to)}`;
}

/** Activity rows of one span range, bucketed by bucketUs (a multiple of the span). */
export function activitySpanSql(span: SpanRange, bucketUs: number): string {
  const b = sqlInteger(bucketUs);
  return `SELECT ${KEY_COLUMNS_READ}, (bucket_us / ${b}) * ${b} AS bucket_start_us,
      SUM(CASE WHEN has_red_flags = 0 THEN n ELSE 0 END) AS clean, SUM(CASE WHEN has_red_flags = 1 THEN n ELSE 0 END) AS flagged
    FROM telemetry_rollups WHERE ${spanCondition(span)}
    GROUP BY product_id, data_group, data_type, nulls, bucket_start_us`;
}

/** Activity rows of one raw edge. */
export function activityEdgeSql(edge: [number, number], bucketUs: number, raw: RawWindow): string {
  const b = sqlInteger(bucketUs);
  return `SELECT product_id, data_group, data_type, (${RECORD_TIME_SQL} / ${b}) * ${b} AS bucket_start_us,
      SUM(CASE WHEN has_red_flags = 0 THEN 1 ELSE 0 END) AS clean, SUM(CASE WHEN has_red_flags = 1 THEN 1 ELSE 0 END) AS flagged
    FROM ${raw(edge[0], edge[1])} AS w GROUP BY product_id, data_group, data_type, bucket_start_us`;
}

/** Activity rows from several sources, summed per product, group, type and bucket. */
export function mergeActivity(parts: readonly (readonly ActivityRow[])[]): ActivityRow[] {
  const merged = new Map<string, ActivityRow>();
  for (const rows of parts) {
    for (const row of rows) {
      const key = JSON.stringify([row.product_id, row.data_group, row.data_type, Number(row.bucket_start_us)]);
      const known = merged.get(key);
      if (known === undefined) merged.set(key, { ...row, bucket_start_us: Number(row.bucket_start_us), clean: Number(row.clean), flagged: Number(row.flagged) });
      else {
        known.clean += Number(row.clean);
        known.flagged += Number(row.flagged);
      }
    }
  }
  return [...merged.values()].filter((row) => row.clean + row.flagged > 0);
}

/** A summary's rollup rows of one span range: per bucket, type and flag state. */
export interface SummaryCountRow {
  bucket_us: number;
  data_type: string | null;
  has_red_flags: number;
  n: number;
  typed_n: number;
  v_sum: number;
  v_min: number | null;
  v_max: number | null;
}

export function summaryCountsSql(filter: TelemetryFilter, span: SpanRange, bind: Bind): string {
  return `SELECT bucket_us, CASE WHEN (nulls & 4) <> 0 THEN NULL ELSE data_type END AS data_type, has_red_flags,
      SUM(n) AS n, SUM(typed_n) AS typed_n, SUM(v_sum) AS v_sum, MIN(v_min) AS v_min, MAX(v_max) AS v_max
    FROM telemetry_rollups WHERE ${dimsCondition(filter, bind, 'counts')}
      AND ${spanCondition(span)}
    GROUP BY bucket_us, data_type, nulls, has_red_flags`;
}

export function summaryBinsSql(filter: TelemetryFilter, span: SpanRange, bind: Bind): string {
  return `SELECT bin, SUM(n) AS n FROM telemetry_rollup_bins WHERE ${dimsCondition(filter, bind, 'bins')}
      AND ${spanCondition(span)} GROUP BY bin`;
}

/** One raw edge's records as a summary counts them. */
export interface EdgeRow {
  record_time: number;
  data_type: string | null;
  has_red_flags: number;
  typed: number;
  v: number | null;
}

export function summaryEdgeSql(filter: TelemetryFilter, edge: [number, number], bind: Bind, raw: RawWindow): string {
  const window = raw(edge[0], edge[1]);
  return `SELECT ${RECORD_TIME_SQL} AS record_time, data_type, has_red_flags,
      CASE WHEN (${SUMMARY_RECORDS.numeric}) OR (${SUMMARY_RECORDS.xy}) OR (${SUMMARY_RECORDS.text}) THEN 1 ELSE 0 END AS typed,
      CASE WHEN ${SUMMARY_RECORDS.numeric} THEN numeric_data_single_value END AS v
    FROM ${window} AS w WHERE ${rawDimsCondition(filter, bind)}`;
}

/** What the rollups and the raw edges say of a summary: its numeric part, per-day counts, typed counts per data type. */
export interface RollupSummaryParts {
  numeric: NumericSummary;
  days: DayCount[];
  /** The data types that have correctly typed records in the range: the raw parts to read. */
  typed: Set<string>;
}

/** The numeric part and the days from rollup rows, bins and raw edge rows. */
export function rollupSummaryParts(counts: readonly SummaryCountRow[], bins: readonly { bin: number; n: number }[], edges: readonly EdgeRow[], buckets: number): RollupSummaryParts {
  const stats: NumericStats = { count: 0, sum: 0, min: null, max: null };
  const binCounts = new Map<number, number>();
  const days = new Map<number, DayCount>();
  const typed = new Set<string>();
  const dayOf = (us: number): DayCount => {
    const start = us - ((((us % DAY_US) + DAY_US) % DAY_US));
    let day = days.get(start);
    if (day === undefined) days.set(start, (day = { day_start_us: start, clean: 0, flagged: 0 }));
    return day;
  };
  for (const row of counts) {
    const flagged = Number(row.has_red_flags) === 1;
    const day = dayOf(Number(row.bucket_us));
    if (flagged) day.flagged += Number(row.n);
    else day.clean += Number(row.typed_n);
    if (Number(row.typed_n) > 0 && row.data_type !== null) typed.add(row.data_type);
    if (row.data_type !== NUMERIC_DATA_TYPE || Number(row.typed_n) === 0) continue;
    stats.count += Number(row.typed_n);
    stats.sum += Number(row.v_sum);
    if (row.v_min !== null) stats.min = stats.min === null ? row.v_min : Math.min(stats.min, row.v_min);
    if (row.v_max !== null) stats.max = stats.max === null ? row.v_max : Math.max(stats.max, row.v_max);
  }
  for (const { bin, n } of bins) binCounts.set(Number(bin), (binCounts.get(Number(bin)) ?? 0) + Number(n));
  const values: number[] = [];
  for (const row of edges) {
    const day = dayOf(Number(row.record_time));
    if (Number(row.has_red_flags) === 1) day.flagged += 1;
    else if (Number(row.typed) === 1) day.clean += 1;
    if (Number(row.typed) === 1 && row.data_type !== null) typed.add(row.data_type);
    if (row.v !== null) values.push(row.v);
  }
  addValues(stats, binCounts, values);
  return { numeric: sketchedNumeric(stats, binCounts, buckets), days: filledDays(days), typed };
}

function filledDays(days: ReadonlyMap<number, DayCount>): DayCount[] {
  const starts = [...days.entries()].filter(([, d]) => d.clean + d.flagged > 0).map(([start]) => start);
  if (starts.length === 0) return [];
  const filled: DayCount[] = [];
  const last = Math.max(...starts);
  for (let start = Math.min(...starts); start <= last; start += DAY_US) filled.push(days.get(start) ?? { day_start_us: start, clean: 0, flagged: 0 });
  return filled;
}
