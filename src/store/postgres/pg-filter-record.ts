import type { FieldErrors, ReportFlags, TelemetryRecord } from '../../model/record.js';
import { TELEMETRY_SELECT } from '../contract/telemetry-columns.js';

/** Every telemetry column, as a TelemetryRecord names it (`created_at` → `created_at_us`): the store's one list. */
export const PG_TELEMETRY_COLUMNS = TELEMETRY_SELECT;

/**
 * A telemetry row as `pg` returns it. bigint may come back as a string (pg's default) or a
 * number (when int8 parsing is switched on); json as an object (pg's default) or text.
 */
export interface PgTelemetryRow {
  id: number | string;
  api_key_id: number | string | null;
  product_id: number | string | null;
  user_identifier: string | null;
  license_key: string | null;
  activation_identifier: string | null;
  product_version: string | null;
  data_type: string | null;
  data_group: string | null;
  data: string | null;
  numeric_data_single_value: number | null;
  numeric_data_x: number | null;
  numeric_data_y: number | null;
  text_data: string | null;
  is_correct_format: number;
  product_exists: number;
  license_key_exists: number;
  product_version_exists: number;
  activation_exists: number;
  license_active: number;
  has_red_flags: number;
  blocked: number;
  errors: unknown;
  metadata: unknown;
  client_ip: string | null;
  created_at_us: number | string;
}

/** The record a row holds, shaped exactly as the SQLite store returns it. */
export function pgRowToRecord(row: PgTelemetryRow): TelemetryRecord {
  return {
    id: Number(row.id),
    api_key_id: nullableNumber(row.api_key_id),
    product_id: nullableNumber(row.product_id),
    user_identifier: row.user_identifier,
    license_key: row.license_key,
    activation_identifier: row.activation_identifier,
    product_version: row.product_version,
    data_type: row.data_type,
    data_group: row.data_group,
    data: row.data,
    numeric_data_single_value: row.numeric_data_single_value,
    numeric_data_x: row.numeric_data_x,
    numeric_data_y: row.numeric_data_y,
    text_data: row.text_data,
    is_correct_format: flag(row.is_correct_format),
    product_exists: flag(row.product_exists),
    license_key_exists: flag(row.license_key_exists),
    product_version_exists: flag(row.product_version_exists),
    activation_exists: flag(row.activation_exists),
    license_active: flag(row.license_active),
    has_red_flags: flag(row.has_red_flags),
    blocked: flag(row.blocked),
    errors: json(row.errors) as FieldErrors,
    metadata: json(row.metadata) as Record<string, unknown>,
    client_ip: row.client_ip,
    created_at_us: Number(row.created_at_us),
  };
}

function nullableNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function flag(value: number): ReportFlags['has_red_flags'] {
  return Number(value) === 1 ? 1 : 0;
}

function json(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}
