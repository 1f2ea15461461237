import { compileArrayMapper } from '../../model/compiled-mapper.js';
import type { NewTelemetryRecord } from '../../model/record.js';
import { isWritten, RECORD_COLUMNS, sqlName, type SqlNameOf, type WrittenRecordColumn } from '../../model/record-columns.js';

/** The columns every INSERT writes, in the column table's order (all but the generated id). */
export const WRITTEN_COLUMNS: readonly WrittenRecordColumn[] = RECORD_COLUMNS.filter(isWritten);

/** The telemetry table's written columns by SQL name, in the one order both backends' INSERTs use. */
export const TELEMETRY_INSERT_COLUMNS = WRITTEN_COLUMNS.map(sqlName) as readonly SqlNameOf<WrittenRecordColumn>[];

/** The SELECT list giving a TelemetryRecord's fields per row (`created_at AS created_at_us`). */
export const TELEMETRY_SELECT = RECORD_COLUMNS.map((column) => {
  const sql = sqlName(column);
  return sql === column.field ? sql : `${sql} AS ${column.field}`;
}).join(', ');

/** A column value; an object (errors, metadata) is stored as its JSON text. */
export type ColumnValue = string | number | null | object;

/**
 * A record's values in TELEMETRY_INSERT_COLUMNS order; errors and metadata stay objects until
 * bound. The ingest hot path: compiled once from the column table (model/compiled-mapper.ts).
 */
export const columnValues: (r: NewTelemetryRecord) => ColumnValue[] = compileArrayMapper<NewTelemetryRecord, ColumnValue>(
  WRITTEN_COLUMNS.map((column) => column.field),
);

/** How a column value is bound as a parameter: an object as its JSON text. */
export function bindableValue(value: ColumnValue): string | number | null {
  if (typeof value !== 'object' || value === null) return value;
  // Most records' errors and metadata are empty: their text without JSON.stringify.
  return isEmpty(value) ? '{}' : JSON.stringify(value);
}

function isEmpty(value: object): boolean {
  if (Array.isArray(value)) return false;
  for (const _ in value) return false;
  return true;
}
