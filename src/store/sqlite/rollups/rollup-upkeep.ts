import type Database from 'better-sqlite3';
import { DAY_US, HOUR_US } from '../../../model/clock.js';
import { binOf } from '../../contract/rollup-sketch.js';
import { BIN_KEY, COUNT_KEY, keyValues, NUMERIC_DATA_TYPE, ROLLUP_ROW_UPSERT, ROLLUP_SPANS, rollupMergeSql, SQLITE_BIN_FUNCTION, windowHalves, type BinKey, type CountKey } from '../../contract/rollup-sql.js';
import { SUMMARY_RECORDS } from '../../contract/summary-records.js';
import { TELEMETRY_INSERT_COLUMNS } from '../../contract/telemetry-columns.js';
import type { SqlValue } from '../queries/filter-condition.js';
import { columnOf, type BindValue, type InsertBatch } from '../telemetry/insert-batch.js';
import { registerRollupBinFunction } from './rollup-bin-function.js';

type Touched = CountKey & { n: number };
type TouchedBin = BinKey & { n: number };

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
   * Adds the rows of `batch` that were stored (a null id: undone as a repeated event_id) to the
   * rollups: aggregated here per key, then one upsert per key and per bin, in the caller's
   * transaction. Reading the rows back and grouping them in SQL cost about four times as much
   * per commit (docs/performance.md, "Ingest cost of the rollups").
   */
  addBatch(batch: InsertBatch, ids: readonly (number | null)[]): void {
    const { counts, bins } = aggregateBatch(batch, ids);
    for (const row of counts.values()) this.#addCounts.run(...row);
    for (const row of bins.values()) this.#addBins.run(...row);
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

const column = (name: (typeof TELEMETRY_INSERT_COLUMNS)[number]): number => TELEMETRY_INSERT_COLUMNS.indexOf(name);
const COLUMNS = {
  product: column('product_id'), group: column('data_group'), type: column('data_type'), version: column('product_version'),
  flagged: column('has_red_flags'), createdAt: column('created_at'), reportedAt: column('reported_at'),
  single: column('numeric_data_single_value'), x: column('numeric_data_x'), y: column('numeric_data_y'), text: column('text_data'),
};

/** A counts row's parameters (ROLLUP_ROW_UPSERT.counts): COUNT_KEY, then n, typed_n, v_sum, v_min, v_max. */
type CountsRow = SqlValue[];
/** A bin row's parameters (ROLLUP_ROW_UPSERT.bins): BIN_KEY, then n. */
type BinRow = SqlValue[];

const N = COUNT_KEY.length;

/**
 * The batch's stored rows per rollup key and per bin, as rollupMergeSql's addition would group
 * them: the same keys (record time bucketed per span, NULLs as 0 or '' with their bit in `nulls`),
 * the same typed rule (SUMMARY_RECORDS) and the same bins (binOf, which SQLite's statements call).
 */
function aggregateBatch(batch: InsertBatch, ids: readonly (number | null)[]): { counts: Map<string, CountsRow>; bins: Map<string, BinRow> } {
  const at = Object.fromEntries(Object.entries(COLUMNS).map(([name, index]) => [name, columnOf(batch, index)])) as Record<keyof typeof COLUMNS, (i: number) => BindValue>;
  const counts = new Map<string, CountsRow>();
  const bins = new Map<string, BinRow>();
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === null) continue;
    const product = at.product(i);
    const group = at.group(i);
    const type = at.type(i);
    const version = at.version(i);
    const flagged = Number(at.flagged(i));
    const time = Number(at.reportedAt(i) ?? at.createdAt(i));
    const nulls = (product === null ? 1 : 0) + (group === null ? 2 : 0) + (type === null ? 4 : 0) + (version === null ? 8 : 0);
    const single = at.single(i);
    const value = type === NUMERIC_DATA_TYPE && typeof single === 'number' ? single : null;
    const typed = value !== null || (type === 'numeric-xy-axis' && at.x(i) !== null && at.y(i) !== null) || (type === 'text' && at.text(i) !== null) ? 1 : 0;
    const keyTail = [product ?? 0, group ?? '', type ?? '', version ?? '', flagged, nulls];
    const bin = value === null ? 0 : binOf(value);
    for (const span of ROLLUP_SPANS) {
      const bucket = time - (((time % span) + span) % span);
      const key = JSON.stringify([span, bucket, ...keyTail]);
      const row = counts.get(key);
      if (row === undefined) {
        counts.set(key, [span, bucket, ...keyTail, 1, typed, value ?? 0, value, value]);
      } else {
        row[N] = (row[N] as number) + 1;
        row[N + 1] = (row[N + 1] as number) + typed;
        if (value !== null) {
          row[N + 2] = (row[N + 2] as number) + value;
          if (row[N + 3] === null || value < (row[N + 3] as number)) row[N + 3] = value;
          if (row[N + 4] === null || value > (row[N + 4] as number)) row[N + 4] = value;
        }
      }
      if (value === null) continue;
      // BIN_KEY: the count key without data_type, then the bin.
      const binKey = JSON.stringify([span, bucket, product ?? 0, group ?? '', version ?? '', flagged, nulls, bin]);
      const binRow = bins.get(binKey);
      if (binRow === undefined) bins.set(binKey, [span, bucket, product ?? 0, group ?? '', version ?? '', flagged, nulls, bin, 1]);
      else binRow[8] = (binRow[8] as number) + 1;
    }
  }
  return { counts, bins };
}
