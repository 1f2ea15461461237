import { CHECK_NAMES, type CheckName, type PiracyAlert } from '../../model/summary.js';

/** One row of a backend's piracy-alert query: the value, its counts per failed check (`failed_<check>`), first and last seen. */
export type AlertRow = { value: string | null; count: number; first_seen_us: number; last_seen_us: number } & Record<`failed_${CheckName}`, number>;

export function toAlert(row: AlertRow): PiracyAlert {
  const failed = Object.fromEntries(CHECK_NAMES.map((check) => [check, row[`failed_${check}`]])) as Record<CheckName, number>;
  return { value: row.value, count: row.count, failed_checks: failed, first_seen_us: row.first_seen_us, last_seen_us: row.last_seen_us };
}
