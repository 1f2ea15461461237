import pg from 'pg';

// int8 (COUNT, bigint ids, created_at) as JS numbers: Tally's ids and microsecond times stay far
// below 2^53, and the store contract speaks numbers, not strings.
pg.types.setTypeParser(20, (value: string) => Number(value));

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** How a PostgreSQL store connects; `schema` isolates one store's tables (tests). */
export interface PgConnectionOptions {
  url: string;
  schema?: string;
  /** Pool size per process; several Tally processes share the server's max_connections. */
  max?: number;
}

/**
 * A pool for the URL. With a schema, every connection starts with that search_path (a startup
 * option, so no query races it). The schema itself is created by `ensureSchema` (migrate),
 * once, not per connection.
 */
export function openPgPool(options: PgConnectionOptions): pg.Pool {
  if (options.schema !== undefined) checkSchemaName(options.schema);
  const pool = createPool(options);
  // An idle client losing its server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Creates the store's own schema when one was asked for; harmless when it exists. */
export async function ensureSchema(pool: pg.Pool, schema: string | undefined): Promise<void> {
  if (schema === undefined) return;
  checkSchemaName(schema);
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two processes creating it at once: the loser sees a unique violation; the schema exists.
    if (!isPgError(error, '23505') && !isPgError(error, '42P06')) throw error;
  }
}

/** True when `error` is a PostgreSQL error with this SQLSTATE. */
export function isPgError(error: unknown, code: string): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === code;
}

function createPool(options: PgConnectionOptions): pg.Pool {
  try {
    const searchPath = options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` };
    return new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      // A server that accepts TCP but never completes the handshake fails the request (503)
      // after 5 s instead of hanging it; TCP keep-alive finds connections to a vanished host.
      connectionTimeoutMillis: 5000,
      keepAlive: true,
      ...searchPath,
    });
  } catch {
    // Never echo the URL: it may hold a password.
    throw new Error('The PostgreSQL database URL is not valid');
  }
}

function checkSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
}
