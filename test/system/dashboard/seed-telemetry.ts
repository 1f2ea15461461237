import type { Store } from '../../../src/store/contract/store.js';
import type { NewTelemetryRecord } from '../../../src/model/record.js';
import type { Seed } from '../../http/test-server.js';

const HOUR_US = 3_600_000_000;

/** What the dashboard should show for the seeded reports (all within the last 7 days). */
export interface SeededTelemetry {
  total: number;
  clean: number;
  flagged: number;
  /** product A, data group startup_ms: the single values sent. */
  startupValues: number[];
  /** red-flagged reports of the pirate license key. */
  pirateKey: string;
  pirateReports: number;
  textCounts: Record<string, number>;
}

function report(productId: number, overrides: Partial<NewTelemetryRecord>): NewTelemetryRecord {
  return {
    api_key_id: 1, product_id: productId, user_identifier: 'alice', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.1.0', data_type: 'numeric-single-value', data_group: 'startup_ms', data: null,
    numeric_data_single_value: null, numeric_data_x: null, numeric_data_y: null, text_data: null,
    is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1,
    has_red_flags: 0, blocked: 0, errors: {}, metadata: {}, client_ip: '203.0.113.7', created_at_us: 0, reported_at_us: null, ...overrides,
  };
}

/**
 * Reports of the test registry's products spread over the last five days: single values, xy
 * points and texts of product A, a pirate license key's red-flagged reports, some of product B.
 */
export async function seedTelemetry(store: Store, seed: Seed, nowUs: number): Promise<SeededTelemetry> {
  const at = (i: number): number => nowUs - (i % 120) * HOUR_US - 60_000_000;
  const startupValues = Array.from({ length: 40 }, (_, i) => 100 + ((i * 37) % 400));
  const texts = ['linux', 'linux', 'linux', 'linux', 'linux', 'linux', 'windows', 'windows', 'windows', 'windows', 'macos', 'macos'];
  const records: NewTelemetryRecord[] = [
    ...startupValues.map((v, i) => report(seed.productA, { data: String(v), numeric_data_single_value: v, created_at_us: at(i * 3) })),
    ...Array.from({ length: 20 }, (_, i) => report(seed.productA, {
      data_type: 'numeric-xy-axis', data_group: 'frame_times', numeric_data_x: i, numeric_data_y: 16 + (i % 5), created_at_us: at(i * 5),
    })),
    ...texts.map((t, i) => report(seed.productA, { data_type: 'text', data_group: 'os', text_data: t, data: t, created_at_us: at(i * 7) })),
    ...Array.from({ length: 5 }, (_, i) => report(seed.productA, {
      user_identifier: 'mallory', license_key: 'FREE-KEY-123', activation_identifier: `pirate-${i}`, data: String(50 + i), numeric_data_single_value: 50 + i,
      license_key_exists: 0, activation_exists: 0, license_active: 0, has_red_flags: 1, created_at_us: at(i * 11 + 1),
    })),
    ...Array.from({ length: 8 }, (_, i) => report(seed.productB, { license_key: 'LIC-B', product_version: '2.0.0', data: String(i), numeric_data_single_value: i, created_at_us: at(i * 13) })),
  ];
  await store.telemetry.insertMany(records);
  const flagged = records.filter((r) => r.has_red_flags === 1).length;
  return {
    total: records.length, clean: records.length - flagged, flagged,
    startupValues: [...startupValues, ...Array.from({ length: 5 }, (_, i) => 50 + i)],
    pirateKey: 'FREE-KEY-123', pirateReports: 5,
    textCounts: { linux: 6, windows: 4, macos: 2 },
  };
}
