import type Database from 'better-sqlite3';
import { checkRollups } from '../../contract/rollup-check.js';
import type { RollupDialect } from '../../contract/rollup-check-sql.js';
import type { RollupBackend } from '../../contract/rollup-days.js';
import { rebuildRollups } from '../../contract/rollup-rebuild.js';
import { SQLITE_BIN_FUNCTION } from '../../contract/rollup-sql.js';
import { sqliteRawWindow } from './raw-window.js';
import { registerRollupBinFunction } from './rollup-bin-function.js';
import type { RollupCheckReport, RollupCheckRequest, RollupRange, RollupRebuildReport, RollupStore } from '../../contract/rollup-store.js';
import { SqliteStepRunner } from './step-runner.js';
import { INSTALLS_KEYS_SQL } from '../queries/installs-keys-sql.js';
import { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';

/**
 * The rollup check and rebuild on SQLite (contract/rollup-check.ts, rollup-rebuild.ts). Steps run
 * synchronously inside one better-sqlite3 transaction: a deferred one for a check (one snapshot
 * in WAL mode), `BEGIN IMMEDIATE` for a rebuild, which holds the database's write lock, so no
 * insert of any connection or process runs inside it (ingest waits up to its busy timeout).
 */
export class SqliteRollupStore implements RollupStore {
  readonly #backend: RollupBackend;

  constructor(db: Database.Database) {
    registerRollupBinFunction(db);
    const steps = new SqliteStepRunner(db);
    const dialect: RollupDialect = {
      raw: sqliteRawWindow(new SqliteTimeBlocks(db), '*'),
      versionKey: INSTALLS_KEYS_SQL.version,
      osKey: INSTALLS_KEYS_SQL.os,
      osLateral: '',
      binFunction: SQLITE_BIN_FUNCTION,
    };
    this.#backend = {
      dialect,
      lateIndex: 'INDEXED BY telemetry_late',
      read: async (work) => db.transaction(() => steps.run(work()))(),
      write: async (work) => db.transaction(() => steps.run(work())).immediate(),
    };
  }

  check(request: RollupCheckRequest): Promise<RollupCheckReport> {
    return checkRollups(this.#backend, request);
  }

  rebuild(request: RollupRange): Promise<RollupRebuildReport> {
    return rebuildRollups(this.#backend, request);
  }
}
