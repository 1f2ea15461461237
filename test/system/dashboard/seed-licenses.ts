import type { NewTelemetryRecord } from '../../../src/model/record.js';
import type { TestServer } from '../../http/test-server.js';

const HOUR_US = 3_600_000_000;

/** What one license key of the seed is, in plain numbers the tests compare the page against. */
export interface SeededKey {
  key: string;
  machines: number;
  users: number;
  /** The license's seats (max_activations), null when none is set or the key is not registered. */
  seats: number | null;
  reports: number;
  flagged: number;
  clientBugs: number;
  classes: string[];
  blocked: boolean;
}

/** A report of one machine; every check passed unless `overrides` says otherwise. */
interface Sent {
  key: string;
  machine: string;
  user: string;
  version?: string;
  subnet?: string;
  overrides?: Partial<NewTelemetryRecord>;
}

const UNKNOWN_KEY = { license_key_exists: 0, activation_exists: 0, license_active: 0, has_red_flags: 1 } as const;

/**
 * The reports of the seed (all of product A): a license with 2 seats on 7 machines of 6 users in
 * 3 networks (shared), a made-up key (suspicious: unknown key, no activation, inactive license),
 * a key whose only problem is malformed reports (a client bug), the registry's blocked license
 * (suspicious, blocked), a key on an unreleased version (suspicious), and twelve plain keys of
 * one machine each (to page through).
 */
function reportsOf(): Sent[] {
  return [
    ...Array.from({ length: 14 }, (_, i): Sent => ({
      key: 'LIC-SHARED', machine: `shared-${i % 7}`, user: `shared-user-${Math.min(i % 7, 5)}`, version: i < 7 ? '1.0.1' : '1.1.0', subnet: `10.1.${i % 3}`,
    })),
    ...Array.from({ length: 3 }, (): Sent => ({ key: 'FAKE-KEY-1', machine: 'pirate-1', user: 'mallory', overrides: UNKNOWN_KEY })),
    { key: 'LIC-BUGGY', machine: 'bug-1', user: 'bugsy' },
    { key: 'LIC-BUGGY', machine: 'bug-1', user: 'bugsy' },
    ...Array.from({ length: 3 }, (): Sent => ({
      key: 'LIC-BUGGY', machine: 'bug-1', user: 'bugsy',
      overrides: { is_correct_format: 0, has_red_flags: 1, data_type: null, errors: { data_type: ['The data type field is required.'] } },
    })),
    ...Array.from({ length: 2 }, (): Sent => ({ key: 'LIC-BLOCKED', machine: 'act-1', user: 'carol', overrides: { license_active: 0, has_red_flags: 1 } })),
    ...Array.from({ length: 2 }, (): Sent => ({
      key: 'LIC-BETA', machine: 'beta-1', user: 'mallory', version: '2.1.0-beta', overrides: { product_version_exists: 0, has_red_flags: 1 },
    })),
    ...Array.from({ length: 12 }, (_, i): Sent => ({ key: `LIC-PAGE-${String(i).padStart(2, '0')}`, machine: `page-${i}`, user: `page-user-${i}` })),
  ];
}

/** What the license insights must answer for the seed (default seats: 1). */
export const SEEDED_KEYS: readonly SeededKey[] = [
  { key: 'LIC-SHARED', machines: 7, users: 6, seats: 2, reports: 14, flagged: 0, clientBugs: 0, classes: ['shared'], blocked: false },
  { key: 'FAKE-KEY-1', machines: 1, users: 1, seats: null, reports: 3, flagged: 3, clientBugs: 0, classes: ['suspicious'], blocked: false },
  { key: 'LIC-BUGGY', machines: 1, users: 1, seats: null, reports: 5, flagged: 0, clientBugs: 3, classes: ['client-bug'], blocked: false },
  { key: 'LIC-BLOCKED', machines: 1, users: 1, seats: null, reports: 2, flagged: 2, clientBugs: 0, classes: ['suspicious'], blocked: true },
  { key: 'LIC-BETA', machines: 1, users: 1, seats: null, reports: 2, flagged: 2, clientBugs: 0, classes: ['suspicious'], blocked: false },
  ...Array.from({ length: 12 }, (_, i): SeededKey => ({
    key: `LIC-PAGE-${String(i).padStart(2, '0')}`, machines: 1, users: 1, seats: null, reports: 1, flagged: 0, clientBugs: 0, classes: [], blocked: false,
  })),
];

/** The order the insights list keys in by machines: most first, then by key (code units). */
export function byMachines(keys: readonly SeededKey[]): string[] {
  return [...keys].sort((a, b) => b.machines - a.machines || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((k) => k.key);
}

async function createLicense(server: TestServer, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${server.url}/admin/api/licenses`, {
    method: 'POST', headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`creating ${String(body['key'])}: HTTP ${response.status} ${await response.text()}`);
}

/**
 * Registers the seed's licenses through the admin API (LIC-SHARED with 2 seats; the test
 * server's registry already has LIC-BLOCKED, blocked) and stores its reports, all within the
 * last 5 days, through the store.
 */
export async function seedLicenses(server: TestServer, nowUs: number): Promise<void> {
  const productId = server.seed.productA;
  await createLicense(server, { product_id: productId, key: 'LIC-SHARED', max_activations: 2 });
  for (const key of ['LIC-BUGGY', 'LIC-BETA', ...Array.from({ length: 12 }, (_, i) => `LIC-PAGE-${String(i).padStart(2, '0')}`)]) {
    await createLicense(server, { product_id: productId, key });
  }
  const records = reportsOf().map((sent, i): NewTelemetryRecord => ({
    api_key_id: 1, product_id: productId, user_identifier: sent.user, license_key: sent.key, activation_identifier: sent.machine,
    product_version: sent.version ?? '1.0.1', data_type: 'numeric-single-value', data_group: 'startup_ms', data: '120',
    numeric_data_single_value: 120, numeric_data_x: null, numeric_data_y: null, text_data: null,
    is_correct_format: 1, product_exists: 1, license_key_exists: 1, product_version_exists: 1, activation_exists: 1, license_active: 1,
    has_red_flags: 0, blocked: 0, errors: {}, metadata: {}, client_ip: `${sent.subnet ?? '192.0.2'}.${1 + (i % 250)}`,
    created_at_us: nowUs - ((i * 7) % 120) * HOUR_US - 60_000_000, reported_at_us: null, ...sent.overrides,
  }));
  await server.store.telemetry.insertMany(records);
}
