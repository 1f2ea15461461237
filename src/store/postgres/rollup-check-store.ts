import type pg from 'pg';
import { checkRollups } from '../contract/rollup-check.js';
import type { RollupDialect } from '../contract/rollup-check-sql.js';
import type { RollupBackend } from '../contract/rollup-days.js';
import { rebuildRollups } from '../contract/rollup-rebuild.js';
import type { RollupCheckReport, RollupCheckRequest, RollupRange, RollupRebuildReport, RollupStore } from '../contract/rollup-store.js';
import { INSTALLS_KEYS_SQL, OS_LATERAL } from './installs-keys-sql.js';
import { pgRawWindow } from './raw-window.js';
import { inSnapshot } from './rollup-reads.js';
import { runSteps } from './step-runner.js';
import { inTransaction } from './statements.js';

/**
 * Every insert of records takes ROW EXCLUSIVE on these tables when its statement starts, before it
 * writes a row (its rollup and sketch CTEs name them: telemetry-table.ts), and so do retention,
 * erasure and compaction. SHARE ROW EXCLUSIVE conflicts with that (and with itself), not with
 * readers: once granted, every insert that counted records is committed and visible to the
 * rebuild's next statement, and none starts until the rebuild commits. install_new_machines is
 * written by install_first_seen's triggers at the end of such statements, and by the maintenance
 * pass's compaction: locked last, so a rebuild never holds it while it waits for a writer that
 * holds install_first_seen, and its recount never races a compaction that deletes the same rows.
 */
const LOCK_SQL = 'LOCK TABLE telemetry_rollups, telemetry_rollup_bins, install_sketches, install_first_seen, install_new_machines IN SHARE ROW EXCLUSIVE MODE';
const DEADLOCK = '40P01';
const ATTEMPTS = 3;

const dialect: RollupDialect = {
  raw: pgRawWindow('*'),
  versionKey: INSTALLS_KEYS_SQL.version,
  osKey: INSTALLS_KEYS_SQL.os,
  osLateral: OS_LATERAL,
};

/**
 * The rollup check and rebuild on PostgreSQL (contract/rollup-check.ts, rollup-rebuild.ts), on the
 * primary: a check day in one REPEATABLE READ snapshot, a rebuild step in one transaction that
 * first takes LOCK_SQL. A deadlock (a partition's DDL queued between an insert and the rebuild)
 * is retried.
 */
export class PgRollupStore implements RollupStore {
  readonly #backend: RollupBackend;

  constructor(pool: pg.Pool) {
    this.#backend = {
      dialect,
      lateIndex: '',
      read: (work) => inSnapshot(pool, (client) => runSteps(client, work())),
      write: async (work) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await inTransaction(pool, async (client) => {
              await client.query(LOCK_SQL);
              return runSteps(client, work());
            });
          } catch (error) {
            if (attempt >= ATTEMPTS || (error as { code?: unknown }).code !== DEADLOCK) throw error;
          }
        }
      },
    };
  }

  check(request: RollupCheckRequest): Promise<RollupCheckReport> {
    return checkRollups(this.#backend, request);
  }

  rebuild(request: RollupRange): Promise<RollupRebuildReport> {
    return rebuildRollups(this.#backend, request);
  }
}
