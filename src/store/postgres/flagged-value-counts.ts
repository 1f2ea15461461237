import { flaggedCountsMergeSql, type FlaggedCountsTouched } from '../contract/flagged-counts-sql.js';
import { selectRows, type PgRunner } from './statements.js';

const DROP_EMPTY = `DELETE FROM flagged_value_counts
  WHERE (product_id, data_group, kind, value) IN (SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])) AND flagged <= 0`;

/**
 * Takes the red-flagged reports of `source` (a table name, or a parenthesised SELECT of telemetry
 * rows whose `$n` parameters are `params`) out of the flagged value counts
 * (docs/decisions/0043-alert-candidates.md). Call it just before deleting them (after the rollups
 * and the license counts: the order an insert locks rows in, telemetry-table.ts), in the same
 * transaction, and await what it returns just after: it removes the keys left without reports, so
 * an erased identifier keeps no row. Inserts keep the counts in the insert statement itself.
 */
export async function subtractFlaggedCounts(db: PgRunner, source: string, params: unknown[] = []): Promise<() => Promise<void>> {
  const touched = await selectRows<FlaggedCountsTouched>(db, flaggedCountsMergeSql(source, -1), params);
  const empty = touched.filter((row) => Number(row.flagged) <= 0);
  return async () => {
    if (empty.length === 0) return;
    const columns = [empty.map((r) => r.product_id), empty.map((r) => r.data_group), empty.map((r) => r.kind), empty.map((r) => r.value)];
    await db.query(DROP_EMPTY, columns);
  };
}
