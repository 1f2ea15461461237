import type { NewTelemetryRecord } from '../../src/model/record.js';
import type { Store } from '../../src/store/contract/store.js';

/**
 * A generated fleet of installs with known ground truth, for the insight tests (installs, license
 * insights): machines with known users, licenses, versions (upgrades on known days), OS in
 * metadata (some absent or unusable), reports over several days, licenses shared by several
 * machines, made-up keys, machines that never activated, client bugs (format errors only) and late
 * reports. Deterministic for a seed. Everything a test asserts is computed from these plain
 * objects, independently of the SQL under test.
 */

export const DAY_MS = 86_400_000;
const DAY_US = DAY_MS * 1000;
const HOUR_US = 3_600_000_000;

/** Small deterministic PRNG (mulberry32): the same seed gives the same fleet on every run. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FleetLicense {
  key: string;
  /** false: a made-up key, unknown to the registry. */
  registered: boolean;
  status: 'active' | 'blocked';
  /** Seats the vendor sold, when known (for license insights); null = none set. */
  seats: number | null;
}

export interface FleetMachine {
  activation: string;
  user: string;
  license: string;
  /** Whether the activation is recorded in the registry (false: a copy that skipped activation). */
  activated: boolean;
  /** metadata.os exactly as the client sends it; undefined = the key is absent. */
  os: unknown;
  /** Days (from the fleet's start) the machine reports on: firstDay..lastDay. */
  firstDay: number;
  lastDay: number;
  version: string;
  /** The day the machine moves to `upgradeTo` (reports from that day on name it), or null. */
  upgradeDay: number | null;
  upgradeTo: string | null;
  /** Client subnet (the license insights' networks): a.b.c of an IPv4 /24. */
  subnet: string;
}

export interface FleetReport {
  machine: FleetMachine;
  /** When the report happened (µs): the record time. */
  timeUs: number;
  /** When it reached the server (µs): timeUs, or later for a report sent late (an offline queue). */
  arrivedUs: number;
  /** null: the client left product_version out (a client bug). */
  version: string | null;
  /** A client bug: a report whose only problem is its format; names the field it got wrong. */
  clientBug: 'data_type' | 'product_version' | 'activation_identifier' | null;
  /** The activation identifier sent: the machine's, or null when the client bug left it out. */
  activation: string | null;
  /** Metadata as sent (holds `os` unless the machine sends none). */
  metadata: Record<string, unknown>;
}

export interface Fleet {
  productId: number;
  /** Start of day 0 (µs, a UTC midnight). */
  startUs: number;
  days: number;
  released: string[];
  licenses: FleetLicense[];
  machines: FleetMachine[];
  reports: FleetReport[];
}

export interface FleetOptions {
  seed: number;
  productId: number;
  machines: number;
  days: number;
  /** A UTC midnight, in µs. */
  startUs: number;
}

/** Versions the vendor released, and one it never did. */
export const RELEASED = ['1.0.0', '1.1.0', '2.0.0'];
export const UNRELEASED = '2.1.0-beta';
/** metadata.os values as clients send them: usable strings, padding, empties, non-strings, absent. */
const OS_VALUES: unknown[] = ['Windows 11', 'Windows 11', 'Windows 10', 'macOS 14', 'Ubuntu 22.04', '  Ubuntu 22.04  ', '', '   ', 42, null, undefined, undefined];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T;
}

/**
 * The licenses and the machines: most licenses run on one machine; one license is shared by
 * eight machines; every tenth machine runs on a made-up key; every seventh skipped activation;
 * one user in five owns two machines.
 */
function machinesOf(options: FleetOptions, random: () => number): { licenses: FleetLicense[]; machines: FleetMachine[] } {
  const licenses: FleetLicense[] = [{ key: 'LIC-SHARED', registered: true, status: 'active', seats: 2 }];
  const machines: FleetMachine[] = [];
  for (let i = 0; i < options.machines; i++) {
    let license = 'LIC-SHARED';
    if (i % 10 === 9) {
      license = `MADE-UP-${i}`;
      licenses.push({ key: license, registered: false, status: 'active', seats: null });
    } else if (i >= 8) {
      license = `LIC-${String(i).padStart(4, '0')}`;
      licenses.push({ key: license, registered: true, status: i % 13 === 0 ? 'blocked' : 'active', seats: i % 3 === 0 ? null : 1 });
    }
    const firstDay = Math.floor(random() * (options.days - 1));
    const lastDay = Math.min(options.days - 1, firstDay + 1 + Math.floor(random() * options.days));
    const version = pick(random, i % 17 === 16 ? [UNRELEASED] : RELEASED.slice(0, 2));
    const upgrades = version !== UNRELEASED && random() < 0.4 && lastDay > firstDay + 1;
    const upgradeDay = upgrades ? firstDay + 1 + Math.floor(random() * (lastDay - firstDay)) : null;
    machines.push({
      activation: `act-${i}`, user: `user-${i % 5 === 4 ? i - 1 : i}`, license, activated: i % 7 !== 6,
      os: pick(random, OS_VALUES), firstDay, lastDay, version, upgradeDay, upgradeTo: upgradeDay === null ? null : '2.0.0',
      subnet: `10.${Math.floor(i / 50)}.${i % 50}`,
    });
  }
  return { licenses, machines };
}

/** Each machine's reports: up to three a day on its days (some days skipped), some client bugs, some late. */
function reportsOf(options: FleetOptions, machines: readonly FleetMachine[], random: () => number): FleetReport[] {
  const reports: FleetReport[] = [];
  for (const machine of machines) {
    for (let day = machine.firstDay; day <= machine.lastDay; day++) {
      if (day !== machine.firstDay && random() < 0.25) continue;
      const count = 1 + Math.floor(random() * 3);
      for (let n = 0; n < count; n++) {
        const timeUs = options.startUs + day * DAY_US + Math.floor(random() * DAY_US);
        const late = random() < 0.05;
        const upgraded = machine.upgradeDay !== null && day >= machine.upgradeDay;
        const clientBug = random() < 0.05 ? pick(random, ['data_type', 'data_type', 'product_version', 'activation_identifier'] as const) : null;
        reports.push({
          machine, timeUs, arrivedUs: late ? timeUs + (1 + Math.floor(random() * 72)) * HOUR_US : timeUs,
          version: clientBug === 'product_version' ? null : upgraded ? (machine.upgradeTo ?? machine.version) : machine.version,
          clientBug, activation: clientBug === 'activation_identifier' ? null : machine.activation,
          metadata: machine.os === undefined ? {} : { os: machine.os },
        });
      }
    }
  }
  return reports;
}

/** A deterministic fleet for one product. */
export function generateFleet(options: FleetOptions): Fleet {
  const random = prng(options.seed);
  const { licenses, machines } = machinesOf(options, random);
  const reports = reportsOf(options, machines, random);
  return { productId: options.productId, startUs: options.startUs, days: options.days, released: RELEASED, licenses, machines, reports };
}

/** A report as the store keeps it, flagged as ingest would flag it. */
export function fleetRecord(fleet: Fleet, report: FleetReport): NewTelemetryRecord {
  const { machine } = report;
  const license = fleet.licenses.find((l) => l.key === machine.license);
  const registered = license?.registered === true;
  const flags = {
    is_correct_format: report.clientBug === null ? 1 : 0,
    product_exists: 1,
    license_key_exists: registered ? 1 : 0,
    product_version_exists: report.version !== null && fleet.released.includes(report.version) ? 1 : 0,
    activation_exists: registered && machine.activated && report.activation !== null ? 1 : 0,
    license_active: registered && license.status === 'active' ? 1 : 0,
  } as const;
  const red = Object.values(flags).some((flag) => flag === 0) ? 1 : 0;
  return {
    api_key_id: 1, product_id: fleet.productId, user_identifier: machine.user, license_key: machine.license,
    activation_identifier: report.activation, product_version: report.version,
    data_type: report.clientBug === 'data_type' ? null : 'numeric-single-value', data_group: 'startup_ms',
    data: '120', numeric_data_single_value: report.clientBug === 'data_type' ? null : 120, numeric_data_x: null, numeric_data_y: null, text_data: null,
    ...flags, has_red_flags: red, blocked: 0,
    errors: report.clientBug === null ? {} : { [report.clientBug]: [`The ${report.clientBug.replaceAll('_', ' ')} field is required.`] },
    metadata: report.metadata, client_ip: `${machine.subnet}.${1 + (machine.activation.length % 200)}`,
    created_at_us: report.arrivedUs,
    // A late report carries the client's time; the others arrive when they happen.
    reported_at_us: report.arrivedUs === report.timeUs ? null : report.timeUs,
  };
}

/**
 * Registers the fleet's product (released versions), licenses and activations, and stores its
 * reports, in arrival order, in batches. The product is created first, so the fleet is generated
 * here for its id.
 */
export async function seedFleet(store: Store, options: Omit<FleetOptions, 'productId'>): Promise<Fleet> {
  const product = await store.registry.createProduct({ name: `Fleet ${options.seed}`, versions: RELEASED });
  const fleet = generateFleet({ ...options, productId: product.id });
  for (const license of fleet.licenses.filter((l) => l.registered)) {
    const made = await store.registry.createLicense({ product_id: product.id, key: license.key, status: license.status, expires_at: null });
    for (const machine of fleet.machines.filter((m) => m.license === license.key && m.activated)) await store.registry.createActivation(made.id, machine.activation);
  }
  const records = storedRecords(fleet);
  for (let i = 0; i < records.length; i += 500) await store.telemetry.insertMany(records.slice(i, i + 500));
  return fleet;
}

/** The fleet's records in the order seedFleet stores them (arrival order), so in id order. */
export function storedRecords(fleet: Fleet): NewTelemetryRecord[] {
  return [...fleet.reports].sort((a, b) => a.arrivedUs - b.arrivedUs).map((report) => fleetRecord(fleet, report));
}
