import { DAY_US } from '../../model/clock.js';
/** What one maintenance pass over the telemetry table is asked to do. */
export interface TelemetryMaintenanceOptions {
  /** The current time in microseconds since the epoch (a parameter so tests can move it). */
  nowUs: number;
  /** Records older than this many days are removed; 0 keeps everything. */
  retentionDays: number;
  /** PostgreSQL: months after the current one whose partitions are made ahead (default 2). */
  monthsAhead?: number;
  /** Stops a long SQLite deletion between two batches (the rest waits for the next pass). */
  signal?: AbortSignal;
}

/** What a maintenance pass changed, for the log. */
export interface TelemetryMaintenanceReport {
  /** Start of the kept range in µs (records created before it are due for removal); null when retention is off. */
  cutoffUs: number | null;
  /** PostgreSQL partitions created by this pass, e.g. `telemetry_2026_01`. */
  partitionsCreated: string[];
  /** PostgreSQL partitions dropped whole because their month ended before the cutoff. */
  partitionsDropped: string[];
  /** Rows deleted one by one (SQLite; PostgreSQL's DEFAULT partition), not counting dropped partitions. */
  rowsDeleted: number;
  /** Rows moved from PostgreSQL's DEFAULT partition into a partition made for their month. */
  rowsMoved: number;
}

const US_PER_MS = 1000;

/** Records created before the returned time (µs) are past retention; null when retention is off. */
export function retentionCutoffUs(nowUs: number, retentionDays: number): number | null {
  return retentionDays > 0 ? nowUs - retentionDays * DAY_US : null;
}

/** One UTC calendar month as a half-open range of microseconds. */
export interface MonthRange {
  /** `2026_01` */
  suffix: string;
  fromUs: number;
  toUs: number;
}

/** The UTC month `offset` months after the one holding `timeUs`. */
export function monthRange(timeUs: number, offset = 0): MonthRange {
  const at = new Date(Math.floor(timeUs / US_PER_MS));
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth() + offset;
  const from = new Date(Date.UTC(year, month, 1));
  const suffix = `${from.getUTCFullYear()}_${String(from.getUTCMonth() + 1).padStart(2, '0')}`;
  return { suffix, fromUs: from.getTime() * US_PER_MS, toUs: Date.UTC(year, month + 1, 1) * US_PER_MS };
}

/** The month `YYYY_MM` names, or null when the text is not such a name. */
export function monthFromSuffix(suffix: string): MonthRange | null {
  const match = /^(\d{4})_(\d{2})$/.exec(suffix);
  if (!match) return null;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return monthRange(Date.UTC(Number(match[1]), month - 1, 1) * US_PER_MS);
}

/** A report with nothing changed yet. */
export function emptyReport(cutoffUs: number | null): TelemetryMaintenanceReport {
  return { cutoffUs, partitionsCreated: [], partitionsDropped: [], rowsDeleted: 0, rowsMoved: 0 };
}
