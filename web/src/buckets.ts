import type { InstallsInterval } from './types.js';

/**
 * The UTC buckets the installs answer counts in (docs/admin-api.md, "Installs"): a day
 * `YYYY-MM-DD`, an ISO week named by its Monday `YYYY-MM-DD`, a month `YYYY-MM`. The answer lists
 * only buckets with reports; the charts show every bucket of the range, empty ones as such.
 */

const DAY_MS = 86_400_000;

/** The bucket holding an instant. */
export function bucketOf(instant: Date, interval: InstallsInterval): string {
  if (interval === 'month') return instant.toISOString().slice(0, 7);
  if (interval === 'day') return instant.toISOString().slice(0, 10);
  const sinceMonday = (instant.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate() - sinceMonday)).toISOString().slice(0, 10);
}

/** Every bucket from the one holding `from` to the one holding `to`, in order. */
export function bucketsBetween(from: string, to: string, interval: InstallsInterval): string[] {
  const end = Date.parse(to);
  const first = new Date(Date.parse(from));
  if (Number.isNaN(end) || Number.isNaN(first.getTime())) return [];
  const last = bucketOf(new Date(end), interval);
  const out: string[] = [];
  let cursor = new Date(Date.parse(`${bucketOf(first, interval)}${interval === 'month' ? '-01' : ''}T00:00:00Z`));
  while (out.length < 1000) {
    const bucket = bucketOf(cursor, interval);
    out.push(bucket);
    if (bucket >= last) break;
    cursor = interval === 'month'
      ? new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1))
      : new Date(cursor.getTime() + (interval === 'week' ? 7 : 1) * DAY_MS);
  }
  return out;
}

/** The first day of a range of `days` UTC days ending today: `YYYY-MM-DD`, as the API's `from`. */
export function firstDayOf(days: number, now: Date = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1))).toISOString().slice(0, 10);
}

/** What an axis calls the buckets. */
export const BUCKET_NAMES: Record<InstallsInterval, string> = {
  day: 'UTC day',
  week: 'ISO week (UTC), by its Monday',
  month: 'UTC month',
};
