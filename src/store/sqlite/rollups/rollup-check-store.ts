import type Database from 'better-sqlite3';
import { REPORTED_AHEAD_MAX_US } from '../../../model/record-time.js';
import { checkRollups } from '../../contract/rollup-check.js';
import type { RollupDialect } from '../../contract/rollup-check-sql.js';
import type { RollupBackend } from '../../contract/rollup-days.js';
import { rebuildRollups } from '../../contract/rollup-rebuild.js';
import { LATE_US, sqlInteger, SQLITE_BIN_FUNCTION, windowHalves } from '../../contract/rollup-sql.js';
import { registerRollupBinFunction } from './rollup-bin-function.js';
import type { RollupCheckReport, RollupCheckRequest, RollupRange, RollupRebuildReport, RollupStore } from '../../contract/rollup-store.js';
import type { SqlRow, SqlSteps } from '../../contract/sql-steps.js';
import { INSTALLS_KEYS_SQL } from '../queries/installs-keys-sql.js';
import { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';

/** Statements kept prepared at most (the check's are the same text for each day of a product). */
const MAX_PREPARED = 64;

/**
 * The rollup check and rebuild on SQLite (contract/rollup-check.ts, rollup-rebuild.ts). Steps run
 * synchronously inside one better-sqlite3 transaction: a deferred one for a check (one snapshot
 * in WAL mode), `BEGIN IMMEDIATE` for a rebuild, which holds the database's write lock, so no
 * insert of any connection or process runs inside it (ingest waits up to its busy timeout).
 */
export class SqliteRollupStore implements RollupStore {
  readonly #db: Database.Database;
  readonly #prepared = new Map<string, Database.Statement>();
  readonly #backend: RollupBackend;

  constructor(db: Database.Database) {
    this.#db = db;
    registerRollupBinFunction(db);
    const blocks = new SqliteTimeBlocks(db);
    const dialect: RollupDialect = {
      raw: (fromUs, toUs, productId) => {
        const [near, late] = windowHalves(fromUs, toUs);
        const window = blocks.window(fromUs - REPORTED_AHEAD_MAX_US, toUs + LATE_US);
        const ids = window === null ? 'id BETWEEN 1 AND 0' : `id BETWEEN ${window.fromId} AND ${window.toId}`;
        const product = productId === undefined ? '' : ` AND product_id = ${sqlInteger(productId)}`;
        return `(SELECT * FROM telemetry WHERE ${ids} AND ${near}${product}
          UNION ALL SELECT * FROM telemetry INDEXED BY telemetry_late WHERE ${late}${product})`;
      },
      versionKey: INSTALLS_KEYS_SQL.version,
      osKey: INSTALLS_KEYS_SQL.os,
      osLateral: '',
      binFunction: SQLITE_BIN_FUNCTION,
    };
    this.#backend = {
      dialect,
      lateIndex: 'INDEXED BY telemetry_late',
      read: async (steps) => db.transaction(() => this.#run(steps()))(),
      write: async (steps) => db.transaction(() => this.#run(steps())).immediate(),
    };
  }

  check(request: RollupCheckRequest): Promise<RollupCheckReport> {
    return checkRollups(this.#backend, request);
  }

  rebuild(request: RollupRange): Promise<RollupRebuildReport> {
    return rebuildRollups(this.#backend, request);
  }

  #run<T>(steps: SqlSteps<T>): T {
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
      if (this.#prepared.size >= MAX_PREPARED) this.#prepared.delete(this.#prepared.keys().next().value as string);
      this.#prepared.set(sql, statement);
    }
    return statement;
  }
}
