import type { NewTelemetryRecord } from '../../telemetry/record.js';
import { columnValues, TELEMETRY_INSERT_COLUMNS, type ColumnValue } from '../telemetry-columns.js';

/**
 * A record as the INSERT binds it: the TELEMETRY_INSERT_COLUMNS values in order. Errors and
 * metadata stay objects until the writer binds them, so that a batch sent to the writer thread is
 * one JSON.stringify on the HTTP thread, not two more per record with their text escaped again.
 */
export type InsertRow = readonly ColumnValue[];

/** Where created_at sits in an InsertRow. */
export const CREATED_AT = TELEMETRY_INSERT_COLUMNS.length - 1;

/**
 * Records as the writer binds them: a row each, and each one's event_id (or null). Plain JSON
 * values only, so that a batch crosses to the writer thread as one JSON string (writer-thread.ts).
 */
export interface InsertBatch {
  rows: InsertRow[];
  eventIds: (string | null)[];
}

export function toInsertBatch(records: readonly NewTelemetryRecord[]): InsertBatch {
  return { rows: records.map(columnValues), eventIds: records.map((r) => r.event_id ?? null) };
}
