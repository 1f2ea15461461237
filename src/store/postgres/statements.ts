import type pg from 'pg';

/** A pool or a checked-out client: anything that runs one statement. */
export type PgRunner = pg.Pool | pg.PoolClient;

/** The rows of one statement, typed by the caller (pg types rows as `any`; only the SQL knows). */
export async function selectRows<R>(db: PgRunner, sql: string, params: unknown[] = []): Promise<R[]> {
  const result = await db.query(sql, params);
  return result.rows;
}

/**
 * A statement each connection parses and plans once (a named prepared statement), for the ingest
 * hot path: the group insert's text is large (a CTE per side table), and parsing and planning it
 * took about a millisecond per group commit, a quarter of the commit. PostgreSQL replans it by
 * itself when a table it reads changes (DDL, a new partition) or its statistics are renewed by
 * ANALYZE; after five executions it may keep a generic plan (plan_cache_mode).
 */
export interface PreparedSql {
  /** Unique per text within a connection. */
  name: string;
  text: string;
}

/** The rows of a prepared statement (prepared on each connection at its first use). */
export async function selectPrepared<R>(db: PgRunner, statement: PreparedSql, params: unknown[]): Promise<R[]> {
  const result = await db.query({ name: statement.name, text: statement.text, values: params });
  return result.rows;
}

/** The first row of one statement, or null. */
export async function selectRow<R>(db: PgRunner, sql: string, params: unknown[] = []): Promise<R | null> {
  const rows = await selectRows<R>(db, sql, params);
  return rows[0] ?? null;
}

/** How many rows a write touched. */
export async function changedRows(db: PgRunner, sql: string, params: unknown[] = []): Promise<number> {
  return (await db.query(sql, params)).rowCount ?? 0;
}

/** Runs `work` in one transaction on one client, committing on success and rolling back on error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransactionOn(client, () => work(client));
  } finally {
    client.release();
  }
}

/** Runs `work` in one transaction on a client the caller holds (and keeps), committing on success and rolling back on error. */
export async function inTransactionOn<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
