import type { ReportFlags } from './record.js';
import { RECORD_COLUMNS, sqlName, type Column } from './record-columns.js';

type TextFilterColumn = Extract<Column, { textFilter: string }>;

/** A field per text filter of the column table (`dataType`, `userIdentifier`, …): records whose column equals it. */
type TextFilters = { [C in TextFilterColumn as C['textFilter']]?: string };

/**
 * Which stored records a query, an export or a summary is about (CONTRACT §4 filters, already
 * validated). Every field is optional; absent = no condition. Shared by all backends.
 */
export interface TelemetryFilter extends TextFilters {
  /**
   * The products the records must belong to: the `product_id` filter intersected with the API
   * key's product scope. null = any product (no filter and an unscoped key); an empty array
   * matches nothing.
   */
  productIds: readonly number[] | null;
  flags?: Partial<Record<keyof ReportFlags, 0 | 1>>;
  /** The `blocked` flag (Tally's own, not one of the checks behind has_red_flags). */
  blocked?: 0 | 1;
  /**
   * created_at bounds, microseconds since the epoch, inclusive. A caller that bounds reported_at
   * or the record time also sets the created_at bounds those imply (model/record-time.ts,
   * createdAtBounds), so that the store narrows by its created_at indexes and partitions.
   */
  fromUs?: number;
  toUs?: number;
  /** reported_at bounds (µs, inclusive): only records that carry a reported_at in them. */
  reportedFromUs?: number;
  reportedToUs?: number;
  /** Bounds of the record's time, reported_at when present else created_at (µs, inclusive; RECORD_TIME_SQL). */
  recordFromUs?: number;
  recordToUs?: number;
}

/** Keyset paging: records with id > afterId, ordered by id, at most limit. */
export interface PageRequest {
  afterId: number;
  limit: number;
  /**
   * A bound on the bytes read (store/contract/record-weight.ts): the page also ends once the
   * weights of its records reach it, with ONE more record after that (a lookahead, as `limit + 1`
   * is). So the first two records always come, whatever their weight, and no record is read
   * after the weights of those before it reached the bound. Absent = no bound.
   */
  maxBytes?: number;
}

/** The text filters and the column each one compares by equality, in column order; both backends build their SQL from this list. */
export const TEXT_FILTERS: readonly (readonly [keyof TextFilters, string])[] = RECORD_COLUMNS.flatMap((column) =>
  'textFilter' in column ? [[column.textFilter, sqlName(column)] as const] : [],
);
