import type Database from 'better-sqlite3';
import type { SqlValue } from '../queries/filter-condition.js';

/** Conditions whose subtraction statements are kept prepared; past this the cache starts again. */
const KEPT_CONDITIONS = 16;

/**
 * Subtraction from a per-key counts table kept with the reports (license report counts, flagged
 * value counts): `mergeSql(source)` subtracts the reports of `source` and returns the rows it
 * touched; `dropIfEmpty` removes a touched row left without reports. Prepared once per condition.
 */
export class SqliteCountsSubtraction<Touched> {
  readonly #db: Database.Database;
  readonly #mergeSql: (source: string) => string;
  readonly #dropIfEmpty: (row: Touched) => void;
  readonly #statements = new Map<string, Database.Statement<SqlValue[], Touched>>();

  constructor(db: Database.Database, mergeSql: (source: string) => string, dropIfEmpty: (row: Touched) => void) {
    this.#db = db;
    this.#mergeSql = mergeSql;
    this.#dropIfEmpty = dropIfEmpty;
  }

  /**
   * Takes the reports matching `where` (a condition on telemetry, with `params`) out of the
   * counts; call it just before deleting them, in the same transaction, and call what it returns
   * just after.
   */
  subtract(where: string, params: readonly SqlValue[]): () => void {
    let statement = this.#statements.get(where);
    if (statement === undefined) {
      statement = this.#db.prepare<SqlValue[], Touched>(this.#mergeSql(`(SELECT * FROM telemetry WHERE ${where})`));
      if (this.#statements.size > KEPT_CONDITIONS) this.#statements.clear();
      this.#statements.set(where, statement);
    }
    const touched = statement.all(...params);
    return () => {
      for (const row of touched) this.#dropIfEmpty(row);
    };
  }
}
