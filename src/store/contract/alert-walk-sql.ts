import type { TelemetryFilter } from '../../model/filter.js';
import { CHECK_NAMES } from '../../model/summary.js';
import type { AlertKind } from './flagged-counts-sql.js';
import { RECORD_TIME_SQL } from './record-time-sql.js';
import type { SqlParam } from './sql-steps.js';
import { SUMMARY_RECORDS } from './summary-records.js';

/**
 * The SQL of the piracy alerts' threshold walk (alert-walk.ts), the same on both backends: pages
 * of candidate values from flagged_value_counts, and the exact alert rows of a page's values.
 * `bind` adds a parameter and returns `?` (sql-steps.ts numbers them for PostgreSQL).
 */
export type WalkBind = (value: SqlParam) => string;

/**
 * The filters the walk answers: one product and one data group, optionally a created_at and a
 * record-time range, a product version and has_red_flags. Any other filter reads raw records.
 */
export type WalkFilter = TelemetryFilter & { productIds: readonly [number]; dataGroup: string };

const WALK_FIELDS: ReadonlySet<string> = new Set(['productIds', 'dataGroup', 'productVersion', 'flags', 'fromUs', 'toUs', 'recordFromUs', 'recordToUs']);

export function walkFilter(filter: TelemetryFilter): filter is WalkFilter {
  if (filter.productIds?.length !== 1 || filter.dataGroup === undefined) return false;
  for (const [field, value] of Object.entries(filter)) if (value !== undefined && !WALK_FIELDS.has(field)) return false;
  return Object.entries(filter.flags ?? {}).every(([flag, value]) => value === undefined || flag === 'has_red_flags');
}

/** A candidate: a value and its count of red-flagged reports, a bound on its count under the filter. */
export interface Candidate {
  value: string;
  flagged: number;
}

const COUNTS_OF = (kind: AlertKind, filter: WalkFilter, bind: WalkBind): string =>
  `FROM flagged_value_counts WHERE product_id = ${bind(filter.productIds[0])} AND data_group = ${bind(filter.dataGroup)} AND kind = ${bind(kind)}`;

/**
 * The next `size` candidates in the order `flagged DESC, value` (value in the backend's tie order:
 * the column's collation), after `after` (none: from the first). Two index ranges: the rest of
 * `after`'s count, then the lower counts.
 */
export function candidatePageSql(kind: AlertKind, filter: WalkFilter, after: Candidate | null, size: number, bind: WalkBind): string {
  if (after === null) return `SELECT value, flagged ${COUNTS_OF(kind, filter, bind)} ORDER BY flagged DESC, value LIMIT ${size}`;
  const same = `SELECT value, flagged ${COUNTS_OF(kind, filter, bind)} AND flagged = ${bind(after.flagged)} AND value > ${bind(after.value)} ORDER BY value LIMIT ${size}`;
  const lower = `SELECT value, flagged ${COUNTS_OF(kind, filter, bind)} AND flagged < ${bind(after.flagged)} ORDER BY flagged DESC, value LIMIT ${size}`;
  return `SELECT value, flagged FROM (${same}) AS s UNION ALL SELECT value, flagged FROM (${lower}) AS l ORDER BY flagged DESC, value LIMIT ${size}`;
}

const FAILED = CHECK_NAMES.map((check) => `SUM(CASE WHEN ${check} = 0 THEN 1 ELSE 0 END) AS failed_${check}`).join(', ');

/** The filter's red-flagged records as a condition (has_red_flags = 1 verbatim: SQLite's partial indexes need it). */
function flaggedCondition(filter: WalkFilter, bind: WalkBind): string {
  const terms = [`product_id = ${bind(filter.productIds[0])}`, `data_group = ${bind(filter.dataGroup)}`, SUMMARY_RECORDS.flagged];
  if (filter.productVersion !== undefined) terms.push(`product_version = ${bind(filter.productVersion)}`);
  if (filter.fromUs !== undefined) terms.push(`created_at >= ${bind(filter.fromUs)}`);
  if (filter.toUs !== undefined) terms.push(`created_at <= ${bind(filter.toUs)}`);
  if (filter.recordFromUs !== undefined) terms.push(`${RECORD_TIME_SQL} >= ${bind(filter.recordFromUs)}`);
  if (filter.recordToUs !== undefined) terms.push(`${RECORD_TIME_SQL} <= ${bind(filter.recordToUs)}`);
  return terms.join(' AND ');
}

/**
 * The alert rows (piracy-alert-row.ts) of `values` (null: the reports without a value) under the
 * filter, one per value that has red-flagged reports in it. `from` is the backend's telemetry
 * (SQLite names the partial index by value, which the planner might not pick unprompted).
 */
export function alertRowsSql(kind: AlertKind, filter: WalkFilter, values: readonly string[] | null, from: string, bind: WalkBind): string {
  // Parameters bind in the text's order: the filter's first.
  const where = flaggedCondition(filter, bind);
  const which = values === null ? `${kind} IS NULL` : `${kind} IN (${values.map(bind).join(', ')})`;
  return `SELECT ${kind} AS value, COUNT(*) AS count, ${FAILED}, MIN(${RECORD_TIME_SQL}) AS first_seen_us, MAX(${RECORD_TIME_SQL}) AS last_seen_us
    FROM ${from} WHERE ${where} AND ${which} GROUP BY ${kind}`;
}
