import { randomBytes } from 'node:crypto';
import { describeWhenReachable } from './service-gate.js';
import pg from 'pg';

/** The PostgreSQL server tests use (CI: PostgreSQL 15 at 127.0.0.1:5432, trust auth, database `test`). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** CI sets this: there a PostgreSQL test that skips is a failure. */
export const POSTGRES_REQUIRED = process.env.TALLY_TEST_REQUIRE_POSTGRES === '1';

/**
 * Null when a server answers at TEST_DATABASE_URL; otherwise why not. A refused connection answers at
 * once; the timeout is for a server that is there but slow to accept while the machine is busy.
 */
export async function postgresUnreachableReason(url: string = TEST_DATABASE_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `no PostgreSQL answers at TEST_DATABASE_URL (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Registers the PostgreSQL tests `describeTests` declares when a server answers (see service-gate.ts). */
export function describeWithPostgres(what: string, describeTests: () => void): Promise<void> {
  return describeWhenReachable(`${what} on PostgreSQL`, postgresUnreachableReason(), POSTGRES_REQUIRED, 'set TEST_DATABASE_URL to run it (TALLY_TEST_REQUIRE_POSTGRES=1 makes this a failure)', describeTests);
}

/** A new random name such as `tally_test_1a2b3c4d5e6f` for a schema or database of one test run. */
export function randomName(prefix = 'tally_test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Runs `work` with a connected client on `url` and always ends the client. */
export async function withClient<R>(work: (client: pg.Client) => Promise<R>, url: string = TEST_DATABASE_URL): Promise<R> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Drops these schemas with everything in them; harmless for ones that were never created. */
export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  await withClient(async (client) => {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });
}

/**
 * A URL for the same server whose connections start in `schema` (a startup `search_path`), for
 * programs such as the CLI that take only a URL. The schema must exist.
 */
export function urlInSchema(schema: string, url: string = TEST_DATABASE_URL): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** Creates an empty database on the test server and returns its URL. */
export async function createScratchDatabase(name: string): Promise<string> {
  await withClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const parsed = new URL(TEST_DATABASE_URL);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Drops a database made by createScratchDatabase, ending any session still connected to it. */
export async function dropScratchDatabase(name: string): Promise<void> {
  await withClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
