import type { NewTelemetryRecord } from '../../src/model/record.js';

/** Text that breaks naive CSV writers: separators, quotes, both line breaks, and non-ASCII. */
export const AWKWARD_TEXT = 'Zoë, "the tester"\r\nsecond line\nthird 😀 日本語 =SUM(A1)';

/** A stored report for export tests; `i` makes each one distinct. */
export function exportRecord(i: number, overrides: Partial<NewTelemetryRecord> = {}): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: 1, user_identifier: `user-${i}`, license_key: 'LIC', activation_identifier: 'act', product_version: '1.0.0',
    data_type: 'numeric-single-value', data_group: 'g', data: String(i), numeric_data_single_value: i, numeric_data_x: null,
    numeric_data_y: null, text_data: null, is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1,
    activation_exists: 1, license_active: 1, has_red_flags: 0, errors: {}, metadata: {}, client_ip: '203.0.113.9', blocked: 0,
    created_at_us: Date.UTC(2024, 1, 27) * 1000 + i, reported_at_us: null, ...overrides,
  };
}

/** A text report full of awkward characters, with errors and metadata to nest. */
export function awkwardRecord(i: number): NewTelemetryRecord {
  return exportRecord(i, {
    data_type: 'text', data: AWKWARD_TEXT, text_data: AWKWARD_TEXT, numeric_data_single_value: null, user_identifier: 'a,b',
    errors: { text_data: ['bad, "really"'] }, metadata: { note: 'line\nbreak', n: [1, 'two'] }, is_correct_format: 0, has_red_flags: 1,
  });
}
