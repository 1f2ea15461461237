import type { NewTelemetryRecord } from '../../telemetry/record.js';

/** Column order shared by the INSERT's placeholders and `toInsertRow`. */
export const INSERT_COLUMNS = [
  'api_key_id', 'product_id', 'user_identifier', 'license_key', 'activation_identifier', 'product_version',
  'data_type', 'data_group', 'data', 'numeric_data_single_value', 'numeric_data_x', 'numeric_data_y', 'text_data',
  'is_correct_format', 'product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists',
  'license_active', 'has_red_flags', 'blocked', 'errors', 'metadata', 'client_ip', 'created_at',
] as const;

/** A column value; an object (errors, metadata) is stored as its JSON text. */
export type InsertValue = string | number | null | object;

/**
 * A record as the INSERT binds it: the INSERT_COLUMNS values in order. Errors and metadata stay
 * objects until the writer binds them, so that a batch sent to the writer thread is one
 * JSON.stringify on the HTTP thread, not two more per record with their text escaped again.
 */
export type InsertRow = readonly InsertValue[];

/** Where created_at sits in an InsertRow. */
export const CREATED_AT = INSERT_COLUMNS.length - 1;

/**
 * Records as the writer binds them: a row each, and each one's event_id (or null). Plain JSON
 * values only, so that a batch crosses to the writer thread as one JSON string (writer-thread.ts).
 */
export interface InsertBatch {
  rows: InsertRow[];
  eventIds: (string | null)[];
}

export function toInsertBatch(records: readonly NewTelemetryRecord[]): InsertBatch {
  return { rows: records.map(toInsertRow), eventIds: records.map((r) => r.event_id ?? null) };
}

function toInsertRow(r: NewTelemetryRecord): InsertRow {
  return [
    r.api_key_id, r.product_id, r.user_identifier, r.license_key, r.activation_identifier, r.product_version,
    r.data_type, r.data_group, r.data, r.numeric_data_single_value, r.numeric_data_x, r.numeric_data_y, r.text_data,
    r.is_correct_format, r.product_exists, r.license_key_exists, r.product_version_exists, r.activation_exists,
    r.license_active, r.has_red_flags, r.blocked, r.errors, r.metadata, r.client_ip,
    r.created_at_us,
  ];
}
