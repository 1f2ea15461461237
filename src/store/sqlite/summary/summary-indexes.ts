import { SUMMARY_RECORDS } from '../../contract/summary-records.js';
import type { AlertKind } from '../../contract/flagged-counts-sql.js';

/**
 * The partial indexes a summary reads (migration 5, `summary-indexes`) and their WHERE clauses,
 * the conditions of every backend's summary (contract/summary-records.ts). A query must contain
 * the WHERE verbatim for SQLite to use a partial index.
 */
export interface SummaryIndex {
  index: string;
  where: string;
}

export const NUMERIC_RECORDS: SummaryIndex = {
  index: 'telemetry_summary_numeric',
  where: SUMMARY_RECORDS.numeric,
};

export const XY_RECORDS: SummaryIndex = {
  index: 'telemetry_summary_xy',
  where: SUMMARY_RECORDS.xy,
};

export const TEXT_RECORDS: SummaryIndex = {
  index: 'telemetry_summary_text',
  where: SUMMARY_RECORDS.text,
};

export const FLAGGED_RECORDS: SummaryIndex = {
  index: 'telemetry_summary_flagged',
  where: SUMMARY_RECORDS.flagged,
};

export const TYPED_RECORDS: readonly SummaryIndex[] = [NUMERIC_RECORDS, XY_RECORDS, TEXT_RECORDS];

/**
 * The partial indexes of red-flagged records by license key and by user identifier (migration 25,
 * `alert-candidates`), which the piracy alerts' walk reads a page of values from at a time
 * (contract/alert-walk.ts): named, so that the planner does not take the summary's index by time.
 */
export const FLAGGED_BY_VALUE = (kind: AlertKind): string => `telemetry INDEXED BY telemetry_flagged_${kind}`;
