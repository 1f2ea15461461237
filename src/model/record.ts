/** The shapes a telemetry report takes on its way from the wire to the store; its fields come from record-columns.ts. */
import type { Column, FieldOfType, FieldsOf, WrittenRecordColumn } from './record-columns.js';

export type { FieldErrors } from './record-columns.js';

export const DATA_TYPES = ['numeric-xy-axis', 'numeric-single-value', 'text'] as const;
export type DataType = (typeof DATA_TYPES)[number];

/**
 * The six checks stored with every record, plus their summary, in the contract's order (the
 * order of the query API's error messages; the record's columns have their own). 1 = check passed.
 */
export const FLAG_NAMES = [
  'is_correct_format',
  'product_exists',
  'license_key_exists',
  'product_version_exists',
  'activation_exists',
  'license_active',
  'has_red_flags',
] as const satisfies readonly FieldOfType<'flag'>[];

export type ReportFlags = { [K in (typeof FLAG_NAMES)[number]]: 0 | 1 };

/**
 * A checked report, ready to be stored: a field per written column (RECORD_COLUMNS). Strings
 * are trimmed; over-long values are kept whole.
 */
export interface NewTelemetryRecord extends FieldsOf<WrittenRecordColumn> {
  /**
   * The client's idempotency key (a lowercase UUID), when it sent a valid one: the store keeps
   * only the first record per event_id. Write-only: stored records do not carry it back.
   */
  event_id?: string | null;
}

/** A stored record: what the store gives back, every column of RECORD_COLUMNS. */
export interface TelemetryRecord extends NewTelemetryRecord, FieldsOf<Exclude<Column, WrittenRecordColumn>> {}
