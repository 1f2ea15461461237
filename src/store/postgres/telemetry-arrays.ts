import type { NewTelemetryRecord } from '../../model/record.js';
import { bindableValue, columnValues, TELEMETRY_INSERT_COLUMNS } from '../contract/telemetry-columns.js';

/** The PostgreSQL type of each written column, by name (the type checker wants every one). */
const PG_TYPES: Readonly<Record<(typeof TELEMETRY_INSERT_COLUMNS)[number], string>> = {
  api_key_id: 'bigint', product_id: 'bigint', user_identifier: 'text', license_key: 'text', activation_identifier: 'text',
  product_version: 'text', data_type: 'text', data_group: 'text', data: 'text', numeric_data_single_value: 'float8',
  numeric_data_x: 'float8', numeric_data_y: 'float8', text_data: 'text', is_correct_format: 'smallint',
  product_exists: 'smallint', license_key_exists: 'smallint', product_version_exists: 'smallint',
  activation_exists: 'smallint', license_active: 'smallint', has_red_flags: 'smallint', blocked: 'smallint',
  errors: 'json', metadata: 'json', client_ip: 'text', created_at: 'bigint',
};

/** The PostgreSQL type of each column, in TELEMETRY_INSERT_COLUMNS order (store/telemetry-columns.ts). */
export const UNNEST_TYPES: readonly string[] = TELEMETRY_INSERT_COLUMNS.map((column) => PG_TYPES[column]);

/** One array per column, in TELEMETRY_INSERT_COLUMNS order: the parameters of the unnest INSERT. */
export function telemetryArrays(records: readonly NewTelemetryRecord[]): unknown[][] {
  const columns: unknown[][] = UNNEST_TYPES.map(() => new Array<unknown>(records.length));
  for (let i = 0; i < records.length; i++) {
    const values = columnValues(records[i]!);
    for (let c = 0; c < values.length; c++) columns[c]![i] = bindableValue(values[c] ?? null);
  }
  return columns;
}
