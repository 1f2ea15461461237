import type { NewTelemetryRecord } from '../src/model/record.js';

const DAY_US = 86_400_000_000;
/** The scale dataset spans the 90 days before its end. */
export const SCALE_SPAN_US = 90 * DAY_US;
/** The product four machines in five run; product 2 has the rest. */
export const SCALE_PRODUCT = 1;
/** The numeric single-value groups, whose percentiles the read bench compares sketched vs exact. */
export const SCALE_NUMERIC_GROUPS = ['startup_ms', 'memory_mb'] as const;

/** Releases over the 90 days (day of release, version); each machine upgrades 0–20 days after one. */
const RELEASES: readonly [number, string][] = [[0, '1.0.0'], [15, '1.1.0'], [35, '1.2.0'], [55, '2.0.0'], [75, '2.1.0']];
const OS: readonly string[] = ['Windows 11', 'Windows 11', 'Windows 10', 'macOS 14', 'macOS 15', 'Ubuntu 22.04', 'Ubuntu 24.04'];
const ERRORS: readonly string[] = ['Unhandled exception at 0x7ffe', 'ENOENT: config.json', 'timeout contacting license server', 'GPU driver reset', 'out of memory'];

/** The default fleet: a million machines, or one per ten records for a smaller dataset. */
export function defaultMachines(records: number): number {
  return Math.max(100, Math.min(1_000_000, Math.floor(records / 10)));
}

type Values = Pick<NewTelemetryRecord, 'data_type' | 'data_group' | 'data' | 'numeric_data_single_value' | 'numeric_data_x' | 'numeric_data_y' | 'text_data'>;

const NONE = { numeric_data_single_value: null, numeric_data_x: null, numeric_data_y: null, text_data: null } as const;

/** 40 % startup_ms (skewed, version 2 a little faster), 30 % memory_mb, 15 % a text group, 15 % an xy group. */
function values(pick: number, major: number, random: () => number): Values {
  if (pick < 0.4) {
    const value = Math.round(Math.exp(5.5 + random() * random() * 3) / (major >= 2 ? 1.2 : 1));
    return { ...NONE, data_type: 'numeric-single-value', data_group: 'startup_ms', data: String(value), numeric_data_single_value: value };
  }
  if (pick < 0.7) {
    const value = Math.round(300 + (random() + random() + random()) * 400);
    return { ...NONE, data_type: 'numeric-single-value', data_group: 'memory_mb', data: String(value), numeric_data_single_value: value };
  }
  if (pick < 0.85) {
    const text = ERRORS[Math.floor(ERRORS.length * random() ** 2)] ?? 'out of memory';
    return { ...NONE, data_type: 'text', data_group: 'last_error', data: text, text_data: text };
  }
  const x = Math.floor(random() * 1000);
  const y = Math.round((16 + random() * 8 + (random() < 0.01 ? 100 : 0)) * 10) / 10;
  return { ...NONE, data_type: 'numeric-xy-axis', data_group: 'frame_time', data: JSON.stringify({ x: String(x), y: String(y) }), numeric_data_x: x, numeric_data_y: y };
}

/**
 * Record `i` of `total` of a fleet of `machines`: created_at rises over the 90 days before `endUs`
 * (up to a second of jitter); the machine is drawn at random, with its user (one in ten users has
 * two machines), license (2 % shared by twenty machines), OS and the latest release it upgraded to;
 * 2 % of records red-flagged (a client bug). Deterministic for a given `random` sequence.
 */
export function scaleRecord(i: number, total: number, endUs: number, machines: number, random: () => number): NewTelemetryRecord {
  const m = Math.floor(random() * machines);
  const startUs = endUs - SCALE_SPAN_US;
  const createdUs = startUs + Math.floor((i / total) * SCALE_SPAN_US) + Math.floor(random() * 1_000_000);
  const day = (createdUs - startUs) / DAY_US;
  const lag = (m * 7919) % 21;
  const version = RELEASES.filter(([from]) => from + lag <= day).at(-1)?.[1] ?? '1.0.0';
  const clientBug = random() < 0.02;
  return {
    api_key_id: 1, product_id: m % 5 === 4 ? 2 : SCALE_PRODUCT, user_identifier: `user-${m % 10 === 9 ? m - 1 : m}`,
    license_key: m % 1000 < 20 ? `LIC-SHARED-${Math.floor(m / 1000)}` : `LIC-${m}`, activation_identifier: `act-${m}`, product_version: version,
    ...values(random(), Number(version.charAt(0)), random),
    is_correct_format: clientBug ? 0 : 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1,
    license_active: 1, has_red_flags: clientBug ? 1 : 0, blocked: 0, errors: {}, metadata: { os: OS[m % OS.length] ?? 'Windows 11' },
    client_ip: `10.${(m >> 16) & 255}.${(m >> 8) & 255}.0`, created_at_us: createdUs, reported_at_us: null,
  };
}
