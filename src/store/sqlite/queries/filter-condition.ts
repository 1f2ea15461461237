import { TEXT_FILTERS, type TelemetryFilter } from '../../../model/filter.js';
import { FLAG_NAMES } from '../../../model/record.js';
import { RECORD_TIME_SQL } from '../../contract/record-time-sql.js';

export type SqlValue = number | string | null;

/** A WHERE condition and its positional parameters, in order. */
export interface SqlCondition {
  sql: string;
  params: SqlValue[];
}

/**
 * The SQL condition for a TelemetryFilter over the `telemetry` table. Column names come from
 * fixed lists, never from the filter; every value is a parameter, except flags (typed 0 | 1). A single product is an
 * equality (not `IN`), so that the planner uses the (product_id, data_group, …) indexes fully.
 */
export function filterCondition(filter: TelemetryFilter): SqlCondition {
  const terms: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, ...values: SqlValue[]): void => {
    terms.push(sql);
    params.push(...values);
  };
  addProducts(filter.productIds, add);
  for (const [field, column] of TEXT_FILTERS) {
    const value = filter[field];
    if (value !== undefined) add(`${column} = ?`, value);
  }
  for (const flag of FLAG_NAMES) {
    const value = filter.flags?.[flag];
    // A literal, not a parameter: only a literal lets SQLite match a partial index (`has_red_flags = 1`).
    if (value !== undefined) add(`${flag} = ${value === 1 ? 1 : 0}`);
  }
  if (filter.blocked !== undefined) add(`blocked = ${filter.blocked === 1 ? 1 : 0}`);
  if (filter.fromUs !== undefined) add('created_at >= ?', filter.fromUs);
  if (filter.toUs !== undefined) add('created_at <= ?', filter.toUs);
  if (filter.reportedFromUs !== undefined) add('reported_at >= ?', filter.reportedFromUs);
  if (filter.reportedToUs !== undefined) add('reported_at <= ?', filter.reportedToUs);
  if (filter.recordFromUs !== undefined) add(`${RECORD_TIME_SQL} >= ?`, filter.recordFromUs);
  if (filter.recordToUs !== undefined) add(`${RECORD_TIME_SQL} <= ?`, filter.recordToUs);
  return { sql: terms.length > 0 ? terms.join(' AND ') : '1', params };
}

function addProducts(ids: readonly number[] | null, add: (sql: string, ...values: SqlValue[]) => void): void {
  if (ids === null) return;
  if (ids.length === 0) add('0');
  else if (ids.length === 1) add('product_id = ?', ids[0] ?? null);
  else add(`product_id IN (${ids.map(() => '?').join(', ')})`, ...ids);
}
