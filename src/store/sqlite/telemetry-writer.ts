import type Database from 'better-sqlite3';
import { bindableValue, TELEMETRY_INSERT_COLUMNS } from '../telemetry-columns.js';
import { CREATED_AT, type InsertBatch, type InsertRow } from './telemetry-rows.js';
import { SqliteTimeBlocks } from './time-blocks.js';

/**
 * Rows per multi-row INSERT: one statement step per 10 rows instead of per row saves ~25 % of
 * the insert cost (docs/performance.md); more saves nothing measurable.
 */
const CHUNK_ROWS = 10;

function insertSql(rows: number): string {
  const values = `(${TELEMETRY_INSERT_COLUMNS.map(() => '?').join(', ')})`;
  return `INSERT INTO telemetry (${TELEMETRY_INSERT_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => values).join(', ')}`;
}

type BindValue = string | number | null;

/** The values of rows[from, from + count) in one list, in bind order. */
function flatten(rows: readonly InsertRow[], from: number, count: number): BindValue[] {
  const values: BindValue[] = [];
  for (let i = from; i < from + count; i++) for (const value of rows[i] as InsertRow) values.push(bindableValue(value));
  return values;
}

/**
 * Writes telemetry rows on one connection: the ingest hot path, on the HTTP thread or on the
 * writer thread (writer-worker.ts). Statements are prepared once. Values are passed to
 * better-sqlite3 as arguments, not as one array: binding from an array reads each element
 * through V8's property lookup, measured at half again the cost of the whole insert.
 */
export class SqliteTelemetryWriter {
  readonly #insertOne: Database.Statement;
  readonly #insertChunk: Database.Statement;
  readonly #claimEventId: Database.Statement<[string, number]>;
  readonly #unstore: Database.Statement<[number]>;
  readonly #blocks: SqliteTimeBlocks;
  /** All rows in one transaction; a slot per row: its id, or null when its event_id was already stored. */
  readonly insert: (batch: InsertBatch) => (number | null)[];

  constructor(db: Database.Database) {
    this.#insertOne = db.prepare(insertSql(1));
    this.#insertChunk = db.prepare(insertSql(CHUNK_ROWS));
    this.#claimEventId = db.prepare<[string, number]>(
      'INSERT INTO telemetry_event_ids (event_id, telemetry_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    this.#unstore = db.prepare<[number]>('DELETE FROM telemetry WHERE id = ?');
    this.#blocks = new SqliteTimeBlocks(db);
    this.insert = db.transaction(({ rows, eventIds }: InsertBatch) => {
      const ids: (number | null)[] = this.#insertRows(rows);
      // The rows first, then their event_ids claimed with the rows' ids. The first INSERT took
      // the write lock, so no other connection can claim the same event_id in between; a
      // repeat (rare: a retry) undoes its row inside the same transaction.
      for (let i = 0; i < rows.length; i++) {
        const eventId = eventIds[i] ?? null;
        const id = ids[i] as number;
        if (eventId === null || this.#claimEventId.run(eventId, id).changes > 0) continue;
        this.#unstore.run(id);
        ids[i] = null;
      }
      this.#recordTimeBlocks(rows, ids);
      return ids;
    });
  }

  /**
   * Inserts every row, CHUNK_ROWS per statement while enough are left. The rows of one
   * statement get consecutive ids ending at its last_insert_rowid: each new rowid of an
   * AUTOINCREMENT table is one more than the largest ever used, and nothing else writes
   * between the rows of one statement.
   */
  #insertRows(rows: readonly InsertRow[]): number[] {
    const ids = new Array<number>(rows.length);
    let i = 0;
    for (; i + CHUNK_ROWS <= rows.length; i += CHUNK_ROWS) {
      const last = Number(this.#insertChunk.run(...flatten(rows, i, CHUNK_ROWS)).lastInsertRowid);
      for (let k = 0; k < CHUNK_ROWS; k++) ids[i + k] = last - CHUNK_ROWS + 1 + k;
    }
    for (; i < rows.length; i++) ids[i] = Number(this.#insertOne.run(...flatten(rows, i, 1)).lastInsertRowid);
    return ids;
  }

  /** The created_at summary of the ids just written, in the same transaction (time-blocks.ts). */
  #recordTimeBlocks(rows: readonly InsertRow[], ids: readonly (number | null)[]): void {
    const stored: number[] = [];
    const createdAt: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const id = ids[i];
      if (id === null || id === undefined) continue;
      stored.push(id);
      createdAt.push((rows[i] as InsertRow)[CREATED_AT] as number);
    }
    this.#blocks.record(stored, (i) => createdAt[i] as number);
  }
}
