import type { NewTelemetryRecord } from '../../model/record.js';
import type { ColumnType } from '../../model/record-columns.js';
import { bindableValue, columnValues, WRITTEN_COLUMNS } from '../contract/telemetry-columns.js';

/** The PostgreSQL type of each column type (the type checker wants every one). */
const PG_TYPES: Readonly<Record<ColumnType, string>> = {
  id: 'bigint', real: 'float8', text: 'text', flag: 'smallint', micros: 'bigint', 'field-errors': 'json', 'json-object': 'json',
};

/** The PostgreSQL type of each column, in TELEMETRY_INSERT_COLUMNS order (store/contract/telemetry-columns.ts). */
export const UNNEST_TYPES: readonly string[] = WRITTEN_COLUMNS.map((column) => PG_TYPES[column.type]);

/** One array per column, in TELEMETRY_INSERT_COLUMNS order: the parameters of the unnest INSERT. */
export function telemetryArrays(records: readonly NewTelemetryRecord[]): unknown[][] {
  const columns: unknown[][] = UNNEST_TYPES.map(() => new Array<unknown>(records.length));
  for (let i = 0; i < records.length; i++) {
    const values = columnValues(records[i]!);
    for (let c = 0; c < values.length; c++) columns[c]![i] = bindableValue(values[c] ?? null);
  }
  return columns;
}
