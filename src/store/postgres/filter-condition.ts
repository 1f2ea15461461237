import { TEXT_FILTERS, type TelemetryFilter } from '../../model/filter.js';
import { FLAG_NAMES } from '../../model/record.js';
import { RECORD_TIME_SQL } from '../contract/record-time-sql.js';

/**
 * Positional parameters of one statement: `add` keeps the value and returns its placeholder
 * (`$1`, `$2`, …), so that SQL text and values are built together and never drift apart.
 */
export class PgParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The WHERE condition of a TelemetryFilter over `telemetry`, its values added to `params`.
 * Column names come from fixed lists, never from the filter. Flags are literals (typed 0 | 1)
 * so that the partial index `WHERE has_red_flags = 1` can match; a single product is an
 * equality so that the (product_id, …, id) indexes serve `ORDER BY id` without a sort.
 */
export function pgFilterCondition(filter: TelemetryFilter, params: PgParams): string {
  const terms: string[] = [];
  const products = productTerm(filter.productIds, params);
  if (products !== null) terms.push(products);
  for (const [field, column] of TEXT_FILTERS) {
    const value = filter[field];
    if (value !== undefined) terms.push(`${column} = ${params.add(storedText(value))}`);
  }
  for (const flag of FLAG_NAMES) {
    const value = filter.flags?.[flag];
    if (value !== undefined) terms.push(`${flag} = ${value === 1 ? 1 : 0}`);
  }
  if (filter.blocked !== undefined) terms.push(`blocked = ${filter.blocked === 1 ? 1 : 0}`);
  if (filter.fromUs !== undefined) terms.push(`created_at >= ${params.add(filter.fromUs)}::bigint`);
  if (filter.toUs !== undefined) terms.push(`created_at <= ${params.add(filter.toUs)}::bigint`);
  if (filter.reportedFromUs !== undefined) terms.push(`reported_at >= ${params.add(filter.reportedFromUs)}::bigint`);
  if (filter.reportedToUs !== undefined) terms.push(`reported_at <= ${params.add(filter.reportedToUs)}::bigint`);
  if (filter.recordFromUs !== undefined) terms.push(`${RECORD_TIME_SQL} >= ${params.add(filter.recordFromUs)}::bigint`);
  if (filter.recordToUs !== undefined) terms.push(`${RECORD_TIME_SQL} <= ${params.add(filter.recordToUs)}::bigint`);
  return terms.length > 0 ? terms.join(' AND ') : 'TRUE';
}

/**
 * A text value as the store keeps it: PostgreSQL text cannot hold U+0000, so records are stored
 * with U+FFFD in its place (nul-text.ts); a filter value gets the same replacement, so it finds
 * them instead of failing the statement.
 */
function storedText(value: string): string {
  return value.replaceAll('\u0000', '\uFFFD');
}

function productTerm(ids: readonly number[] | null, params: PgParams): string | null {
  if (ids === null) return null;
  if (ids.length === 0) return 'FALSE';
  if (ids.length === 1) return `product_id = ${params.add(ids[0])}::bigint`;
  return `product_id = ANY(${params.add([...ids])}::bigint[])`;
}
