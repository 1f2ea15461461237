import type { NewTelemetryRecord } from '../../telemetry/record.js';
import { bindableValue, columnValues, TELEMETRY_INSERT_COLUMNS } from '../telemetry-columns.js';

/** A column value as SQLite binds it: errors and metadata as their JSON text. */
export type BindValue = string | number | null;

/** Where created_at sits among TELEMETRY_INSERT_COLUMNS. */
export const CREATED_AT = TELEMETRY_INSERT_COLUMNS.length - 1;

const ALL_COLUMNS: readonly number[] = TELEMETRY_INSERT_COLUMNS.map((_, column) => column);

/**
 * Records as the writer binds them, with what they have in common written once. `shared` holds
 * every column's value in the first record; `varying` lists, ascending, the columns whose value
 * differs in some record, and `rows` holds those columns' values, a row per record. The usual
 * batch comes from one installation (one product, license, activation and version, one request's
 * time and address), so only its data columns vary: it crosses to the writer thread as a short
 * JSON string, and the writer binds each shared value once per statement instead of once per row
 * (telemetry-writer.ts; docs/performance.md "Batch ingestion, third pass").
 * Plain JSON values only, so that a batch crosses to the writer thread as one JSON string.
 */
export interface InsertBatch {
  shared: BindValue[];
  varying: number[];
  rows: BindValue[][];
  /** Each record's event_id, or null. */
  eventIds: (string | null)[];
}

/** A single record shares nothing with another, so every column is "varying": one row, bound as is. */
export function toInsertBatch(records: readonly NewTelemetryRecord[]): InsertBatch {
  const full = records.map(bindableRow);
  const first = full[0] ?? [];
  const varying = full.length < 2 ? [...ALL_COLUMNS] : ALL_COLUMNS.filter((column) => differs(full, column));
  return {
    shared: varying.length === ALL_COLUMNS.length ? [] : first,
    varying,
    rows: varying.length === ALL_COLUMNS.length ? full : full.map((row) => varying.map((column) => row[column] ?? null)),
    eventIds: records.map((r) => r.event_id ?? null),
  };
}

/** A record's column values as bound, in TELEMETRY_INSERT_COLUMNS order (converted in place). */
function bindableRow(record: NewTelemetryRecord): BindValue[] {
  const values = columnValues(record);
  for (let column = 0; column < values.length; column++) {
    const value = values[column];
    if (value === undefined) values[column] = null;
    else if (typeof value === 'object' && value !== null) values[column] = bindableValue(value);
  }
  return values as BindValue[];
}

function differs(rows: readonly BindValue[][], column: number): boolean {
  const value = (rows[0] as BindValue[])[column];
  for (let i = 1; i < rows.length; i++) if ((rows[i] as BindValue[])[column] !== value) return true;
  return false;
}

/** Record `index`'s value of `column`. */
export function valueOf(batch: InsertBatch, index: number, column: number): BindValue {
  const at = batch.varying.indexOf(column);
  return at === -1 ? (batch.shared[column] ?? null) : ((batch.rows[index] as BindValue[])[at] ?? null);
}
