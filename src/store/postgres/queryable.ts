/**
 * What the PostgreSQL query and summary functions need from a connection: one parameterised
 * statement at a time. A `pg` Pool, PoolClient or Client all satisfy it, and so does a fake.
 */
export interface PgQueryable {
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}
