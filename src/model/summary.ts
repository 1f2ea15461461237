import { FLAG_NAMES, type ReportFlags } from './record.js';

/**
 * What a summary of stored telemetry holds, as every backend returns it from
 * `TelemetryStore.summarize`. Times are microseconds since the epoch, like the rest of the
 * store contract; `summary-answer.ts` turns them into the admin API's JSON.
 */

/** How much detail a summary returns; validated by the caller (see summary-request.ts). */
export interface SummaryOptions {
  /**
   * How many histogram bins to aim for: bins have a round width (1, 2 or 5 × 10^k) and edges on
   * its multiples, so there are at most buckets + 2 (store/contract/percentile.ts, roundBounds).
   */
  buckets: number;
  /** Most xy points returned; more than this are downsampled (min and max y per x bucket). */
  points: number;
  /** Most entries in each top list: text values, license keys, user identifiers. */
  top: number;
  /**
   * Exact percentiles from raw records, as before rollups; otherwise a store may answer the
   * numeric part and the per-day counts from its rollups (docs/decisions/0033-rollups.md).
   */
  exact?: boolean;
}

/**
 * How a summary's percentiles were computed: `exact` (every raw value sorted) or from the
 * rollups' sketch, within ±1 % of the exact value (docs/query-behaviour.md, "Rollups").
 */
export type PercentileMode = 'exact' | 'sketch ±1%';

/**
 * Values v with from ≤ v < to. Round bins (roundBounds) end above the maximum; the one-bin
 * fallback (a single distinct value) is [min, max] and holds v = to.
 */
export interface HistogramBucket {
  from: number;
  to: number;
  count: number;
}

/** numeric-single-value records. Percentiles are exact, nearest-rank (see percentile.ts). Null when count is 0. */
export interface NumericSummary {
  count: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  histogram: HistogramBucket[];
}

export interface XyPoint {
  x: number;
  y: number;
  created_at_us: number;
}

/** numeric-xy-axis records: every point when there are at most `points`, else a min/max downsample. Ordered by x. */
export interface XySummary {
  count: number;
  downsampled: boolean;
  points: XyPoint[];
}

export interface ValueCount {
  value: string;
  count: number;
}

/** text records: how many, and the most frequent values (most frequent first, ties by value). */
export interface TextSummary {
  count: number;
  top: ValueCount[];
}

/** Records of one UTC day, split by has_red_flags. */
export interface DayCount {
  /** Midnight UTC that starts the day. */
  day_start_us: number;
  clean: number;
  flagged: number;
}

/** The six checks whose failure raises has_red_flags. */
export type CheckName = Exclude<keyof ReportFlags, 'has_red_flags'>;

export const CHECK_NAMES: readonly CheckName[] = FLAG_NAMES.filter((flag): flag is CheckName => flag !== 'has_red_flags');

/** One license key or user identifier that sent red-flagged reports. */
export interface PiracyAlert {
  /** The key or identifier; null groups the reports that did not send one. */
  value: string | null;
  /** Red-flagged reports it sent. */
  count: number;
  /** For each check, how many of those reports failed it (flag 0). */
  failed_checks: Record<CheckName, number>;
  first_seen_us: number;
  last_seen_us: number;
}

export interface TelemetrySummary {
  numeric: NumericSummary;
  xy: XySummary;
  text: TextSummary;
  /** Every UTC day from the first to the last matching record, empty days included. */
  days: DayCount[];
  alerts: { license_keys: PiracyAlert[]; user_identifiers: PiracyAlert[] };
  /** Whether `numeric`'s percentiles (and histogram) are exact or sketched. */
  percentiles: PercentileMode;
}
