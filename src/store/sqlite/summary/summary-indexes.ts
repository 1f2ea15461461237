import { SUMMARY_RECORDS } from '../../contract/summary-records.js';

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
