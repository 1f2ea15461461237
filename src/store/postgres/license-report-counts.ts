import { licenseCountsMergeSql, type LicenseCountsTouched } from '../contract/license-counts-sql.js';
import { selectRows, type PgRunner } from './statements.js';

const DROP_EMPTY = `DELETE FROM license_report_counts
  WHERE (product_id, license_key) IN (SELECT * FROM unnest($1::bigint[], $2::text[])) AND reports <= 0`;

/**
 * Takes the reports of `source` (a table name, or a parenthesised SELECT of telemetry rows whose
 * `$n` parameters are `params`) out of the per-license report counts
 * (docs/decisions/0040-license-report-counts.md). Call it just before deleting them, in the same
 * transaction, and await what it returns just after: it removes the licenses left without
 * reports. Inserts keep the counts in the insert statement itself (telemetry-table.ts).
 */
export async function subtractLicenseCounts(db: PgRunner, source: string, params: unknown[] = []): Promise<() => Promise<void>> {
  const touched = await selectRows<LicenseCountsTouched>(db, licenseCountsMergeSql(source, -1), params);
  const empty = touched.filter((row) => Number(row.reports) <= 0);
  return async () => {
    if (empty.length > 0) await db.query(DROP_EMPTY, [empty.map((row) => row.product_id), empty.map((row) => row.license_key)]);
  };
}
