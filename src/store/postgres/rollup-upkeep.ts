import { DAY_US, HOUR_US } from '../../model/clock.js';
import { BIN_KEY, COUNT_KEY, rollupDeltaSql, windowHalvesSql } from '../contract/rollup-sql.js';
import { SUMMARY_RECORDS } from '../contract/summary-records.js';
import type pg from 'pg';
import { selectRow } from './statements.js';

/**
 * Keeps the rollups (docs/decisions/0033-rollups.md) in step with deletions on PostgreSQL, inside
 * the caller's transaction: `subtractRollups` before rows are deleted (or a partition dropped),
 * then what it returns after. Inserts keep them in the insert statement itself (telemetry-table.ts).
 * Set-based (decision 0039): the deleted rows are aggregated per key and bin in SQL into a
 * temporary table (one scan), and the rollups are updated from it by a few joined statements;
 * no rollup row travels to JavaScript, and min/max are recomputed only where the minimum or
 * maximum itself was deleted.
 */

const GONE = 'tally_rollup_gone';
const GONE_KEYS = 'tally_rollup_gone_keys';
const GONE_BINS = 'tally_rollup_gone_bins';

const on = (columns: readonly string[], a: string, b: string): string => columns.map((c) => `${a}.${c} = ${b}.${c}`).join(' AND ');
/** Only the months the deleted rows touch: partitions outside are pruned. $1, $2: the lowest and highest bucket. */
const IN_RANGE = (alias: string): string => `${alias}.bucket_us BETWEEN $1 AND $2`;

const DELETE_BINS = `DELETE FROM telemetry_rollup_bins AS r USING ${GONE_BINS} AS g WHERE ${on(BIN_KEY, 'r', 'g')} AND r.n <= g.n AND ${IN_RANGE('r')}`;
const UPDATE_BINS = `UPDATE telemetry_rollup_bins AS r SET n = r.n - g.n FROM ${GONE_BINS} AS g WHERE ${on(BIN_KEY, 'r', 'g')} AND r.n > g.n AND ${IN_RANGE('r')}`;
const DELETE_COUNTS = `DELETE FROM telemetry_rollups AS r USING ${GONE_KEYS} AS g WHERE ${on(COUNT_KEY, 'r', 'g')} AND r.n <= g.n AND ${IN_RANGE('r')}`;

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

/** The counts of the rows that keep records, and the min/max of hours whose min or max was deleted. */
const UPDATE_COUNTS = `UPDATE telemetry_rollups AS r SET n = r.n - g.n, typed_n = r.typed_n - g.typed_n, v_sum = r.v_sum - g.v_sum,
    v_min = CASE WHEN r.span_us = ${HOUR_US} AND g.lo <= r.v_min THEN ${hourExtremeSql('min')} ELSE r.v_min END,
    v_max = CASE WHEN r.span_us = ${HOUR_US} AND g.hi >= r.v_max THEN ${hourExtremeSql('max')} ELSE r.v_max END
  FROM ${GONE_KEYS} AS g WHERE ${on(COUNT_KEY, 'r', 'g')} AND r.n > g.n AND ${IN_RANGE('r')}`;

/** A day's min or max from its hours (already recomputed). */
function dayExtremeSql(fn: 'min' | 'max', column: 'v_min' | 'v_max'): string {
  return `(SELECT ${fn}(h.${column}) FROM telemetry_rollups AS h WHERE h.span_us = ${HOUR_US} AND h.bucket_us >= d.bucket_us AND h.bucket_us < d.bucket_us + ${DAY_US}
    AND ${on(COUNT_KEY.filter((c) => c !== 'span_us' && c !== 'bucket_us'), 'h', 'd')})`;
}

const UPDATE_DAYS = `UPDATE telemetry_rollups AS d SET
    v_min = CASE WHEN g.lo <= d.v_min THEN ${dayExtremeSql('min', 'v_min')} ELSE d.v_min END,
    v_max = CASE WHEN g.hi >= d.v_max THEN ${dayExtremeSql('max', 'v_max')} ELSE d.v_max END
  FROM ${GONE_KEYS} AS g WHERE ${on(COUNT_KEY, 'd', 'g')} AND d.span_us = ${DAY_US} AND (g.lo <= d.v_min OR g.hi >= d.v_max) AND ${IN_RANGE('d')}`;

/**
 * Takes the records of `source` (a table name, or a parenthesised SELECT of telemetry rows
 * whose `$n` parameters are `params`) out of the rollups. Call it just before deleting them,
 * in the same transaction, and await what it returns just after (min and max are recomputed
 * from the records that remain). One call at a time per transaction.
 */
export async function subtractRollups(db: pg.PoolClient, source: string, params: unknown[] = []): Promise<() => Promise<void>> {
  // The correlated min/max reads make the UPDATE's estimated cost high enough for JIT, whose
  // compilation measured ~9 s for a statement that then runs in milliseconds. For this transaction.
  await db.query('SET LOCAL jit = off');
  await db.query(`CREATE TEMP TABLE ${GONE} ON COMMIT DROP AS ${rollupDeltaSql(source)}`, params);
  const key = COUNT_KEY.join(', ');
  await db.query(`CREATE TEMP TABLE ${GONE_KEYS} ON COMMIT DROP AS
    SELECT ${key}, SUM(n) AS n, SUM(typed_n) AS typed_n, SUM(v_sum) AS v_sum, MIN(lo) AS lo, MAX(hi) AS hi FROM ${GONE} GROUP BY ${key}`);
  await db.query(`CREATE TEMP TABLE ${GONE_BINS} ON COMMIT DROP AS
    SELECT ${BIN_KEY.join(', ')}, SUM(n) AS n FROM ${GONE} WHERE bin IS NOT NULL GROUP BY ${BIN_KEY.join(', ')}`);
  // Temporary tables are never analysed by autovacuum: the joins below are planned on real counts.
  await db.query(`ANALYZE ${GONE_KEYS}, ${GONE_BINS}`);
  return () => settle(db);
}

async function settle(db: pg.PoolClient): Promise<void> {
  const range = await selectRow<{ lo: number | null; hi: number | null }>(db, `SELECT MIN(bucket_us) AS lo, MAX(bucket_us) AS hi FROM ${GONE_KEYS}`);
  if (range !== null && range.lo !== null && range.hi !== null) {
    const bounds = [range.lo, range.hi];
    for (const sql of [DELETE_BINS, UPDATE_BINS, DELETE_COUNTS, UPDATE_COUNTS, UPDATE_DAYS]) await db.query(sql, bounds);
  }
  await db.query(`DROP TABLE ${GONE}, ${GONE_KEYS}, ${GONE_BINS}`);
}
