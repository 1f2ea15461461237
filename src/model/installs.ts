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

/**
 * How distinct machines and users are counted: `hll` from the install sketches kept as reports
 * arrive (whole UTC days, within the sketch's error), `exact` from the raw reports (any range,
 * cost growing with the reports read). docs/decisions/0034-install-sketches.md.
 */
export const INSTALLS_DISTINCT = ['hll', 'exact'] as const;
export type InstallsDistinct = (typeof INSTALLS_DISTINCT)[number];
/** How an answer's `distinct` names counts read from the sketches (model/hyperloglog.ts: 2^12 registers). */
export const HLL_DISTINCT_LABEL = 'hll ±1.6%';

/** What `TelemetryStore.installs` counts: one product's reports with a record time in [fromUs, toUs]. */
export interface InstallsRequest {
  productId: number;
  /** With `hll`, the first and last days are counted whole: the use case widens the range to whole days first. */
  fromUs: number;
  toUs: number;
  interval: InstallsInterval;
  by: InstallsBy;
  distinct: InstallsDistinct;
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

/** The first `most` characters (code points, as SQL's substr and left count them) of a text. */
function firstChars(text: string, most: number): string {
  return text.length <= most ? text : Array.from(text).slice(0, most).join('');
}

/** A report's version key: its product_version cut to VERSION_MAX_CHARS, UNKNOWN_KEY when absent or empty. */
export function versionKey(version: string | null): string {
  return version === null || version === '' ? UNKNOWN_KEY : firstChars(version, VERSION_MAX_CHARS);
}

/**
 * A report's OS key from its `metadata.os`: a string read with U+0000 as U+FFFD, trimmed of spaces
 * (only U+0020, as SQL's trim), cut to OS_MAX_CHARS; anything else, or nothing left, UNKNOWN_KEY.
 */
export function osKey(os: unknown): string {
  if (typeof os !== 'string') return UNKNOWN_KEY;
  let start = 0;
  let end = os.length;
  while (start < end && os.charCodeAt(start) === 0x20) start++;
  while (end > start && os.charCodeAt(end - 1) === 0x20) end--;
  const read = firstChars(os.slice(start, end).replaceAll('\u0000', '\uFFFD'), OS_MAX_CHARS);
  return read === '' ? UNKNOWN_KEY : read;
}
