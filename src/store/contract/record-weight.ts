import type { PageRequest } from '../../model/filter.js';

/**
 * The text fields a record's weight counts: every public text column. Their length (UTF-16 units
 * in SQLite, UTF-8 bytes in PostgreSQL) is at most the bytes they take in the record's JSON.
 */
export const WEIGHED_TEXT_FIELDS = [
  'user_identifier', 'license_key', 'activation_identifier', 'product_version', 'data_type', 'data_group', 'data', 'text_data',
] as const;

/** The JSON columns a weight counts by the length of their stored JSON text (the text the public record shows). */
export const WEIGHED_JSON_FIELDS = ['errors', 'metadata'] as const;

/**
 * What every record weighs besides its texts: no more than its public JSON's keys, flags and
 * times take (test/store/record-weight.test.ts checks that a record with empty texts is larger).
 */
export const RECORD_BASE_WEIGHT = 256;

/**
 * A lower bound on the bytes a record takes in an answer, cheap enough for a store to compute
 * while it reads (an answer's exact size is known only once it is shaped). Weights let a store
 * stop reading a page of huge records early (PageRequest.maxBytes), so a page of 1,000 × 64 KiB
 * reports is never held in memory to be cut afterwards.
 */
export function rowWeight(row: Readonly<Record<string, unknown>>): number {
  let weight = RECORD_BASE_WEIGHT;
  for (const field of WEIGHED_TEXT_FIELDS) weight += lengthOf(row[field]);
  for (const field of WEIGHED_JSON_FIELDS) weight += lengthOf(row[field]);
  return weight;
}

function lengthOf(value: unknown): number {
  return typeof value === 'string' ? value.length : 0;
}

/**
 * Keeps the leading rows PageRequest.maxBytes allows: every row while the weight before it is
 * under the bound, and the one row after the bound is reached (the lookahead). For rows already
 * in id order, weighed by `weightOf` (rowWeight on a row, or a store's own figure), and at most
 * `page.limit` of them. Stops taking from `rows` as soon as it has them: a statement iterated
 * here is not read further.
 */
export function withinWeight<T>(rows: Iterable<T>, page: PageRequest, weightOf: (row: T) => number): T[] {
  const max = page.maxBytes ?? Infinity;
  let before = 0;
  let reached = false;
  const kept: T[] = [];
  for (const row of rows) {
    if (kept.length >= page.limit) break;
    kept.push(row);
    if (reached) break;
    before += weightOf(row);
    reached = before >= max;
  }
  return kept;
}
