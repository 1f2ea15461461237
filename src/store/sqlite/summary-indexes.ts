/**
 * The partial indexes a summary reads (migration 5, `summary-indexes`) and their WHERE clauses.
 * A query must contain the WHERE verbatim for SQLite to use a partial index. Every clean record
 * is in exactly one of the three data-type indexes (a clean record has a correctly typed
 * value), and every red-flagged record is in the flagged one: the per-day counts rely on that.
 */
export interface SummaryIndex {
  index: string;
  where: string;
}

export const NUMERIC_RECORDS: SummaryIndex = {
  index: 'telemetry_summary_numeric',
  where: "data_type = 'numeric-single-value' AND numeric_data_single_value IS NOT NULL",
};

export const XY_RECORDS: SummaryIndex = {
  index: 'telemetry_summary_xy',
  where: "data_type = 'numeric-xy-axis' AND numeric_data_x IS NOT NULL AND numeric_data_y IS NOT NULL",
};

export const TEXT_RECORDS: SummaryIndex = {
  index: 'telemetry_summary_text',
  where: "data_type = 'text' AND text_data IS NOT NULL",
};

export const FLAGGED_RECORDS: SummaryIndex = {
  index: 'telemetry_summary_flagged',
  where: 'has_red_flags = 1',
};

export const TYPED_RECORDS: readonly SummaryIndex[] = [NUMERIC_RECORDS, XY_RECORDS, TEXT_RECORDS];
