import type Database from 'better-sqlite3';
import { DAY_US, HOUR_US } from '../../../model/clock.js';
import { BIN_KEY, COUNT_KEY, keyValues, NUMERIC_DATA_TYPE, ROLLUP_ROW_UPSERT, rollupMergeSql, SQLITE_BIN_FUNCTION, windowHalves, type BinKey, type CountKey } from '../../contract/rollup-sql.js';
import { SUMMARY_RECORDS } from '../../contract/summary-records.js';
import type { SqlValue } from '../queries/filter-condition.js';
import { registerRollupBinFunction } from './rollup-bin-function.js';

type Touched = CountKey & { n: number };
type TouchedBin = BinKey & { n: number };

/**
 * A commit's rows aggregated per rollup key (COUNT_KEY then n, typed_n, v_sum, v_min, v_max) and
 * per bin (BIN_KEY then n): the parameters of ROLLUP_ROW_UPSERT's two statements.
 */
export interface RollupRows {
  counts: Iterable<SqlValue[]>;
  bins: Iterable<SqlValue[]>;
}

/** Only the named columns of a row: better-sqlite3 binds an object's properties by name. */
function pick<K extends string>(row: Record<K, unknown>, columns: readonly K[]): Record<K, SqlValue> {
  return Object.fromEntries(columns.map((c) => [c, row[c]])) as Record<K, SqlValue>;
}

const COUNT_WHERE = COUNT_KEY.map((column) => `${column} = @${column}`).join(' AND ');
const BIN_WHERE = BIN_KEY.map((column) => `${column} = @${column}`).join(' AND ');

/**
 * Keeps the rollups (docs/decisions/0033-rollups.md) in step with `telemetry` on one SQLite
 * connection, inside the caller's transaction: `added` after a group's rows are inserted,
 * `subtract` before rows are deleted (its result settles them after the delete). So rollups
 * commit or roll back with the records they count: exactly once across crashes and writers.
 */
export class SqliteRollups {
  readonly #db: Database.Database;
  readonly #addCounts: Database.Statement<SqlValue[]>;
  readonly #addBins: Database.Statement<SqlValue[]>;
  readonly #subtractions = new Map<string, { counts: Database.Statement<SqlValue[], Touched>; bins: Database.Statement<SqlValue[], TouchedBin> }>();
  readonly #dropCount: Database.Statement<[Record<string, SqlValue>]>;
  readonly #dropBin: Database.Statement<[Record<string, SqlValue>]>;
  readonly #setExtremes: Database.Statement<[Record<string, SqlValue>]>;
  readonly #dayExtremes: Database.Statement<[Record<string, SqlValue>], { lo: number | null; hi: number | null }>;

  constructor(db: Database.Database) {
    this.#db = db;
    registerRollupBinFunction(db);
    this.#addCounts = db.prepare<SqlValue[]>(ROLLUP_ROW_UPSERT.counts);
    this.#addBins = db.prepare<SqlValue[]>(ROLLUP_ROW_UPSERT.bins);
    this.#dropCount = db.prepare(`DELETE FROM telemetry_rollups WHERE ${COUNT_WHERE}`);
    this.#dropBin = db.prepare(`DELETE FROM telemetry_rollup_bins WHERE ${BIN_WHERE}`);
    this.#setExtremes = db.prepare(`UPDATE telemetry_rollups SET v_min = @v_min, v_max = @v_max WHERE ${COUNT_WHERE}`);
    const sameKey = COUNT_KEY.filter((c) => c !== 'span_us' && c !== 'bucket_us').map((c) => `${c} = @${c}`).join(' AND ');
    this.#dayExtremes = db.prepare(`SELECT MIN(v_min) AS lo, MAX(v_max) AS hi FROM telemetry_rollups
      WHERE span_us = @hour AND bucket_us >= @bucket_us AND bucket_us < @day_end AND ${sameKey}`);
  }

  /**
   * Adds a commit's rows, aggregated per key and per bin by the writer (telemetry/rollup-batch.ts),
   * to the rollups: one upsert per key and per bin, in the caller's transaction. Reading the rows back and grouping them in SQL cost about four times as much
   * per commit (docs/performance.md, "Ingest cost of the rollups").
   */
  add({ counts, bins }: RollupRows): void {
    for (const row of counts) this.#addCounts.run(...row);
    for (const row of bins) this.#addBins.run(...row);
  }

  /**
   * Takes the records matching `where` out of the rollups; call it just before deleting them, in
   * the same transaction, and call what it returns just after: that removes emptied rows and
   * recomputes the min and max of the keys that keep records.
   */
  subtract(where: string, params: readonly SqlValue[]): () => void {
    const statements = this.#subtraction(where);
    const touched = statements.counts.all(...params);
    const bins = statements.bins.all(...params);
    return () => this.#settle(touched, bins);
  }

  #subtraction(where: string): { counts: Database.Statement<SqlValue[], Touched>; bins: Database.Statement<SqlValue[], TouchedBin> } {
    let statements = this.#subtractions.get(where);
    if (statements === undefined) {
      const sql = rollupMergeSql(`(SELECT * FROM telemetry WHERE ${where})`, -1, undefined, SQLITE_BIN_FUNCTION);
      statements = { counts: this.#db.prepare<SqlValue[], Touched>(sql.counts), bins: this.#db.prepare<SqlValue[], TouchedBin>(sql.bins) };
      if (this.#subtractions.size > 16) this.#subtractions.clear();
      this.#subtractions.set(where, statements);
    }
    return statements;
  }

  #settle(touched: readonly Touched[], bins: readonly TouchedBin[]): void {
    for (const bin of bins) if (bin.n <= 0) this.#dropBin.run(pick(bin, BIN_KEY));
    const ordered = [...touched].sort((a, b) => a.span_us - b.span_us);
    for (const row of ordered) {
      if (row.n <= 0) this.#dropCount.run(pick(row, COUNT_KEY));
      else if (row.data_type === NUMERIC_DATA_TYPE) this.#recompute(row);
    }
  }

  /** min and max of a key that lost records: from raw records for an hour, from its hours for a day. */
  #recompute(key: Touched): void {
    const stored = pick(key, COUNT_KEY);
    if (key.span_us === DAY_US) {
      const day = pick(key, COUNT_KEY.filter((column) => column !== 'span_us'));
      const got = this.#dayExtremes.get({ ...day, day_end: key.bucket_us + DAY_US, hour: HOUR_US });
      this.#setExtremes.run({ ...stored, v_min: got?.lo ?? null, v_max: got?.hi ?? null });
      return;
    }
    const values = keyValues(key);
    const match = `product_id IS ? AND data_group IS ? AND data_type IS ? AND product_version IS ? AND has_red_flags = ? AND ${SUMMARY_RECORDS.numeric}`;
    const params = [values.product_id, values.data_group, values.data_type, values.product_version, key.has_red_flags];
    const [near, late] = windowHalves(key.bucket_us, key.bucket_us + key.span_us - 1);
    const sql = `SELECT MIN(v) AS lo, MAX(v) AS hi FROM (
      SELECT numeric_data_single_value AS v FROM telemetry WHERE ${match} AND ${near}
      UNION ALL SELECT numeric_data_single_value AS v FROM telemetry INDEXED BY telemetry_late WHERE ${match} AND ${late})`;
    const got = this.#db.prepare<SqlValue[], { lo: number | null; hi: number | null }>(sql).get(...params, ...params);
    this.#setExtremes.run({ ...stored, v_min: got?.lo ?? null, v_max: got?.hi ?? null });
  }
}

