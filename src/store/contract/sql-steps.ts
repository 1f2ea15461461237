/**
 * Work on a database written once for both backends as a generator of statements: it yields each
 * statement (`?` placeholders) and is resumed with the statement's rows (empty for a write). Each
 * backend runs the steps in one transaction of its own kind: SQLite synchronously (so that nothing
 * else on the connection or the event loop runs inside the transaction), PostgreSQL with a round
 * trip per step on one client. Used by the rollup check and rebuild (rollup-check.ts, rollup-rebuild.ts).
 */
export interface SqlStep {
  sql: string;
  params: readonly SqlParam[];
}

export type SqlParam = number | string | Buffer | null;

export type SqlRow = Record<string, unknown>;

export type SqlSteps<T> = Generator<SqlStep, T, SqlRow[]>;

export function step(sql: string, params: readonly SqlParam[] = []): SqlStep {
  return { sql, params };
}

/** A statement built with `bind`, which numbers nothing: `?` per parameter, in the text's order. */
export function boundStep(build: (bind: (value: SqlParam) => string) => string): SqlStep {
  const params: SqlParam[] = [];
  const sql = build((value) => {
    params.push(value);
    return '?';
  });
  return step(sql, params);
}

/** A statement with `?` placeholders numbered for PostgreSQL (`$1`, `$2`, …); the SQL of the steps holds no other `?`. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replaceAll('?', () => `$${++n}`);
}
