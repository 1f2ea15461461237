import Database from 'better-sqlite3';

/** How hard SQLite works to make a commit survive power loss (`PRAGMA synchronous`). */
export type SqliteSynchronous = 'FULL' | 'NORMAL' | 'OFF';

const SYNCHRONOUS_MODES: readonly SqliteSynchronous[] = ['FULL', 'NORMAL', 'OFF'];
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a SQLite file with the pragmas every Tally connection needs: WAL so that readers never
 * block the ingest writer, a busy timeout so that a second process (the CLI next to the server)
 * waits for the write lock instead of failing, and enforced foreign keys.
 */
export function openSqliteDatabase(file: string, synchronous: SqliteSynchronous): Database.Database {
  // The mode is interpolated into SQL, so it is checked even though the type already narrows it.
  if (!SYNCHRONOUS_MODES.includes(synchronous)) {
    throw new Error(`Unknown SQLite synchronous mode "${String(synchronous)}"`);
  }
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
