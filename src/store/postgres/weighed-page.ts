import type { PageRequest } from '../../model/filter.js';
import { RECORD_BASE_WEIGHT, WEIGHED_JSON_FIELDS, WEIGHED_TEXT_FIELDS } from '../contract/record-weight.js';
import { DATA_READ_SQL } from '../contract/telemetry-columns.js';
import type { PgParams } from './filter-condition.js';

/**
 * A row's weight (store/contract/record-weight.ts) in SQL: the UTF-8 bytes of its texts and JSON.
 * `octet_length` of a TOASTed text reads its size from the pointer, without fetching the value.
 */
export const WEIGHT_SELECT = [
  String(RECORD_BASE_WEIGHT),
  ...WEIGHED_TEXT_FIELDS.map((field) => `coalesce(octet_length(${field === 'data' ? DATA_READ_SQL : field}), 0)`),
  ...WEIGHED_JSON_FIELDS.map((field) => `octet_length(${field}::text)`),
].join(' + ') + ' AS row_weight';

/**
 * Wraps a page's SELECT (which selects WEIGHT_SELECT and orders by id) so that only the rows
 * PageRequest.maxBytes allows leave the server: a row while the weight of the rows before its
 * predecessor is under the bound, which is every row under the bound and one lookahead past it.
 * The rows cut off are never sent to Tally, so a page of huge records is not held in its memory.
 */
export function weighedPageSql(sql: string, page: PageRequest, params: PgParams): string {
  if (page.maxBytes === undefined) return sql;
  const before = 'SUM(row_weight) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING)';
  const weighed = `SELECT page.*, ${before} AS weight_before FROM (${sql}) AS page`;
  return `SELECT * FROM (${weighed}) AS weighed WHERE coalesce(weight_before, 0) < ${params.add(page.maxBytes)}::bigint ORDER BY id`;
}
