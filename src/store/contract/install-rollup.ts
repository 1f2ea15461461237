import { DAY_US } from '../../model/clock.js';
import { HyperLogLog } from '../../model/hyperloglog.js';
import { osKey, versionKey } from '../../model/installs.js';
import type { NewTelemetryRecord } from '../../model/record.js';
import { REPORTED_AHEAD_MAX_US } from '../../model/record-time.js';

/**
 * What the install sketches keep of one stored report (docs/decisions/0034-install-sketches.md):
 * its product, record time, version and OS keys (as `TelemetryStore.installs` reads them) and its
 * two identifiers.
 */
export interface InstallFact {
  productId: number;
  timeUs: number;
  version: string;
  os: string;
  machine: string | null;
  user: string | null;
}

/** One key's sketches of one commit: what the key's stored sketches are merged with. */
export interface InstallSketchDelta {
  productId: number;
  /** UTC day of the record time: days since the epoch. */
  day: number;
  version: string;
  os: string;
  machines: HyperLogLog;
  users: HyperLogLog;
}

/** A machine's earliest report in one commit: the first-seen table keeps the earliest of all. */
export interface FirstSeenCandidate {
  productId: number;
  machine: string;
  timeUs: number;
  version: string;
  os: string;
}

/** What one commit adds to the install rollups, each list in one fixed order (the order rows are locked in). */
export interface InstallRollup {
  sketches: InstallSketchDelta[];
  firstSeen: FirstSeenCandidate[];
}

/** A stored record's fact; null when it names no product (nothing counts it). */
export function installFactOf(record: NewTelemetryRecord): InstallFact | null {
  if (record.product_id === null) return null;
  return {
    productId: record.product_id,
    timeUs: record.reported_at_us ?? record.created_at_us,
    version: versionKey(record.product_version),
    os: osKey(record.metadata['os']),
    machine: record.activation_identifier,
    user: record.user_identifier,
  };
}

export const dayOf = (timeUs: number): number => Math.floor(timeUs / DAY_US);

/** A key's sketches being built, with the identifiers already hashed into them. */
type SketchGroup = InstallSketchDelta & { seenMachines: Set<string>; seenUsers: Set<string> };

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The commit's facts grouped by key in memory: one sketch delta per (product, day, version, os)
 * and one first-seen candidate per (product, machine), the first in commit order on a tie (the one
 * stored first). Each identifier is hashed once per key, however many reports repeat it.
 */
export function installRollupOf(facts: Iterable<InstallFact>): InstallRollup {
  const sketches = new Map<string, SketchGroup>();
  const firsts = new Map<string, FirstSeenCandidate>();
  // Reports of one commit mostly share their key (one installation's batch): the last key's
  // group is reused without building its map key.
  let last: SketchGroup | undefined;
  for (const fact of facts) {
    const day = dayOf(fact.timeUs);
    let delta = last;
    if (delta === undefined || delta.day !== day || delta.productId !== fact.productId || delta.version !== fact.version || delta.os !== fact.os) {
      const id = `${fact.productId}\u0001${day}\u0001${fact.version}\u0001${fact.os}`;
      delta = sketches.get(id);
      if (delta === undefined) {
        delta = { productId: fact.productId, day, version: fact.version, os: fact.os, machines: new HyperLogLog(), users: new HyperLogLog(), seenMachines: new Set(), seenUsers: new Set() };
        sketches.set(id, delta);
      }
      last = delta;
    }
    if (fact.machine !== null && !delta.seenMachines.has(fact.machine)) {
      delta.seenMachines.add(fact.machine);
      delta.machines.add(fact.machine);
    }
    if (fact.user !== null && !delta.seenUsers.has(fact.user)) {
      delta.seenUsers.add(fact.user);
      delta.users.add(fact.user);
    }
    if (fact.machine === null) continue;
    const machineId = `${fact.productId}\u0001${fact.machine}`;
    const first = firsts.get(machineId);
    if (first === undefined || fact.timeUs < first.timeUs) {
      firsts.set(machineId, { productId: fact.productId, machine: fact.machine, timeUs: fact.timeUs, version: fact.version, os: fact.os });
    }
  }
  return {
    sketches: [...sketches.values()]
      .map(({ productId, day, version, os, machines, users }) => ({ productId, day, version, os, machines, users }))
      .sort((a, b) => a.productId - b.productId || a.day - b.day || compareText(a.version, b.version) || compareText(a.os, b.os)),
    firstSeen: [...firsts.values()].sort((a, b) => a.productId - b.productId || compareText(a.machine, b.machine)),
  };
}

/**
 * The first UTC day whose sketches retention keeps: every report retention deletes was created
 * before the cutoff, so its record time is before the cutoff plus the 5 minutes a client may be
 * ahead; a day starting at or after that holds none of them. Earlier days' sketch rows are
 * deleted whole, so no sketch counts a report retention deleted (docs/decisions/0034-install-sketches.md).
 */
export function firstSketchDayKept(cutoffUs: number): number {
  return Math.ceil((cutoffUs + REPORTED_AHEAD_MAX_US) / DAY_US);
}

/** A machine of a product whose reports an erasure deleted: its first-seen row is made again from what remains. */
export interface ErasedMachine {
  productId: number;
  machine: string;
}
