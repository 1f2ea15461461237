/** One step of a backend's schema. Versions only grow; an applied migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * What one `migrate()` did: the steps this call applied, in order (none when the database was
 * already current, or another process applied them first), and the schema version the database
 * is at afterwards.
 */
export interface MigrationReport {
  applied: { version: number; name: string }[];
  version: number;
}

/** The report of a run that applied `applied` (in order) over `migrations`: the database is then at the newest version known. */
export function migrationReport(applied: readonly Migration[], migrations: readonly Migration[]): MigrationReport {
  return {
    applied: applied.map(({ version, name }) => ({ version, name })),
    version: Math.max(0, ...migrations.map((migration) => migration.version)),
  };
}

/**
 * A database written by a newer Tally may hold data this version would misread: stop instead.
 * `newest` is the highest version the database has recorded (null: none yet).
 */
export function refuseNewerSchema(newest: number | null, migrations: readonly Migration[]): void {
  const known = Math.max(0, ...migrations.map((migration) => migration.version));
  if (newest !== null && newest > known) {
    throw new Error(
      `The database schema is at version ${newest}, newer than this Tally knows (${known}); upgrade Tally to use it`,
    );
  }
}
