/**
 * Every time and day the dashboard shows goes through this module: in the viewer's local time
 * zone by default, in UTC when the header's toggle says so (remembered in localStorage). The
 * server stores and answers in UTC; only what is shown changes. Day buckets that the server
 * counts (the overview past 48 hours, a data group's days) are UTC days: their axis says so in
 * either mode (docs/decisions/0027-dashboard-insights.md).
 */

export type ZoneMode = 'local' | 'utc';

const STORAGE_KEY = 'tally.time-zone';

export function zoneMode(): ZoneMode {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'utc' ? 'utc' : 'local';
  } catch {
    return 'local';
  }
}

export function setZoneMode(mode: ZoneMode): void {
  try {
    localStorage.setItem(STORAGE_KEY, mode);
  } catch {
    // Storage refused (private mode): the choice lasts until the page is reloaded.
  }
}

/** The local zone's IANA name (`Europe/Paris`), or "local" when the browser does not say. */
export function localZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local';
}

/** What the column headers and notes call the zone times are shown in. */
export function zoneLabel(): string {
  return zoneMode() === 'utc' ? 'UTC' : localZoneName();
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The parts of an instant in the chosen zone, zero-padded. */
function parts(instant: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const zone = zoneMode() === 'utc' ? 'UTC' : undefined;
  const key = zone ?? 'local';
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    formats.set(key, format);
  }
  const out = { year: '', month: '', day: '', hour: '', minute: '', second: '' };
  for (const part of format.formatToParts(instant)) if (part.type in out) out[part.type as keyof typeof out] = part.value;
  return out;
}

/** `2024-02-27T01:57:24.123456Z` → `2024-02-27 02:57:24` in the chosen zone ('' for an unreadable time). */
export function formatTime(iso: string): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const p = parts(instant);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** `2024-02-27 02:57`, for ranges and notes. */
export function formatMinute(iso: string): string {
  return formatTime(iso).slice(0, 16);
}

/** `02-27 02:00`, for an hour axis. */
export function hourLabel(iso: string): string {
  return formatTime(iso).slice(5, 16);
}

/** `10:04:31`, a clock time today. */
export function clockTime(instant: Date = new Date()): string {
  return formatTime(instant.toISOString()).slice(11, 19);
}

/**
 * A date picked in a `<input type="date">` (YYYY-MM-DD) as the instant the API gets: the
 * start of that day in the chosen zone, or with `end` its last millisecond. UTC mode sends the
 * day as it is (the API reads a bare date as a UTC day, its end as the day's end).
 */
export function dayBound(day: string, end: boolean): string {
  if (zoneMode() === 'utc' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return day;
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  const start = new Date(year, month - 1, end ? date + 1 : date);
  return new Date(start.getTime() - (end ? 1 : 0)).toISOString();
}
