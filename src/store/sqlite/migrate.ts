import type Database from 'better-sqlite3';
import { registerMigrationFunctions, type Migration } from './migrations.js';

const CREATE_LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

/**
 * Applies every migration the database has not recorded, each in its own `BEGIN IMMEDIATE`
 * transaction. IMMEDIATE takes the write lock up front, and the ledger is re-read under that
 * lock, so when two processes start at once the second waits, sees the step done and skips it.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[]): void {
  db.exec(CREATE_LEDGER);
  refuseNewerSchema(db, migrations);
  registerMigrationFunctions(db);
  const isApplied = db.prepare<[number], 1>('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const applyOne = db.transaction((migration: Migration): void => {
    if (isApplied.get(migration.version) !== undefined) return;
    db.exec(migration.sql);
    record.run(migration.version, migration.name, new Date().toISOString());
  });
  for (const migration of migrations) {
    if (isApplied.get(migration.version) === undefined) applyOne.immediate(migration);
  }
}

/** A database written by a newer Tally may hold data this version would misread: stop instead. */
function refuseNewerSchema(db: Database.Database, migrations: readonly Migration[]): void {
  const newest = db.prepare<[], number | null>('SELECT MAX(version) FROM schema_migrations').pluck().get() ?? null;
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  if (newest !== null && newest > known) {
    throw new Error(
      `The database schema is at version ${newest}, newer than this Tally knows (${known}); upgrade Tally to use it`,
    );
  }
}
