import { DAY_US } from '../../model/clock.js';
import type { PartitionInterval } from '../../model/partition-interval.js';
/** What one maintenance pass over the telemetry table is asked to do. */
export interface TelemetryMaintenanceOptions {
  /** The current time in microseconds since the epoch (a parameter so tests can move it). */
  nowUs: number;
  /** Records older than this many days are removed; 0 keeps everything. */
  retentionDays: number;
  /** PostgreSQL: how much time one new telemetry partition spans (default month; decision 0036). */
  partitionInterval?: PartitionInterval;
  /** PostgreSQL: partitions of that interval made ahead of the current one (default 2 months, 2 weeks or 7 days). */
  partitionsAhead?: number;
  /** PostgreSQL, monthly partitions: the same as `partitionsAhead` (older name; `partitionsAhead` wins). */
  monthsAhead?: number;
  /**
   * PostgreSQL: `--max-report-age-days` (default 90), the oldest a kept record's record time can
   * be before its created_at: rollup months older than the oldest kept record by more are dropped.
   */
  maxReportAgeDays?: number;
  /**
   * PostgreSQL: rollup rows an expired partition's subtraction changes per transaction (default
   * 10 000; decision 0041). A late report into an hour being subtracted waits for at most one.
   */
  retentionStepRows?: number;
  /** Stops a long SQLite deletion between two batches (the rest waits for the next pass). */
  signal?: AbortSignal;
}

/** What a maintenance pass changed, for the log. */
export interface TelemetryMaintenanceReport {
  /** Start of the kept range in µs (records created before it are due for removal); null when retention is off. */
  cutoffUs: number | null;
  /** PostgreSQL partitions created by this pass, e.g. `telemetry_2026_01` (a month) or `telemetry_2026_01_15` (a week or day). */
  partitionsCreated: string[];
  /** PostgreSQL partitions dropped whole because their range ended before the cutoff. */
  partitionsDropped: string[];
  /** Rows deleted one by one (SQLite; PostgreSQL's DEFAULT partition), not counting dropped partitions. */
  rowsDeleted: number;
  /** Rows moved from PostgreSQL's DEFAULT partition into a partition made for their range. */
  rowsMoved: number;
  /** PostgreSQL's monthly partitions of the rollup tables (decision 0039); always empty on SQLite. */
  rollups: {
    /** e.g. `telemetry_rollups_2026_01`, `install_sketches_2026_01`. */
    partitionsCreated: string[];
    /** Whole months no kept record can fall in any more. */
    partitionsDropped: string[];
    /** Rollup rows moved out of a DEFAULT partition into a month made for them. */
    rowsMoved: number;
  };
}

/** Records created before the returned time (µs) are past retention; null when retention is off. */
export function retentionCutoffUs(nowUs: number, retentionDays: number): number | null {
  return retentionDays > 0 ? nowUs - retentionDays * DAY_US : null;
}

/** A report with nothing changed yet. */
export function emptyReport(cutoffUs: number | null): TelemetryMaintenanceReport {
  return { cutoffUs, partitionsCreated: [], partitionsDropped: [], rowsDeleted: 0, rowsMoved: 0, rollups: { partitionsCreated: [], partitionsDropped: [], rowsMoved: 0 } };
}
