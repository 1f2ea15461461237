/** The shapes a telemetry report takes on its way from the wire to the store. */

export const DATA_TYPES = ['numeric-xy-axis', 'numeric-single-value', 'text'] as const;
export type DataType = (typeof DATA_TYPES)[number];

/** The six checks stored with every record, plus their summary. 1 = check passed. */
export interface ReportFlags {
  is_correct_format: 0 | 1;
  product_exists: 0 | 1;
  license_key_exists: 0 | 1;
  product_version_exists: 0 | 1;
  activation_exists: 0 | 1;
  license_active: 0 | 1;
  has_red_flags: 0 | 1;
}

export const FLAG_NAMES = [
  'is_correct_format',
  'product_exists',
  'license_key_exists',
  'product_version_exists',
  'activation_exists',
  'license_active',
  'has_red_flags',
] as const satisfies readonly (keyof ReportFlags)[];

/** Field name → messages, in the contract's field order. Empty when the report is correct. */
export type FieldErrors = Record<string, string[]>;

/** A checked report, ready to be stored. Strings are trimmed; over-long values are kept whole. */
export interface NewTelemetryRecord extends ReportFlags {
  api_key_id: number | null;
  product_id: number | null;
  user_identifier: string | null;
  license_key: string | null;
  activation_identifier: string | null;
  product_version: string | null;
  data_type: string | null;
  data_group: string | null;
  /** The value as sent: the single value, the text, or `{"x":…,"y":…}` as JSON for xy. */
  data: string | null;
  numeric_data_single_value: number | null;
  numeric_data_x: number | null;
  numeric_data_y: number | null;
  text_data: string | null;
  errors: FieldErrors;
  /** Fields outside the contract's table, and raw values that did not fit their column. */
  metadata: Record<string, unknown>;
  client_ip: string | null;
  /**
   * Tally's own flag, apart from the contract's checks (it does not raise has_red_flags): 1 when
   * the client IP, user_identifier or license_key was on the blocklist; the answer was code 150.
   */
  blocked: 0 | 1;
  /** Microseconds since the Unix epoch. */
  created_at_us: number;
  /**
   * The client's idempotency key (a lowercase UUID), when it sent a valid one: the store keeps
   * only the first record per event_id. Write-only: stored records do not carry it back.
   */
  event_id?: string | null;
}

/** A stored record: what the store gives back. */
export interface TelemetryRecord extends NewTelemetryRecord {
  id: number;
}
