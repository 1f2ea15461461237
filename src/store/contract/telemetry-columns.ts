import type { NewTelemetryRecord } from '../../model/record.js';

/** The telemetry table's written columns, in the one order both backends' INSERTs use. */
export const TELEMETRY_INSERT_COLUMNS = [
  'api_key_id', 'product_id', 'user_identifier', 'license_key', 'activation_identifier', 'product_version',
  'data_type', 'data_group', 'data', 'numeric_data_single_value', 'numeric_data_x', 'numeric_data_y', 'text_data',
  'is_correct_format', 'product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists',
  'license_active', 'has_red_flags', 'blocked', 'errors', 'metadata', 'client_ip', 'created_at',
] as const;

/** The SELECT list giving a TelemetryRecord's fields per row (created_at is microseconds). */
export const TELEMETRY_SELECT = ['id', ...TELEMETRY_INSERT_COLUMNS.slice(0, -1), 'created_at AS created_at_us'].join(', ');

/** A column value; an object (errors, metadata) is stored as its JSON text. */
export type ColumnValue = string | number | null | object;

/** A record's values in TELEMETRY_INSERT_COLUMNS order; errors and metadata stay objects until bound. */
export function columnValues(r: NewTelemetryRecord): ColumnValue[] {
  return [
    r.api_key_id, r.product_id, r.user_identifier, r.license_key, r.activation_identifier, r.product_version,
    r.data_type, r.data_group, r.data, r.numeric_data_single_value, r.numeric_data_x, r.numeric_data_y, r.text_data,
    r.is_correct_format, r.product_exists, r.license_key_exists, r.product_version_exists, r.activation_exists,
    r.license_active, r.has_red_flags, r.blocked, r.errors, r.metadata, r.client_ip,
    r.created_at_us,
  ];
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
