import type { NewTelemetryRecord } from '../../telemetry/record.js';

/** The PostgreSQL type of each column, in TELEMETRY_INSERT_COLUMNS order (row-mapping.ts). */
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
    const values = rowValues(records[i]!);
    for (let c = 0; c < values.length; c++) columns[c]![i] = values[c];
  }
  return columns;
}

function rowValues(r: NewTelemetryRecord): unknown[] {
  return [
    r.api_key_id, r.product_id, r.user_identifier, r.license_key, r.activation_identifier, r.product_version,
    r.data_type, r.data_group, r.data, r.numeric_data_single_value, r.numeric_data_x, r.numeric_data_y, r.text_data,
    r.is_correct_format, r.product_exists, r.license_key_exists, r.product_version_exists, r.activation_exists,
    r.license_active, r.has_red_flags, r.blocked, JSON.stringify(r.errors), JSON.stringify(r.metadata), r.client_ip,
    r.created_at_us,
  ];
}
