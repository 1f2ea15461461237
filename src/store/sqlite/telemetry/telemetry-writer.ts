import type Database from 'better-sqlite3';
import { TELEMETRY_INSERT_COLUMNS } from '../../contract/telemetry-columns.js';
import { COLUMN_GROUPS, columnOf, CREATED_AT, type BindValue, type InsertBatch } from './insert-batch.js';
import { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';
import { SqliteInstallRollups } from './install-rollups.js';
import { SqliteRollups } from '../rollups/rollup-upkeep.js';
import { rollupRowsOf } from './rollup-batch.js';
import { SqliteLicenseReportCounts } from './license-report-counts.js';
import { SqliteFlaggedValueCounts } from './flagged-value-counts.js';

/**
 * Rows per multi-row INSERT: one statement step per 10 rows instead of per row saves ~25 % of
 * the insert cost (docs/performance.md); more saves nothing measurable.
 */
const CHUNK_ROWS = 10;

/**
 * Most statement shapes kept prepared: every shape toInsertBatch can give (2^6, its COLUMN_GROUPS).
 * Past this (another caller's shapes) the oldest is dropped.
 */
const MAX_SHAPES = 2 ** COLUMN_GROUPS.length;

/** The two INSERTs of one set of varying columns: one row, and CHUNK_ROWS rows. */
interface Shape {
  one: Database.Statement;
  chunk: Database.Statement;
}

/**
 * An INSERT of `rows` rows in which the `varying` columns are positional parameters, a row's
 * values after another's, and every other column is the named parameter `@c<column>`, one value
 * for all rows.
 */
function insertSql(varying: ReadonlySet<number>, rows: number): string {
  const row = `(${TELEMETRY_INSERT_COLUMNS.map((_, column) => (varying.has(column) ? '?' : `@c${column}`)).join(', ')})`;
  return `INSERT INTO telemetry (${TELEMETRY_INSERT_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
}

/** The shared columns' values by parameter name, or null when every column varies. */
function sharedParameters({ shared, varying }: InsertBatch): Record<string, BindValue> | null {
  if (varying.length === TELEMETRY_INSERT_COLUMNS.length) return null;
  const named: Record<string, BindValue> = {};
  for (let column = 0; column < TELEMETRY_INSERT_COLUMNS.length; column++) {
    if (!varying.includes(column)) named[`c${column}`] = shared[column] ?? null;
  }
  return named;
}

/** The arguments of one statement: the shared values, then rows[from, from + count) one after another. */
function argumentsOf(named: Record<string, BindValue> | null, rows: readonly BindValue[][], from: number, count: number): unknown[] {
  const values: unknown[] = named === null ? [] : [named];
  for (let i = from; i < from + count; i++) for (const value of rows[i] as BindValue[]) values.push(value);
  return values;
}

/**
 * Writes telemetry rows on one connection: the ingest hot path, on the HTTP thread or on the
 * writer thread (threads/writer-worker.ts). Statements are prepared once per set of varying columns
 * (a batch's "shape", insert-batch.ts): values every row shares are bound once per statement,
 * as named parameters, the others positionally. Values are passed to
 * better-sqlite3 as arguments, not as one array: binding from an array reads each element
 * through V8's property lookup, measured at half again the cost of the whole insert.
 */
export class SqliteTelemetryWriter {
  readonly #db: Database.Database;
  /** Prepared INSERTs by their varying columns (`varying.join(',')`), oldest first. */
  readonly #shapes = new Map<string, Shape>();
  readonly #claimEventId: Database.Statement<[string, number]>;
  readonly #unstore: Database.Statement<[number]>;
  readonly #blocks: SqliteTimeBlocks;
  readonly #installs: SqliteInstallRollups;
  readonly #rollups: SqliteRollups;
  readonly #licenseCounts: SqliteLicenseReportCounts;
  readonly #flaggedCounts: SqliteFlaggedValueCounts;
  /** All rows in one transaction; a slot per row: its id, or null when its event_id was already stored. */
  readonly insert: (batch: InsertBatch) => (number | null)[];

  constructor(db: Database.Database) {
    this.#db = db;
    this.#claimEventId = db.prepare<[string, number]>(
      'INSERT INTO telemetry_event_ids (event_id, telemetry_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    this.#unstore = db.prepare<[number]>('DELETE FROM telemetry WHERE id = ?');
    this.#blocks = new SqliteTimeBlocks(db);
    this.#installs = new SqliteInstallRollups(db);
    this.#rollups = new SqliteRollups(db);
    this.#licenseCounts = new SqliteLicenseReportCounts(db);
    this.#flaggedCounts = new SqliteFlaggedValueCounts(db);
    this.insert = db.transaction((batch: InsertBatch) => {
      const ids: (number | null)[] = this.#insertRows(batch);
      // The rows first, then their event_ids claimed with the rows' ids. The first INSERT took
      // the write lock, so no other connection can claim the same event_id in between; a
      // repeat (rare: a retry) undoes its row inside the same transaction.
      for (let i = 0; i < ids.length; i++) {
        const eventId = batch.eventIds[i] ?? null;
        const id = ids[i] as number;
        if (eventId === null || this.#claimEventId.run(eventId, id).changes > 0) continue;
        this.#unstore.run(id);
        ids[i] = null;
      }
      this.#recordTimeBlocks(batch, ids);
      // Rollups of what this transaction stored (repeated event_ids, undone above, are not counted).
      this.#installs.record(batch, ids);
      this.#licenseCounts.record(batch, ids);
      this.#flaggedCounts.record(batch, ids);
      this.#rollups.add(rollupRowsOf(batch, ids));
      return ids;
    });
  }

  /**
   * Inserts every row, CHUNK_ROWS per statement while enough are left. The rows of one
   * statement get consecutive ids ending at its last_insert_rowid: each new rowid of an
   * AUTOINCREMENT table is one more than the largest ever used, and nothing else writes
   * between the rows of one statement.
   */
  #insertRows(batch: InsertBatch): number[] {
    const { rows } = batch;
    const shape = this.#shapeOf(batch.varying);
    const named = sharedParameters(batch);
    const ids = new Array<number>(rows.length);
    let i = 0;
    for (; i + CHUNK_ROWS <= rows.length; i += CHUNK_ROWS) {
      const last = Number(shape.chunk.run(...argumentsOf(named, rows, i, CHUNK_ROWS)).lastInsertRowid);
      for (let k = 0; k < CHUNK_ROWS; k++) ids[i + k] = last - CHUNK_ROWS + 1 + k;
    }
    for (; i < rows.length; i++) ids[i] = Number(shape.one.run(...argumentsOf(named, rows, i, 1)).lastInsertRowid);
    return ids;
  }

  #shapeOf(varying: readonly number[]): Shape {
    const key = varying.join(',');
    let shape = this.#shapes.get(key);
    if (shape === undefined) {
      const columns = new Set(varying);
      shape = { one: this.#db.prepare(insertSql(columns, 1)), chunk: this.#db.prepare(insertSql(columns, CHUNK_ROWS)) };
      if (this.#shapes.size >= MAX_SHAPES) this.#shapes.delete(this.#shapes.keys().next().value as string);
      this.#shapes.set(key, shape);
    }
    return shape;
  }

  /** The created_at summary of the ids just written, in the same transaction (time-blocks.ts). */
  #recordTimeBlocks(batch: InsertBatch, ids: readonly (number | null)[]): void {
    const createdAtOf = columnOf(batch, CREATED_AT);
    const stored: number[] = [];
    const createdAt: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === null || id === undefined) continue;
      stored.push(id);
      createdAt.push(createdAtOf(i) as number);
    }
    this.#blocks.record(stored, (i) => createdAt[i] as number);
  }
}
