import type Database from 'better-sqlite3';
import { migrationReport, refuseNewerSchema, type Migration, type MigrationReport } from '../../contract/migrations.js';
import { registerMigrationFunctions } from './migrations.js';

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
 * Reports only the steps this call applied.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[]): MigrationReport {
  db.exec(CREATE_LEDGER);
  refuseNewerSchema(newestVersion(db), migrations);
  registerMigrationFunctions(db);
  const isApplied = db.prepare<[number], 1>('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare<[number, string, string]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const applyOne = db.transaction((migration: Migration): boolean => {
    if (isApplied.get(migration.version) !== undefined) return false;
    db.exec(migration.sql);
    record.run(migration.version, migration.name, new Date().toISOString());
    return true;
  });
  const applied: Migration[] = [];
  for (const migration of migrations) {
    if (isApplied.get(migration.version) === undefined && applyOne.immediate(migration)) applied.push(migration);
  }
  return migrationReport(applied, migrations);
}

/** The highest version the database has recorded; null when none. */
function newestVersion(db: Database.Database): number | null {
  return db.prepare<[], number | null>('SELECT MAX(version) FROM schema_migrations').pluck().get() ?? null;
}
