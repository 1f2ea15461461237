import { compileArrayMapper } from '../../model/compiled-mapper.js';
import type { NewTelemetryRecord } from '../../model/record.js';
import { isWritten, RECORD_COLUMNS, sqlName, type SqlNameOf, type WrittenRecordColumn } from '../../model/record-columns.js';

/** The columns every INSERT writes, in the column table's order (all but the generated id). */
export const WRITTEN_COLUMNS: readonly WrittenRecordColumn[] = RECORD_COLUMNS.filter(isWritten);

/** The telemetry table's written columns by SQL name, in the one order both backends' INSERTs use. */
export const TELEMETRY_INSERT_COLUMNS = WRITTEN_COLUMNS.map(sqlName) as readonly SqlNameOf<WrittenRecordColumn>[];

/**
 * A text report's value is stored once, in `text_data`: its `data` (the value as sent, the same
 * text) is stored as NULL and read back as this expression, so a 64 KiB text costs 64 KiB and not
 * twice that (issue 16 item 6). Records stored before keep their own copy, which is read as it is.
 * The one record shape this cannot tell apart is a text report with no `data` of its own but a
 * `text_data`, which ingest never makes: it reads back with `data` = `text_data`.
 */
export const DATA_READ_SQL = "COALESCE(data, CASE WHEN data_type = 'text' THEN text_data END)";

/** The SELECT list giving a TelemetryRecord's fields per row (`created_at AS created_at_us`, `data` as DATA_READ_SQL). */
export const TELEMETRY_SELECT = RECORD_COLUMNS.map((column) => {
  const sql = sqlName(column);
  if (sql === 'data') return `${DATA_READ_SQL} AS data`;
  return sql === column.field ? sql : `${sql} AS ${column.field}`;
}).join(', ');

/** A column value; an object (errors, metadata) is stored as its JSON text. */
export type ColumnValue = string | number | null | object;

/**
 * A record's values in TELEMETRY_INSERT_COLUMNS order; errors and metadata stay objects until
 * bound. The ingest hot path: compiled once from the column table (model/compiled-mapper.ts).
 */
const recordValues: (r: NewTelemetryRecord) => ColumnValue[] = compileArrayMapper<NewTelemetryRecord, ColumnValue>(
  WRITTEN_COLUMNS.map((column) => column.field),
);

const DATA_COLUMN = TELEMETRY_INSERT_COLUMNS.indexOf('data');

/**
 * A record's values in TELEMETRY_INSERT_COLUMNS order, as stored: a text report's `data`, which
 * repeats its `text_data`, as NULL (read back through DATA_READ_SQL). Both backends' INSERTs bind these.
 */
export function columnValues(record: NewTelemetryRecord): ColumnValue[] {
  const values = recordValues(record);
  if (record.data_type === 'text' && record.data !== null && record.data === record.text_data) values[DATA_COLUMN] = null;
  return values;
}

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
