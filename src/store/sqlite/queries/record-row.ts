import { compileObjectMapper } from '../../../model/compiled-mapper.js';
import type { TelemetryRecord } from '../../../model/record.js';
import { isJson, RECORD_COLUMNS } from '../../../model/record-columns.js';

/** A telemetry row selected with TELEMETRY_SELECT: JSON columns as text, flags as 0/1, every other value as the record holds it. */
export type TelemetryRow = Readonly<Record<string, unknown>>;

/** The record a row holds: the JSON columns parsed, the rest as SQLite returns them (compiled from the column table). */
export const toTelemetryRecord: (row: TelemetryRow) => TelemetryRecord = compileObjectMapper<TelemetryRow, TelemetryRecord>(
  RECORD_COLUMNS.map((column) => ({ key: column.field, from: column.field, convert: isJson(column) ? parseJson : undefined })),
);

function parseJson(text: string): unknown {
  return JSON.parse(text);
}
