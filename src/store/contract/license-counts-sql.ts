/**
 * The per-license report counts (docs/decisions/0040-license-report-counts.md), the same SQL on
 * SQLite and PostgreSQL: `license_report_counts` holds, per (product_id, license_key) of stored
 * reports, how many there are, how many are red-flagged, and the newest created_at. Kept in the
 * transaction that inserts or deletes the reports, so a license's counts read one row instead of
 * an index range of its reports, and ingest writes one row per license per commit instead of one
 * index entry per report.
 */

/** `last_report_us` kept as the later of the stored and the added value (a NULL added value keeps the stored one). */
const LATER = `CASE WHEN excluded.last_report_us > license_report_counts.last_report_us THEN excluded.last_report_us
      ELSE license_report_counts.last_report_us END`;

const UPSERT = `ON CONFLICT (product_id, license_key) DO UPDATE SET reports = license_report_counts.reports + excluded.reports,
      flagged = license_report_counts.flagged + excluded.flagged`;

/** Adds one license's already aggregated counts: parameters product_id, license_key, reports, flagged, last_report_us. */
export function licenseCountsAddSql(bind: readonly [string, string, string, string, string]): string {
  return `INSERT INTO license_report_counts (product_id, license_key, reports, flagged, last_report_us) VALUES (${bind.join(', ')})
    ${UPSERT}, last_report_us = ${LATER}`;
}

/**
 * Adds (sign 1) or subtracts (sign −1) the reports of `source` (a table name or a parenthesised
 * SELECT of telemetry rows) to or from the counts: one upsert, a row per distinct license, in key
 * order (so that concurrent writers lock rows in one order and cannot deadlock). A subtraction
 * leaves last_report_us alone (it cannot be subtracted; see the decision) and RETURNS the keys
 * it touched with their new count, so that the caller removes the rows left at zero.
 */
export function licenseCountsMergeSql(source: string, sign: 1 | -1): string {
  const merge = `INSERT INTO license_report_counts (product_id, license_key, reports, flagged, last_report_us)
    SELECT product_id, license_key, ${sign} * COUNT(*), ${sign} * SUM(has_red_flags), MAX(created_at)
    FROM ${source} AS t WHERE product_id IS NOT NULL AND license_key IS NOT NULL
    GROUP BY product_id, license_key ORDER BY product_id, license_key
    ${UPSERT}`;
  return sign === 1 ? `${merge}, last_report_us = ${LATER}` : `${merge} RETURNING product_id, license_key, reports`;
}

/** A license touched by a subtraction, with its count after it. */
export interface LicenseCountsTouched {
  product_id: number;
  license_key: string;
  reports: number;
}

/**
 * A license's report counts: one primary-key read (a license without reports has no row, and
 * reads as 0, 0, NULL). `productId` and `key` are the backend's placeholders.
 */
export function reportCountsSql(productId: string, key: string): string {
  return `SELECT COALESCE(c.reports, 0) AS total, COALESCE(c.flagged, 0) AS flagged, c.last_report_us AS last_report_us
FROM (SELECT 1 AS one) AS q LEFT JOIN license_report_counts AS c ON c.product_id = ${productId} AND c.license_key = ${key}`;
}
