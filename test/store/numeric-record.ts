import type { NewTelemetryRecord } from '../../src/model/record.js';

/** A correct numeric report whose data is `i`, as the SQLite writer tests insert it; override what a test is about. */
export function numericRecord(i: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: 1, user_identifier: 'u', license_key: 'k', activation_identifier: 'a', product_version: '1.0',
    data_type: 'numeric-single-value', data_group: 'g', data: String(i), numeric_data_single_value: i, numeric_data_x: null,
    numeric_data_y: null, text_data: null, is_correct_format: 1, product_exists: 1, license_key_exists: 1,
    product_version_exists: 1, activation_exists: 1, license_active: 1, has_red_flags: 0, blocked: 0, errors: {},
    metadata: {}, client_ip: '127.0.0.1', created_at_us: 1_700_000_000_000_000, reported_at_us: null, ...overrides,
  };
}
