import type { FieldErrors, ReportFlags, TelemetryRecord } from '../model/record.js';
import { isoFromMicros } from './iso-micros.js';

/** A stored record as the query API, the exports and NDJSON show it (CONTRACT §4). */
export interface PublicRecord extends ReportFlags {
  id: number;
  user_identifier: string | null;
  license_key: string | null;
  activation_identifier: string | null;
  product_id: number | null;
  product_version: string | null;
  data_type: string | null;
  data_group: string | null;
  data: string | null;
  numeric_data_single_value: number | null;
  numeric_data_x: number | null;
  numeric_data_y: number | null;
  text_data: string | null;
  /** Tally's addition to the published shape: 1 when the report matched the blocklist (answered 150). */
  blocked: 0 | 1;
  /** `[]` when the report had no errors (as the published API prints an empty map), else field → messages. */
  errors: FieldErrors | [];
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** The record's fields in the contract's key order: the order they go on the wire and into CSV. */
export const PUBLIC_RECORD_KEYS = [
  'id', 'user_identifier', 'license_key', 'activation_identifier', 'product_id', 'product_version',
  'data_type', 'data_group', 'data', 'numeric_data_single_value', 'numeric_data_x', 'numeric_data_y', 'text_data',
  'is_correct_format', 'license_key_exists', 'product_exists', 'product_version_exists', 'activation_exists',
  'license_active', 'has_red_flags', 'blocked', 'errors', 'metadata', 'created_at', 'updated_at',
] as const satisfies readonly (keyof PublicRecord)[];

/**
 * The public shape of a stored record: the contract's keys in its order, timestamps with six
 * fractional digits, and nothing internal (the API key id and the client's address stay in
 * the store). Records are never updated, so updated_at is created_at.
 */
export function publicRecord(r: TelemetryRecord): PublicRecord {
  const createdAt = isoFromMicros(r.created_at_us);
  return {
    id: r.id, user_identifier: r.user_identifier, license_key: r.license_key, activation_identifier: r.activation_identifier,
    product_id: r.product_id, product_version: r.product_version, data_type: r.data_type, data_group: r.data_group,
    data: r.data, numeric_data_single_value: r.numeric_data_single_value, numeric_data_x: r.numeric_data_x,
    numeric_data_y: r.numeric_data_y, text_data: r.text_data,
    is_correct_format: r.is_correct_format, license_key_exists: r.license_key_exists, product_exists: r.product_exists,
    product_version_exists: r.product_version_exists, activation_exists: r.activation_exists,
    license_active: r.license_active, has_red_flags: r.has_red_flags, blocked: r.blocked,
    errors: Object.keys(r.errors).length === 0 ? [] : r.errors,
    metadata: r.metadata,
    created_at: createdAt,
    updated_at: createdAt,
  };
}
