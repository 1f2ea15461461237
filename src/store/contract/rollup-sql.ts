import { DAY_US, HOUR_US } from '../../model/clock.js';
import { REPORTED_AHEAD_MAX_US } from '../../model/record-time.js';
import { RECORD_TIME_SQL } from './record-time-sql.js';
import { SKETCH_LN_GAMMA } from './rollup-sketch.js';
import { SUMMARY_RECORDS } from './summary-records.js';

/**
 * The SQL of the rollups (docs/decisions/0033-rollups.md), the same text on SQLite and PostgreSQL.
 * `telemetry_rollups` holds, per span (an hour or a day of record time) and key, the count of
 * records (n), of those whose value is correctly typed (typed_n: what a summary counts), and the
 * sum, min and max of the single values; `telemetry_rollup_bins` the percentile sketch's bins of
 * the single values (rollup-sketch.ts). A NULL key column is stored as 0 or '' with its bit set
 * in `nulls` (1 product_id, 2 data_group, 4 data_type, 8 product_version), so that the primary
 * key, which cannot hold NULLs, still tells a missing value from a real 0 or ''.
 */

/** The spans rolled up, shortest first: the upkeep recomputes hours before the days made of them. */
export const ROLLUP_SPANS = [HOUR_US, DAY_US] as const;

/**
 * A record is "late" when its reported_at is more than this before its created_at. A partial
 * index holds only late records, so a window of record time is found through the created_at
 * indexes (widened by this much) plus that index, never by reading max-age days of created_at.
 */
export const LATE_US = HOUR_US;
export const LATE_SQL = `reported_at < created_at - ${LATE_US}`;
const NOT_LATE_SQL = `(reported_at IS NULL OR reported_at >= created_at - ${LATE_US})`;

export const COUNT_KEY = ['span_us', 'bucket_us', 'product_id', 'data_group', 'data_type', 'product_version', 'has_red_flags', 'nulls'] as const;
export const BIN_KEY = ['span_us', 'bucket_us', 'product_id', 'data_group', 'product_version', 'has_red_flags', 'nulls', 'bin'] as const;

const NUMERIC_TYPE = 'numeric-single-value';
const TYPED_SQL = `(${SUMMARY_RECORDS.numeric}) OR (${SUMMARY_RECORDS.xy}) OR (${SUMMARY_RECORDS.text})`;

/**
 * The sketch bin of `v` in SQL (both engines have ln and ceil), the arithmetic of binOf; or a call
 * of `binFunction` when the backend registers binOf itself (SQLite, whose ingest bins in
 * JavaScript: the same function on both sides keeps a subtraction in the bins it added to).
 */
export function binSql(v: string, binFunction?: string): string {
  if (binFunction !== undefined) return `${binFunction}(${v})`;
  const k = (x: string): string => `(100000 + CAST(ceil(ln(${x}) / ${SKETCH_LN_GAMMA}) AS INTEGER))`;
  return `CASE WHEN ${v} > 0 THEN ${k(v)} WHEN ${v} < 0 THEN -${k(`-${v}`)} ELSE 0 END`;
}

/**
 * The key columns of a record in `source` (alias t) for each span s of `spans`, and its typed flag
 * and single value: one row per record and span.
 */
export function keyedRows(source: string, spans: readonly number[] = ROLLUP_SPANS): string {
  const rt = `COALESCE(t.reported_at, t.created_at)`;
  const nulls = `(CASE WHEN t.product_id IS NULL THEN 1 ELSE 0 END) + (CASE WHEN t.data_group IS NULL THEN 2 ELSE 0 END)
      + (CASE WHEN t.data_type IS NULL THEN 4 ELSE 0 END) + (CASE WHEN t.product_version IS NULL THEN 8 ELSE 0 END)`;
  return `SELECT s.span_us, ${rt} - (((${rt} % s.span_us) + s.span_us) % s.span_us) AS bucket_us,
      COALESCE(t.product_id, 0) AS product_id, COALESCE(t.data_group, '') AS data_group, COALESCE(t.data_type, '') AS data_type,
      COALESCE(t.product_version, '') AS product_version, t.has_red_flags, ${nulls} AS nulls,
      CASE WHEN ${TYPED_SQL.replaceAll(/\b(data_type|numeric_data_\w+|text_data)\b/g, 't.$1')} THEN 1 ELSE 0 END AS typed,
      CASE WHEN ${SUMMARY_RECORDS.numeric.replaceAll(/\b(data_type|numeric_data_single_value)\b/g, 't.$1')} THEN t.numeric_data_single_value END AS v
    FROM ${source} AS t CROSS JOIN (${spans.map((span, i) => `SELECT ${sqlInteger(span)}${i === 0 ? ' AS span_us' : ''}`).join(' UNION ALL ')}) AS s`;
}

/** `min(old, new)` that keeps the old value when the new one is NULL (a subtraction). */
function extreme(table: string, column: string, op: '<' | '>'): string {
  return `${column} = CASE WHEN excluded.${column} IS NULL THEN ${table}.${column}
      WHEN ${table}.${column} IS NULL OR excluded.${column} ${op} ${table}.${column} THEN excluded.${column} ELSE ${table}.${column} END`;
}

/**
 * The two statements that add (sign 1) or subtract (sign −1) the records of `source` (a table
 * name or a parenthesised SELECT of telemetry rows, alias-free) to or from the rollups: one
 * upsert per table, one row per distinct key, in key order (so that concurrent writers lock rows
 * in one order and cannot deadlock). A subtraction leaves min and max alone (they cannot be
 * subtracted; the caller recomputes them) and each statement RETURNS the keys it touched with
 * their new counts, so that the caller removes emptied rows.
 */
const COUNTS_ON_CONFLICT = `ON CONFLICT (${COUNT_KEY.join(', ')}) DO UPDATE SET n = telemetry_rollups.n + excluded.n,
      typed_n = telemetry_rollups.typed_n + excluded.typed_n, v_sum = telemetry_rollups.v_sum + excluded.v_sum,
      ${extreme('telemetry_rollups', 'v_min', '<')}, ${extreme('telemetry_rollups', 'v_max', '>')}`;
const BINS_ON_CONFLICT = `ON CONFLICT (${BIN_KEY.join(', ')}) DO UPDATE SET n = telemetry_rollup_bins.n + excluded.n`;

export function rollupMergeSql(source: string, sign: 1 | -1, spans: readonly number[] = ROLLUP_SPANS, binFunction?: string): { counts: string; bins: string } {
  const key = COUNT_KEY.join(', ');
  const binKey = BIN_KEY.join(', ');
  const minMax = sign === 1 ? 'MIN(v), MAX(v)' : 'NULL, NULL';
  const counts = `INSERT INTO telemetry_rollups (${key}, n, typed_n, v_sum, v_min, v_max)
    SELECT ${key}, ${sign} * COUNT(*), ${sign} * SUM(typed), ${sign} * COALESCE(SUM(v), 0), ${minMax}
    FROM (${keyedRows(source, spans)}) AS k WHERE TRUE GROUP BY ${key} ORDER BY ${key}
    ${COUNTS_ON_CONFLICT}`;
  const bins = `INSERT INTO telemetry_rollup_bins (${binKey}, n)
    SELECT ${binKey}, ${sign} * COUNT(*) FROM (SELECT k.*, ${binSql('v', binFunction)} AS bin FROM (${keyedRows(source, spans)}) AS k WHERE v IS NOT NULL) AS b
    WHERE TRUE GROUP BY ${binKey} ORDER BY ${binKey}
    ${BINS_ON_CONFLICT}`;
  return sign === 1 ? { counts, bins } : { counts: `${counts} RETURNING ${key}, n, typed_n`, bins: `${bins} RETURNING ${binKey}, n` };
}

/**
 * The records of `source` (as for rollupMergeSql) aggregated per count key and sketch bin (NULL
 * for a record without a single value): n, typed_n, the sum, min (lo) and max (hi) of the values.
 * Summed per count key it is each rollup row's share of `source`, per bin key each bin row's:
 * one scan of `source` gives both, for a set-based subtraction (PostgreSQL's rollup-upkeep.ts).
 */
export function rollupDeltaSql(source: string, binFunction?: string): string {
  const key = COUNT_KEY.join(', ');
  return `SELECT ${key}, bin, COUNT(*) AS n, SUM(typed) AS typed_n, COALESCE(SUM(v), 0) AS v_sum, MIN(v) AS lo, MAX(v) AS hi
    FROM (SELECT k.*, CASE WHEN v IS NOT NULL THEN ${binSql('v', binFunction)} END AS bin FROM (${keyedRows(source)}) AS k) AS b
    GROUP BY ${key}, bin`;
}

/**
 * The upserts of ONE rollup row and ONE bin row whose values the caller aggregated itself (SQLite's
 * ingest, rollup-upkeep.ts): positional parameters in COUNT_KEY order then n, typed_n, v_sum,
 * v_min, v_max; BIN_KEY order then n. The same conflict rules as rollupMergeSql's addition.
 */
export const ROLLUP_ROW_UPSERT = {
  counts: `INSERT INTO telemetry_rollups (${COUNT_KEY.join(', ')}, n, typed_n, v_sum, v_min, v_max)
    VALUES (${[...COUNT_KEY, 'n', 'typed_n', 'v_sum', 'v_min', 'v_max'].map(() => '?').join(', ')}) ${COUNTS_ON_CONFLICT}`,
  bins: `INSERT INTO telemetry_rollup_bins (${BIN_KEY.join(', ')}, n) VALUES (${[...BIN_KEY, 'n'].map(() => '?').join(', ')}) ${BINS_ON_CONFLICT}`,
};

/** The SQL function SQLite registers as binOf (rollup-sketch.ts): its rollup SQL bins with it. */
export const SQLITE_BIN_FUNCTION = 'tally_rollup_bin';

/**
 * The two disjoint halves of "records whose record time is in [from, to]" that indexes can find
 * without reading max-age days: records that are not late, within the created_at window the
 * range implies when lateness is at most LATE_US; and late records, through the partial index
 * on reported_at. The bounds are written into the SQL as integer literals.
 */
export function windowHalves(fromUs: number, toUs: number): [string, string] {
  return windowHalvesSql(sqlInteger(fromUs), sqlInteger(toUs));
}

/** windowHalves with the bounds as SQL expressions (a correlated column, say); telemetry's columns unqualified. */
export function windowHalvesSql(from: string, to: string): [string, string] {
  return [
    `created_at >= ${from} - ${REPORTED_AHEAD_MAX_US} AND created_at <= ${to} + ${LATE_US} AND ${RECORD_TIME_SQL} >= ${from} AND ${RECORD_TIME_SQL} <= ${to} AND ${NOT_LATE_SQL}`,
    `reported_at >= ${from} AND reported_at <= ${to} AND ${LATE_SQL}`,
  ];
}

export const NUMERIC_DATA_TYPE = NUMERIC_TYPE;

/** A rollup row's key as stored (NULLs as 0 / '' with their bit in `nulls`). */
export interface CountKey {
  span_us: number;
  bucket_us: number;
  product_id: number;
  data_group: string;
  data_type: string;
  product_version: string;
  has_red_flags: number;
  nulls: number;
}

export interface BinKey extends Omit<CountKey, 'data_type'> {
  bin: number;
}

/** The key's columns with their NULLs back: what a telemetry row of the key holds. */
export function keyValues(key: Omit<CountKey, 'span_us' | 'bucket_us'> | Omit<BinKey, 'span_us' | 'bucket_us' | 'bin'>): {
  product_id: number | null;
  data_group: string | null;
  data_type: string | null;
  product_version: string | null;
} {
  return {
    product_id: (key.nulls & 1) !== 0 ? null : key.product_id,
    data_group: (key.nulls & 2) !== 0 ? null : key.data_group,
    data_type: 'data_type' in key ? ((key.nulls & 4) !== 0 ? null : key.data_type) : NUMERIC_TYPE,
    product_version: (key.nulls & 8) !== 0 ? null : key.product_version,
  };
}

/** SQL of a stored key column read back with its NULL. */
export const KEY_COLUMNS_READ = `CASE WHEN (nulls & 1) <> 0 THEN NULL ELSE product_id END AS product_id,
  CASE WHEN (nulls & 2) <> 0 THEN NULL ELSE data_group END AS data_group,
  CASE WHEN (nulls & 4) <> 0 THEN NULL ELSE data_type END AS data_type`;

/** An integer as an SQL literal: times are written into window SQL, checked to be safe integers. */
export function sqlInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  return String(value);
}
