import { DAY_US, HOUR_US } from '../../model/clock.js';
import { BIN_KEY, COUNT_KEY, windowHalvesSql } from '../contract/rollup-sql.js';
import { SUMMARY_RECORDS } from '../contract/summary-records.js';

/**
 * The statements that take deleted records out of the rollups (rollup-upkeep.ts), given the
 * temporary tables holding those records' deltas. Each works on the rows of one range of buckets
 * — `$1` and `$2`, the lowest and highest bucket_us — on both sides of its join, so that a
 * subtraction can be applied a range at a time, and only the rollup months of the range are read.
 */

/** The temporary tables of one subtraction: its records per count key and bin, summed per count key, per bin key. */
export interface RollupDeltas {
  rows: string;
  keys: string;
  bins: string;
}

export const deltasNamed = (prefix: string): RollupDeltas => ({ rows: `${prefix}_gone`, keys: `${prefix}_gone_keys`, bins: `${prefix}_gone_bins` });

const on = (columns: readonly string[], a: string, b: string): string => columns.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');
const inRange = (...aliases: string[]): string => aliases.map((alias) => `${alias}.bucket_us BETWEEN $1 AND $2`).join(' AND ');

/** A telemetry row (alias t) of the rollup key g, its NULLs told by g.nulls. */
const KEY_OF_ROW = [['product_id', 1], ['data_group', 2], ['data_type', 4], ['product_version', 8]]
  .map(([column, bit]) => `(CASE WHEN (g.nulls & ${bit}) <> 0 THEN t.${column} IS NULL ELSE t.${column} = g.${column} END)`)
  .concat('t.has_red_flags = g.has_red_flags', SUMMARY_RECORDS.numeric)
  .join(' AND ');

/**
 * min or max of the single values of hour key g's records, from raw records: on-time ones through
 * the (product_id, data_group, created_at) index when the key has both (the usual case), late
 * ones through the late index (windowHalvesSql), each half a branch gated on g alone.
 */
function hourExtremeSql(fn: 'min' | 'max'): string {
  const [near, late] = windowHalvesSql('g.bucket_us', `g.bucket_us + ${HOUR_US} - 1`);
  const indexed = '(g.nulls & 3) = 0 AND t.product_id = g.product_id AND t.data_group = g.data_group';
  const branch = (gate: string, half: string): string => `SELECT t.numeric_data_single_value AS v FROM telemetry AS t WHERE ${gate} AND ${KEY_OF_ROW} AND ${half}`;
  return `(SELECT ${fn}(v) FROM (${branch(indexed, near)} UNION ALL ${branch('(g.nulls & 3) <> 0', near)} UNION ALL ${branch('TRUE', late)}) AS w)`;
}

/** A day's min or max from its hours (already recomputed). */
function dayExtremeSql(fn: 'min' | 'max', column: 'v_min' | 'v_max'): string {
  return `(SELECT ${fn}(h.${column}) FROM telemetry_rollups AS h WHERE h.span_us = ${HOUR_US} AND h.bucket_us >= d.bucket_us AND h.bucket_us < d.bucket_us + ${DAY_US}
    AND ${on(COUNT_KEY.filter((c) => c !== 'span_us' && c !== 'bucket_us'), 'h', 'd')})`;
}

/**
 * Locks the rollup rows the deltas touch, in the order an insert statement locks them (its
 * upserts run `ORDER BY` the key: rollup-sql.ts): a subtraction running beside inserts then
 * cannot deadlock with them, and the statements after it (new snapshots, READ COMMITTED) see every
 * report committed into those rows, so min and max recomputed from raw records miss none.
 */
function lockSql(table: string, deltas: string, key: readonly string[]): string {
  return `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${table} AS r JOIN ${deltas} AS g ON ${on(key, 'r', 'g')}
    WHERE ${inRange('r', 'g')} ORDER BY ${key.map((c) => `r.${c}`).join(', ')} FOR UPDATE OF r) AS locked`;
}

/** The bin rows' statements: lock, delete those left at zero, subtract from the others. */
export function binStatements(t: RollupDeltas): string[] {
  return [
    lockSql('telemetry_rollup_bins', t.bins, BIN_KEY),
    `DELETE FROM telemetry_rollup_bins AS r USING ${t.bins} AS g WHERE ${on(BIN_KEY, 'r', 'g')} AND r.n <= g.n AND ${inRange('r', 'g')}`,
    `UPDATE telemetry_rollup_bins AS r SET n = r.n - g.n FROM ${t.bins} AS g WHERE ${on(BIN_KEY, 'r', 'g')} AND r.n > g.n AND ${inRange('r', 'g')}`,
  ];
}

/**
 * The count rows' statements: lock, delete those left at zero, subtract from the others
 * (recomputing an hour's min/max from raw records only where the deleted values held it), then
 * a day's min/max from its hours. A range must hold whole days (their hours with them).
 */
export function countStatements(t: RollupDeltas): string[] {
  return [
    lockSql('telemetry_rollups', t.keys, COUNT_KEY),
    `DELETE FROM telemetry_rollups AS r USING ${t.keys} AS g WHERE ${on(COUNT_KEY, 'r', 'g')} AND r.n <= g.n AND ${inRange('r', 'g')}`,
    `UPDATE telemetry_rollups AS r SET n = r.n - g.n, typed_n = r.typed_n - g.typed_n, v_sum = r.v_sum - g.v_sum,
      v_min = CASE WHEN r.span_us = ${HOUR_US} AND g.lo <= r.v_min THEN ${hourExtremeSql('min')} ELSE r.v_min END,
      v_max = CASE WHEN r.span_us = ${HOUR_US} AND g.hi >= r.v_max THEN ${hourExtremeSql('max')} ELSE r.v_max END
    FROM ${t.keys} AS g WHERE ${on(COUNT_KEY, 'r', 'g')} AND r.n > g.n AND ${inRange('r', 'g')}`,
    `UPDATE telemetry_rollups AS d SET
      v_min = CASE WHEN g.lo <= d.v_min THEN ${dayExtremeSql('min', 'v_min')} ELSE d.v_min END,
      v_max = CASE WHEN g.hi >= d.v_max THEN ${dayExtremeSql('max', 'v_max')} ELSE d.v_max END
    FROM ${t.keys} AS g WHERE ${on(COUNT_KEY, 'd', 'g')} AND d.span_us = ${DAY_US} AND (g.lo <= d.v_min OR g.hi >= d.v_max) AND ${inRange('d', 'g')}`,
  ];
}
