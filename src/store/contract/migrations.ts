/** One step of a backend's schema. Versions only grow; an applied migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
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
