import type Database from 'better-sqlite3';
import type { SqlRow, SqlSteps } from '../../contract/sql-steps.js';

/**
 * Runs steps (contract/sql-steps.ts) on one SQLite connection, synchronously: called inside a
 * better-sqlite3 transaction, nothing else on the connection or the event loop runs between them.
 * Keeps the last `maxPrepared` statements prepared (a rollup read or check repeats the same text).
 */
export class SqliteStepRunner {
  readonly #db: Database.Database;
  readonly #maxPrepared: number;
  readonly #prepared = new Map<string, Database.Statement>();

  constructor(db: Database.Database, maxPrepared = 64) {
    this.#db = db;
    this.#maxPrepared = maxPrepared;
  }

  run<T>(steps: SqlSteps<T>): T {
    let next = steps.next([]);
    while (next.done !== true) {
      const statement = this.#statement(next.value.sql);
      const params = next.value.params;
      const rows = statement.reader ? (statement.all(...params) as SqlRow[]) : (statement.run(...params), []);
      next = steps.next(rows);
    }
    return next.value;
  }

  #statement(sql: string): Database.Statement {
    let statement = this.#prepared.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      if (this.#prepared.size >= this.#maxPrepared) this.#prepared.delete(this.#prepared.keys().next().value as string);
      this.#prepared.set(sql, statement);
    }
    return statement;
  }
}
