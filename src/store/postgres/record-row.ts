import { compileObjectMapper, type Converter } from '../../model/compiled-mapper.js';
import type { TelemetryRecord } from '../../model/record.js';
import { RECORD_COLUMNS, type ColumnType, type RecordColumn } from '../../model/record-columns.js';
/**
 * A telemetry row as `pg` returns it. bigint may come back as a string (pg's default) or a
 * number (when int8 parsing is switched on); json as an object (pg's default) or text.
 */
export type PgTelemetryRow = Readonly<Record<string, unknown>>;

/** How a value of each column type is read from a row; absent = as pg returns it. */
const READ: Partial<Record<ColumnType, Converter>> = {
  id: Number,
  micros: Number,
  flag,
  'field-errors': json,
  'json-object': json,
};

function readerOf(column: RecordColumn): Converter | undefined {
  if ((column.type === 'id' || column.type === 'micros') && column.nullable) return nullableNumber;
  return READ[column.type];
}

/** The record a row holds, shaped exactly as the SQLite store returns it (compiled from the column table). */
export const pgRowToRecord: (row: PgTelemetryRow) => TelemetryRecord = compileObjectMapper<PgTelemetryRow, TelemetryRecord>(
  RECORD_COLUMNS.map((column) => ({ key: column.field, from: column.field, convert: readerOf(column) })),
);

function nullableNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function flag(value: number): 0 | 1 {
  return Number(value) === 1 ? 1 : 0;
}

function json(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}
