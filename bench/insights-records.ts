import type { NewTelemetryRecord } from '../src/model/record.js';

export { seededRandom } from './summary-records.js';

const DAY_US = 86_400_000_000;
/** The generated records span the 90 days before `endUs`. */
export const INSIGHTS_SPAN_US = 90 * DAY_US;
/** The product most records name (80 %); product 2 has the rest. */
export const INSIGHTS_PRODUCT = 1;

/** Releases: 1.0.0 from the start, 1.1.0 after 30 days, 2.0.0 after 60; an unreleased beta besides. */
const RELEASES: readonly [number, string][] = [[0, '1.0.0'], [30, '1.1.0'], [60, '2.0.0']];
const OS: readonly (string | undefined)[] = ['Windows 11', 'Windows 11', 'Windows 10', 'macOS 14', 'macOS 15', 'Ubuntu 22.04', 'Ubuntu 24.04', 'Fedora 40', undefined];
const GROUPS = ['startup_ms', 'memory_mb', 'feature_used'] as const;

/** How many machines a dataset of `total` records has: about 200 reports each over the 90 days. */
export function machineCount(total: number): number {
  return Math.max(200, Math.floor(total / 200));
}

/**
 * Record `i` of `total`, fleet-like: machine m (of machineCount) with its user (one user in ten
 * has two machines), its license (one in fifty licenses is shared by twenty machines; one machine
 * in twenty runs on a made-up key), its OS in metadata (absent for one in nine), and the latest
 * release it has upgraded to (each machine upgrades 0–20 days after a release; 2 % run an
 * unreleased beta). created_at rises over the 90 days, with up to a second of jitter.
 */
export function insightsRecord(i: number, total: number, endUs: number, random: () => number): NewTelemetryRecord {
  const machines = machineCount(total);
  const m = Math.floor(random() * machines);
  const createdUs = endUs - INSIGHTS_SPAN_US + Math.floor((i / total) * INSIGHTS_SPAN_US) + Math.floor(random() * 1_000_000);
  const day = (createdUs - (endUs - INSIGHTS_SPAN_US)) / DAY_US;
  const lag = (m * 7919) % 21;
  const version = m % 50 === 7 ? '2.1.0-beta' : RELEASES.filter(([from]) => from + lag <= day).at(-1)?.[1] ?? '1.0.0';
  const madeUp = m % 20 === 3;
  const license = madeUp ? `MADE-UP-${m}` : m % 1000 < 20 ? `LIC-SHARED-${Math.floor(m / 1000)}` : `LIC-${m}`;
  const os = OS[m % OS.length];
  const value = Math.round(random() * 5000) / 10;
  const clientBug = random() < 0.01;
  const red = madeUp || version === '2.1.0-beta' || clientBug ? 1 : 0;
  return {
    api_key_id: 1, product_id: m % 5 === 4 ? 2 : INSIGHTS_PRODUCT, user_identifier: `user-${m % 10 === 9 ? m - 1 : m}`, license_key: license,
    activation_identifier: `act-${m}`, product_version: version, data_type: 'numeric-single-value', data_group: GROUPS[i % GROUPS.length] ?? 'startup_ms',
    data: String(value), numeric_data_single_value: value, numeric_data_x: null, numeric_data_y: null, text_data: null,
    is_correct_format: clientBug ? 0 : 1, product_exists: 1, license_key_exists: madeUp ? 0 : 1, product_version_exists: version === '2.1.0-beta' ? 0 : 1,
    activation_exists: madeUp ? 0 : 1, license_active: madeUp ? 0 : 1, has_red_flags: red, blocked: 0,
    errors: {}, metadata: os === undefined ? {} : { os }, client_ip: `10.${(m >> 8) & 255}.${m & 255}.${1 + (i % 3)}`, created_at_us: createdUs, reported_at_us: null,
  };
}
