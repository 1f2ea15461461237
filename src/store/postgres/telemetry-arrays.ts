import type { NewTelemetryRecord } from '../../telemetry/record.js';
import { bindableValue, columnValues } from '../telemetry-columns.js';

/** The PostgreSQL type of each column, in TELEMETRY_INSERT_COLUMNS order (store/telemetry-columns.ts). */
export const UNNEST_TYPES = [
  'bigint', 'bigint', 'text', 'text', 'text', 'text',
  'text', 'text', 'text', 'float8', 'float8', 'float8', 'text',
  'smallint', 'smallint', 'smallint', 'smallint', 'smallint',
  'smallint', 'smallint', 'smallint', 'json', 'json', 'text', 'bigint',
] as const;

/** One array per column, in TELEMETRY_INSERT_COLUMNS order: the parameters of the unnest INSERT. */
export function telemetryArrays(records: readonly NewTelemetryRecord[]): unknown[][] {
  const columns: unknown[][] = UNNEST_TYPES.map(() => new Array<unknown>(records.length));
  for (let i = 0; i < records.length; i++) {
    const values = columnValues(records[i]!);
    for (let c = 0; c < values.length; c++) columns[c]![i] = bindableValue(values[c] ?? null);
  }
  return columns;
}
