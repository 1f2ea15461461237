import { PIRACY_FLAGS, type InsightLicense, type InsightSubject, type InsightsRow, type PiracyFlag } from '../../model/insights.js';

/** A report with any piracy check failed (every check but is_correct_format). */
export const FLAGGED_SQL = `(${PIRACY_FLAGS.map((flag) => `${flag} = 0`).join(' OR ')})`;
/** A report whose only failed check is is_correct_format: a client bug, never piracy. */
export const CLIENT_BUG_SQL = `(is_correct_format = 0 AND ${PIRACY_FLAGS.map((flag) => `${flag} = 1`).join(' AND ')})`;

/** The columns a row is keyed by, and the one it counts distinct values of besides machines. */
export const SUBJECT_COLUMNS: Readonly<Record<InsightSubject, { value: string; other: string }>> = {
  license: { value: 'license_key', other: 'user_identifier' },
  user: { value: 'user_identifier', other: 'license_key' },
};

/** The result column of the count of reports with one check failed. */
export const flagColumn = (flag: PiracyFlag): string => `failed_${flag}`;

/** A row as both backends' SQL returns it (versions already a list). */
export interface InsightsSqlRow {
  product_id: number;
  value: string;
  machines: number;
  others: number;
  networks: number;
  versions: (string | null)[];
  reports: number;
  flagged_reports: number;
  client_bug_reports: number;
  first_seen_us: number;
  last_seen_us: number;
  license_status: string | null;
  license_seats: number | null;
  registered: number | boolean | null;
  [failed: `failed_${string}`]: number;
}

/** Shapes a row of either backend into the contract's InsightsRow. */
export function toInsightsRow(row: InsightsSqlRow): InsightsRow {
  const flags = Object.fromEntries(PIRACY_FLAGS.map((flag) => [flag, Number(row[`failed_${flag}`] ?? 0)])) as Record<PiracyFlag, number>;
  const license: InsightLicense | null = row.registered === 1 || row.registered === true
    ? { status: row.license_status ?? 'active', max_activations: row.license_seats }
    : null;
  return {
    product_id: row.product_id, value: row.value, machines: row.machines, others: row.others, networks: row.networks,
    versions: row.versions.filter((version): version is string => version !== null),
    reports: row.reports, flagged_reports: row.flagged_reports, client_bug_reports: row.client_bug_reports, flags,
    first_seen_us: row.first_seen_us, last_seen_us: row.last_seen_us, license,
  };
}
