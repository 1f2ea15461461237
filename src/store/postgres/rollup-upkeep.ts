import { DAY_US } from '../../model/clock.js';
import { BIN_KEY, COUNT_KEY, rollupDeltaSql } from '../contract/rollup-sql.js';
import type pg from 'pg';
import type { DeltaGroup } from './delta-chunks.js';
import { binStatements, countStatements, deltasNamed, type RollupDeltas } from './rollup-upkeep-sql.js';
import { selectRow, selectRows } from './statements.js';

/**
 * Keeps the rollups (docs/decisions/0033-rollups.md) in step with deletions on PostgreSQL.
 * Inserts keep them in the insert statement itself (telemetry-table.ts). A deletion takes out of
 * the rollups exactly the records IT removed: erasure and the DEFAULT partition's retention
 * delete first, `RETURNING` the rows into a temporary table, and subtract that table in the same
 * transaction (`subtractRollups`); a detached expired partition (detached-retention.ts) is
 * subtracted a range of buckets per transaction (`aggregateDeltas`, `applyDeltas`). So a record
 * two deletions race for is subtracted by the one whose DELETE (or DETACH) removed it, once.
 * Set-based (decision 0039): the records are aggregated per key and bin in SQL, the rollups
 * updated by a few joined statements; no rollup row travels to JavaScript, and min/max are
 * recomputed (from the records that remain) only where the minimum or maximum itself went.
 */

/** Which rollup table a range is applied to. */
export type DeltaPart = 'bins' | 'counts';

/** Locks first taken by a subtraction, in the order insert statements take them (bins, then counts; decision 0041). */
const ORDER: readonly DeltaPart[] = ['bins', 'counts'];

/**
 * Aggregates the records of `source` (a table, or a parenthesised SELECT of telemetry rows whose
 * `$n` are `params`) into the delta tables `t`: dropped at commit (`'transaction'`), or kept by
 * the session for a subtraction applied over several transactions (`'session'`, indexed by bucket).
 */
export async function aggregateDeltas(db: pg.PoolClient, t: RollupDeltas, source: string, lifetime: 'transaction' | 'session', params: unknown[] = []): Promise<void> {
  const table = (name: string): string => (lifetime === 'transaction' ? `TEMP TABLE ${name} ON COMMIT DROP` : `TEMP TABLE ${name}`);
  await db.query(`CREATE ${table(t.rows)} AS ${rollupDeltaSql(source)}`, params);
  const key = COUNT_KEY.join(', ');
  await db.query(`CREATE ${table(t.keys)} AS
    SELECT ${key}, SUM(n) AS n, SUM(typed_n) AS typed_n, SUM(v_sum) AS v_sum, MIN(lo) AS lo, MAX(hi) AS hi FROM ${t.rows} GROUP BY ${key}`);
  await db.query(`CREATE ${table(t.bins)} AS
    SELECT ${BIN_KEY.join(', ')}, SUM(n) AS n FROM ${t.rows} WHERE bin IS NOT NULL GROUP BY ${BIN_KEY.join(', ')}`);
  if (lifetime === 'session') {
    await db.query(`CREATE INDEX ON ${t.keys} (bucket_us)`);
    await db.query(`CREATE INDEX ON ${t.bins} (bucket_us)`);
  }
  // Temporary tables are never analysed by autovacuum: the joins are planned on real counts.
  await db.query(`ANALYZE ${t.keys}, ${t.bins}`);
}

/** Applies the deltas of buckets `lo`..`hi` (µs, inclusive) to one rollup table; for counts, the range holds whole days. */
export async function applyDeltas(db: pg.PoolClient, t: RollupDeltas, part: DeltaPart, lo: number, hi: number): Promise<void> {
  for (const sql of part === 'bins' ? binStatements(t) : countStatements(t)) await db.query(sql, [lo, hi]);
}

/** Drops the delta tables (gone already when they were dropped at a commit or with their session). */
export async function dropDeltas(db: pg.PoolClient, t: RollupDeltas): Promise<void> {
  await db.query(`DROP TABLE IF EXISTS ${t.rows}, ${t.keys}, ${t.bins}`);
}

/**
 * The delta rows of one part from `fromUs` on, per bucket (bins) or per day (counts: a day's
 * hours and the day are applied together, the day's min/max being made from its hours).
 */
export async function deltaGroups(db: pg.PoolClient, t: RollupDeltas, part: DeltaPart, fromUs: number): Promise<DeltaGroup[]> {
  const at = part === 'bins' ? 'bucket_us' : `bucket_us - (((bucket_us % ${DAY_US}) + ${DAY_US}) % ${DAY_US})`;
  return selectRows<DeltaGroup>(db, `SELECT ${at} AS "atUs", count(*)::int AS rows FROM ${part === 'bins' ? t.bins : t.keys}
    WHERE bucket_us >= $1 GROUP BY 1 ORDER BY 1`, [fromUs]);
}

/**
 * Takes the records of `deleted` — a temporary table of the rows the caller has just deleted in
 * this transaction (`DELETE … RETURNING`) — out of the rollups, in the same transaction. The
 * records must be gone from telemetry already: min and max are recomputed from what remains.
 */
export async function subtractRollups(db: pg.PoolClient, deleted: string): Promise<void> {
  // The correlated min/max reads make the UPDATE's estimated cost high enough for JIT, whose
  // compilation measured ~9 s for a statement that then runs in milliseconds. For this transaction.
  await db.query('SET LOCAL jit = off');
  const t = deltasNamed('tally_rollup');
  await aggregateDeltas(db, t, deleted, 'transaction');
  const range = await selectRow<{ lo: number | null; hi: number | null }>(db, `SELECT MIN(bucket_us) AS lo, MAX(bucket_us) AS hi FROM ${t.keys}`);
  if (range !== null && range.lo !== null && range.hi !== null) {
    for (const part of ORDER) await applyDeltas(db, t, part, range.lo, range.hi);
  }
  await dropDeltas(db, t);
}
