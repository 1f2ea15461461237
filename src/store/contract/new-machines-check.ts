import { DAY_US } from '../../model/clock.js';
import type { RollupMismatch } from './rollup-store.js';
import type { SqlRow } from './sql-steps.js';

const keyId = (row: SqlRow): string => JSON.stringify([Number(row['product_id']), String(row['version']), String(row['os'])]);

/** The machines first seen on the day per (product, version, OS) key, from first-seen rows (rows of other days are left out). */
function firstSeenCounts(dayUs: number, firstSeen: readonly SqlRow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of firstSeen) {
    const at = Number(row['first_time']);
    if (at < dayUs || at >= dayUs + DAY_US) continue;
    const id = keyId(row);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

function problemOf(stored: number, expected: number): string | null {
  if (stored === expected) return null;
  if (expected === 0) return 'a count of new machines without first-seen rows';
  if (stored === 0) return 'first-seen rows without a count of new machines';
  return `${stored} new machines counted where ${expected} were first seen`;
}

/**
 * One day's new-machine counts (install_new_machines, a key's rows summed) against the first-seen
 * rows of that day (install_first_seen: the stored rows the check read for the day, grouped here),
 * in the same snapshot. A count of 0 is no count. Pushes a mismatch per key that differs; returns
 * the keys compared.
 */
export function compareNewMachines(dayUs: number, stored: readonly SqlRow[], firstSeen: readonly SqlRow[], out: RollupMismatch[]): number {
  const expected = firstSeenCounts(dayUs, firstSeen);
  const counted = new Map(stored.map((row) => [keyId(row), Number(row['machines'])]));
  const keys = new Set([...expected.keys(), ...[...counted].filter(([, machines]) => machines !== 0).map(([id]) => id)]);
  for (const id of keys) {
    const [want, got] = [expected.get(id) ?? 0, counted.get(id) ?? 0];
    const problem = problemOf(got, want);
    if (problem === null) continue;
    const [productId, version, os] = JSON.parse(id) as [number, string, string];
    out.push({
      table: 'install_new_machines', key: { product_id: productId, day: dayUs / DAY_US, version, os }, problem,
      stored: counted.has(id) ? { machines: got } : null, expected: want === 0 ? null : { machines: want },
    });
  }
  return keys.size;
}
