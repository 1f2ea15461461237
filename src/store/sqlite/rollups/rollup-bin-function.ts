import type Database from 'better-sqlite3';
import { binOf } from '../../contract/rollup-sketch.js';
import { SQLITE_BIN_FUNCTION } from '../../contract/rollup-sql.js';

/**
 * binOf as the SQL function SQLite's rollup statements bin with (rollup-sql.ts,
 * SQLITE_BIN_FUNCTION): ingest bins in JavaScript (rollup-upkeep.ts), so the migration's build and
 * every subtraction must bin with the very same arithmetic, not SQLite's own ln.
 */
export function registerRollupBinFunction(db: Database.Database): void {
  db.function(SQLITE_BIN_FUNCTION, { deterministic: true }, (value: unknown) => (typeof value === 'number' ? binOf(value) : null));
}
