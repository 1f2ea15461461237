/**
 * Telemetry columns as PostgreSQL returns them. With int8 parsed to numbers (connection.ts), json
 * parsed by pg and flags as smallint, a row selected with TELEMETRY_SELECT already has the domain
 * shape of TelemetryRecord: only the created_at alias is needed, and only this file knows that.
 */
export const TELEMETRY_INSERT_COLUMNS = [
  'api_key_id', 'product_id', 'user_identifier', 'license_key', 'activation_identifier', 'product_version',
  'data_type', 'data_group', 'data', 'numeric_data_single_value', 'numeric_data_x', 'numeric_data_y', 'text_data',
  'is_correct_format', 'product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists',
  'license_active', 'has_red_flags', 'blocked', 'errors', 'metadata', 'client_ip', 'created_at',
] as const;

/** The SELECT list giving a TelemetryRecord per row. */
export const TELEMETRY_SELECT = ['id', ...TELEMETRY_INSERT_COLUMNS.slice(0, -1), 'created_at AS created_at_us'].join(', ');
