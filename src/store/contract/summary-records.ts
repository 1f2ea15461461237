/**
 * Which records each part of a summary reads, the same on every backend. SQLite's partial
 * summary indexes (migration 5) are defined by these very conditions, and a query must repeat
 * them verbatim for SQLite to use the index. Every clean record matches exactly one of the
 * three data-type conditions (a clean record has a correctly typed value), and every red-flagged
 * record the flagged one: the per-day counts rely on that.
 */
export const SUMMARY_RECORDS = {
  numeric: "data_type = 'numeric-single-value' AND numeric_data_single_value IS NOT NULL",
  xy: "data_type = 'numeric-xy-axis' AND numeric_data_x IS NOT NULL AND numeric_data_y IS NOT NULL",
  text: "data_type = 'text' AND text_data IS NOT NULL",
  flagged: 'has_red_flags = 1',
} as const;

