import { DAY_US, HOUR_US } from '../../model/clock.js';
import { COUNT_KEY, keyValues, NUMERIC_DATA_TYPE, rollupMergeSql, windowHalves, type BinKey, type CountKey } from '../contract/rollup-sql.js';
import { SUMMARY_RECORDS } from '../contract/summary-records.js';
import { selectRow, selectRows, type PgRunner } from './statements.js';

/**
 * Keeps the rollups (docs/decisions/0033-rollups.md) in step with deletions on PostgreSQL, inside
 * the caller's transaction: `subtractRollups` before rows are deleted (or a partition dropped),
 * then what it returns after. Inserts keep them in the insert statement itself (telemetry-table.ts).
 */

type Touched = CountKey & { n: number };
type TouchedBin = BinKey & { n: number };

const COUNT_TYPES = ['bigint', 'bigint', 'bigint', 'text', 'text', 'text', 'smallint', 'integer'];
const BIN_COLUMNS = ['span_us', 'bucket_us', 'product_id', 'data_group', 'product_version', 'has_red_flags', 'nulls', 'bin'] as const;
const BIN_TYPES = ['bigint', 'bigint', 'bigint', 'text', 'text', 'smallint', 'integer', 'integer'];

function deleteKeysSql(table: string, columns: readonly string[], types: readonly string[]): string {
  const arrays = types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
  return `DELETE FROM ${table} WHERE (${columns.join(', ')}) IN (SELECT * FROM unnest(${arrays}))`;
}

const DELETE_COUNTS = deleteKeysSql('telemetry_rollups', COUNT_KEY, COUNT_TYPES);
const DELETE_BINS = deleteKeysSql('telemetry_rollup_bins', BIN_COLUMNS, BIN_TYPES);
const SET_EXTREMES = `UPDATE telemetry_rollups SET v_min = $9, v_max = $10 WHERE ${COUNT_KEY.map((c, i) => `${c} = $${i + 1}`).join(' AND ')}`;
const DAY_EXTREMES = `SELECT min(v_min) AS lo, max(v_max) AS hi FROM telemetry_rollups
  WHERE span_us = ${HOUR_US} AND bucket_us >= $1 AND bucket_us < $1 + ${DAY_US}
    AND product_id = $2 AND data_group = $3 AND data_type = $4 AND product_version = $5 AND has_red_flags = $6 AND nulls = $7`;

/** Columns of rows as one array per column, for unnest. */
function columnsOf<R>(rows: readonly R[], columns: readonly (keyof R)[]): unknown[][] {
  return columns.map((column) => rows.map((row) => row[column]));
}

/**
 * Takes the records of `source` (a table name, or a parenthesised SELECT of telemetry rows
 * whose `$n` parameters are `params`) out of the rollups. Call it just before deleting them,
 * in the same transaction, and await what it returns just after.
 */
export async function subtractRollups(db: PgRunner, source: string, params: unknown[] = []): Promise<() => Promise<void>> {
  const sql = rollupMergeSql(source, -1);
  const touched = await selectRows<Touched>(db, sql.counts, params);
  const bins = await selectRows<TouchedBin>(db, sql.bins, params);
  return () => settle(db, touched, bins);
}

async function settle(db: PgRunner, touched: readonly Touched[], bins: readonly TouchedBin[]): Promise<void> {
  const emptyBins = bins.filter((bin) => Number(bin.n) <= 0);
  if (emptyBins.length > 0) await db.query(DELETE_BINS, columnsOf(emptyBins, BIN_COLUMNS));
  const empty = touched.filter((row) => Number(row.n) <= 0);
  if (empty.length > 0) await db.query(DELETE_COUNTS, columnsOf(empty, COUNT_KEY));
  const kept = touched.filter((row) => Number(row.n) > 0 && row.data_type === NUMERIC_DATA_TYPE).sort((a, b) => Number(a.span_us) - Number(b.span_us));
  for (const row of kept) await recompute(db, row);
}

/** min and max of a key that lost records: from raw records for an hour, from its hours for a day. */
async function recompute(db: PgRunner, key: Touched): Promise<void> {
  const stored = COUNT_KEY.map((column) => key[column]);
  let got: { lo: number | null; hi: number | null } | null;
  if (Number(key.span_us) === DAY_US) {
    got = await selectRow(db, DAY_EXTREMES, [key.bucket_us, key.product_id, key.data_group, key.data_type, key.product_version, key.has_red_flags, key.nulls]);
  } else {
    const v = keyValues({ ...key, nulls: Number(key.nulls) });
    const match = `product_id IS NOT DISTINCT FROM $1::bigint AND data_group IS NOT DISTINCT FROM $2::text AND data_type IS NOT DISTINCT FROM $3::text
      AND product_version IS NOT DISTINCT FROM $4::text AND has_red_flags = $5 AND ${SUMMARY_RECORDS.numeric}`;
    const [near, late] = windowHalves(Number(key.bucket_us), Number(key.bucket_us) + Number(key.span_us) - 1);
    got = await selectRow(db, `SELECT min(v) AS lo, max(v) AS hi FROM (
        SELECT numeric_data_single_value AS v FROM telemetry WHERE ${match} AND ${near}
        UNION ALL SELECT numeric_data_single_value AS v FROM telemetry WHERE ${match} AND ${late}) AS w`,
      [v.product_id, v.data_group, v.data_type, v.product_version, key.has_red_flags]);
  }
  await db.query(SET_EXTREMES, [...stored, got?.lo ?? null, got?.hi ?? null]);
}
