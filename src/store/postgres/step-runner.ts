import { numberedPlaceholders, type SqlRow, type SqlSteps } from '../contract/sql-steps.js';
import type { PgRunner } from './statements.js';

/** Runs steps (contract/sql-steps.ts) on PostgreSQL, a round trip each; give it one client inside a transaction for one snapshot. */
export async function runSteps<T>(db: PgRunner, steps: SqlSteps<T>): Promise<T> {
  let next = steps.next([]);
  while (next.done !== true) {
    const result = await db.query(numberedPlaceholders(next.value.sql), [...next.value.params]);
    next = steps.next((result.rows ?? []) as SqlRow[]);
  }
  return next.value;
}
