import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { onCleanup } from './cleanup.js';

/** Drops a database synchronously, in a child process: what a clean-up task on Ctrl-C can do. */
const DROP_SCRIPT = fileURLToPath(new URL('./drop-database.js', import.meta.url));

/** Names the bench creates; anything else is never dropped. */
export const BENCH_DATABASE = /^tally_bench_[0-9a-f]{12}$/;

/** A database made for one run, and how to get rid of it. */
export interface ThrowawayDatabase {
  name: string;
  /** The server URL with this database in its path. */
  url: string;
  /** Drops the database (WITH (FORCE)); runs once, also on error or Ctrl-C. */
  drop(): Promise<void>;
}

/** `serverUrl` with `database` as its path; user, password, host, port and parameters kept. */
export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `sql` on a single connection to `adminUrl`; the connection is closed afterwards. */
export async function runAdmin(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates `tally_bench_<hex>` through `adminUrl` (an existing database on the same server). The
 * drop is registered with the bench's clean-up before the database exists, so it cannot leak.
 */
export async function createThrowawayDatabase(adminUrl: string): Promise<ThrowawayDatabase> {
  const name = `tally_bench_${randomBytes(6).toString('hex')}`;
  const forget = onCleanup(() => dropSync(adminUrl, name));
  await runAdmin(adminUrl, `CREATE DATABASE ${name}`);
  let dropped = false;
  const drop = async (): Promise<void> => {
    if (dropped) return;
    dropped = true;
    await runAdmin(adminUrl, dropSql(name));
    forget();
  };
  return { name, url: withDatabase(adminUrl, name), drop };
}

export function dropSql(name: string): string {
  if (!BENCH_DATABASE.test(name)) throw new Error(`refusing to drop "${name}": not a bench database`);
  return `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`;
}

/** The URL goes through the environment, not argv, so a password does not show in `ps`. */
function dropSync(adminUrl: string, name: string): void {
  spawnSync(process.execPath, [DROP_SCRIPT, name], {
    env: { ...process.env, TALLY_BENCH_ADMIN_URL: adminUrl },
    stdio: 'ignore',
    timeout: 15_000,
  });
}
