/**
 * The flagged value counts (docs/decisions/0043-alert-candidates.md), the same SQL on SQLite and
 * PostgreSQL: `flagged_value_counts` holds, per product, data group, kind (a license key or a user
 * identifier) and non-null value, how many red-flagged reports with that value are stored. Kept in
 * the transaction that inserts or deletes the reports, like the per-license report counts
 * (license-counts-sql.ts). A value's count bounds its red-flagged reports under any filter of its
 * product and group, which is what lets a summary's piracy alerts walk the largest first and stop
 * early (alert-walk.ts).
 */

/** The columns a piracy alert ranks by; also the `kind` stored, so that SQL names the column. */
export const ALERT_KINDS = ['license_key', 'user_identifier'] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

const KEY = 'product_id, data_group, kind, value';

const UPSERT = `ON CONFLICT (${KEY}) DO UPDATE SET flagged = flagged_value_counts.flagged + excluded.flagged`;

/** A row's value of its kind: the two kinds are the two rows of a constant table joined to each report. */
const VALUE_OF = "CASE k.kind WHEN 'license_key' THEN t.license_key ELSE t.user_identifier END";

/** Adds one key's already counted reports: parameters product_id, data_group, kind, value, flagged. */
export function flaggedCountsAddSql(bind: readonly [string, string, string, string, string]): string {
  return `INSERT INTO flagged_value_counts (${KEY}, flagged) VALUES (${bind.join(', ')}) ${UPSERT}`;
}

/**
 * Adds (sign 1) or subtracts (sign −1) the red-flagged reports of `source` (a table name or a
 * parenthesised SELECT of telemetry rows, read once) to or from the counts: one upsert, a row per
 * key, in key order (so that concurrent writers lock rows in one order and cannot deadlock).
 * Reports without a product, a group or a value are not counted. A subtraction RETURNS the keys it
 * touched with their new count, so that the caller removes the rows left at zero.
 */
export function flaggedCountsMergeSql(source: string, sign: 1 | -1): string {
  const merge = `INSERT INTO flagged_value_counts (${KEY}, flagged)
    SELECT t.product_id, t.data_group, k.kind, ${VALUE_OF}, ${sign} * COUNT(*)
    FROM ${source} AS t CROSS JOIN (SELECT 'license_key' AS kind UNION ALL SELECT 'user_identifier') AS k
    WHERE t.has_red_flags = 1 AND t.product_id IS NOT NULL AND t.data_group IS NOT NULL AND ${VALUE_OF} IS NOT NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ${UPSERT}`;
  return sign === 1 ? merge : `${merge} RETURNING ${KEY}, flagged`;
}

/** A key touched by a subtraction, with its count after it. */
export interface FlaggedCountsTouched {
  product_id: number;
  data_group: string;
  kind: AlertKind;
  value: string;
  flagged: number;
}
