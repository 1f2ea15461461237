import type pg from 'pg';
import { migrationReport, refuseNewerSchema, type Migration, type MigrationReport } from '../contract/migrations.js';
import { inTransaction } from './statements.js';

const CREATE_LEDGER = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at text NOT NULL
)`;

// One lock per schema, so test stores in their own schemas never wait for each other.
const LOCK = "SELECT pg_advisory_xact_lock(hashtext('tally.migrate.' || current_schema()))";

/**
 * Applies every migration the database has not recorded, each in its own transaction that first
 * takes a transaction-scoped advisory lock and only then reads the ledger: when several processes
 * start at once, the others wait, see the step recorded and skip it. The ledger itself is created
 * under the same lock (concurrent CREATE TABLE IF NOT EXISTS can fail on PostgreSQL). Reports
 * only the steps this call applied.
 */
export async function applyPgMigrations(pool: pg.Pool, migrations: readonly Migration[]): Promise<MigrationReport> {
  await inTransaction(pool, async (client) => {
    await client.query(LOCK);
    await client.query(CREATE_LEDGER);
    const newest = await client.query<{ newest: number | null }>('SELECT MAX(version) AS newest FROM schema_migrations');
    refuseNewerSchema(newest.rows[0]?.newest ?? null, migrations);
  });
  const applied: Migration[] = [];
  for (const migration of migrations) {
    if (await inTransaction(pool, (client) => applyOne(client, migration))) applied.push(migration);
  }
  return migrationReport(applied, migrations);
}

/** Applies one step unless the ledger has it; true when this call applied it. */
async function applyOne(client: pg.PoolClient, migration: Migration): Promise<boolean> {
  await client.query(LOCK);
  const applied = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
  if ((applied.rowCount ?? 0) > 0) return false;
  await client.query(migration.sql);
  await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
    migration.version, migration.name, new Date().toISOString(),
  ]);
  return true;
}
