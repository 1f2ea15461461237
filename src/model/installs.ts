/**
 * Installs and versions (CONTRACT §6, `GET /admin/api/installs`): distinct machines
 * (activation_identifier) and users (user_identifier) of one product per time bucket, broken
 * down by a key. Times are microseconds since the epoch, like the rest of the store contract.
 */

export const INSTALLS_INTERVALS = ['day', 'week', 'month'] as const;
/** UTC buckets: a day (`YYYY-MM-DD`), an ISO week named by its Monday (`YYYY-MM-DD`), a month (`YYYY-MM`). */
export type InstallsInterval = (typeof INSTALLS_INTERVALS)[number];

export const INSTALLS_BREAKDOWNS = ['version', 'os', 'none'] as const;
/** The key of each series entry: product_version, metadata.os, or "all". */
export type InstallsBy = (typeof INSTALLS_BREAKDOWNS)[number];

/** The key of reports without a product_version, or without a usable `metadata.os`. */
export const UNKNOWN_KEY = 'unknown';
/** The key of every report when the answer is not broken down (`by=none`). */
export const ALL_KEY = 'all';
/** The key the keys past the first `maxKeys` are folded into. */
export const OTHER_KEY = 'other';
/** metadata.os is read trimmed of spaces and cut to this many characters. */
export const OS_MAX_CHARS = 64;
/** product_version is cut to this many characters (the longest a correct report sends). */
export const VERSION_MAX_CHARS = 255;

/** What `TelemetryStore.installs` counts: one product's reports with a record time in [fromUs, toUs]. */
export interface InstallsRequest {
  productId: number;
  fromUs: number;
  toUs: number;
  interval: InstallsInterval;
  by: InstallsBy;
  /**
   * Most keys listed by name: the keys with the most distinct machines over the range (ties by
   * key, in byte order); the others are counted together, exactly, under OTHER_KEY.
   */
  maxKeys: number;
}

/** One (bucket, key) with reports. */
export interface InstallsSeriesRow {
  bucket: string;
  key: string;
  machines: number;
  users: number;
  /** Machines whose first report ever for the product (any version, any OS) is in this bucket, under this key. */
  new_machines: number;
}

/** The counts of one answer, all read by one statement (one snapshot). */
export interface InstallsCounts {
  totals: { machines: number; users: number };
  /** In no particular order (the use case orders them). */
  series: InstallsSeriesRow[];
}
