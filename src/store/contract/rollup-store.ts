/**
 * Checking and repairing the rollups and install sketches against the raw records
 * (docs/query-behaviour.md, "Rollups"; docs/decisions/0038-rollup-check-and-rebuild.md). Both work
 * a UTC day at a time over whole days of record time.
 */
export interface RollupRange {
  /** Record time, µs; the day holding it is the first (re)built. Default: the first day anything is stored for. */
  fromUs?: number;
  /** Record time, µs; the day holding it is the last. Default: the last day anything is stored for. */
  toUs?: number;
  /** Only this product's rows (rollup rows of reports without a product are then left out). */
  productId?: number;
  /**
   * `--retention-days` of the servers (0: none) and the time now: install sketches of days
   * retention may have emptied are dropped whole, and first-seen rows (with their new-machine
   * counts) outlive retention (decision 0034), so neither is then a mismatch.
   */
  retentionDays: number;
  nowUs: number;
}

export interface RollupCheckRequest extends RollupRange {
  /** How many mismatches to return (all are counted). */
  limit: number;
}

/** One row of a rollup table that does not say what the raw records say. */
export interface RollupMismatch {
  table: 'telemetry_rollups' | 'telemetry_rollup_bins' | 'install_sketches' | 'install_first_seen' | 'install_new_machines';
  /** The row's key, NULLs as NULLs, times in µs. */
  key: Record<string, string | number | null>;
  problem: string;
  /** What is stored and what the raw records give (null: no row). */
  stored: Record<string, unknown> | null;
  expected: Record<string, unknown> | null;
}

/** Differences the design allows (decision 0034): counted, not mismatches. */
export interface RollupCheckNotes {
  /** Sketches of a key whose reports were all erased (erasure leaves sketches as they are). */
  sketchesWithoutReports: number;
  /** Sketches that count more than their reports (erased people still counted). */
  sketchesCountingMore: number;
  /** Keys with reports on days before retention's first sketch day: not checked (retention drops such days' sketches whole). */
  keysBeforeRetention: number;
  /** First-seen rows earlier than any report left, before the retention cutoff (they outlive retention). */
  firstSeenBeforeRetention: number;
}

export interface RollupCheckReport {
  /** The whole days checked (µs, inclusive); null bounds when nothing is stored. */
  fromUs: number | null;
  toUs: number | null;
  days: number;
  /** Rows and keys compared; newMachineKeys: (product, day, version, OS) keys of new-machine counts or first-seen rows. */
  checked: { rollupRows: number; binRows: number; sketchKeys: number; firstSeen: number; newMachineKeys: number };
  /** How many mismatches, and the first `limit` of them. */
  mismatches: number;
  first: RollupMismatch[];
  notes: RollupCheckNotes;
}

export interface RollupRebuildReport {
  fromUs: number | null;
  toUs: number | null;
  days: number;
  /** Rollup hours recomputed from raw records (every hour of every day, each in its own transaction). */
  hours: number;
  /** Install sketch keys written, first-seen rows written or corrected, and new-machine count keys written. */
  sketchKeys: number;
  firstSeen: number;
  newMachineKeys: number;
}

/** Check and rebuild of the rollups, one implementation per backend (Store.rollups). */
export interface RollupStore {
  /**
   * Compares, day by day (each day in one read snapshot), the rollups with the raw records:
   * every (hour or day, product, group, type, version, flag state) row's count, typed count, sum
   * (within floating-point tolerance), min, max and percentile bins; every (product, day, version,
   * OS) with reports has a sketch counting each of their machines and users; every machine's
   * first-seen row is its earliest report; every (product, day, version, OS) count of new machines
   * is the number of first-seen rows of that day and key. Reads only; safe while servers ingest.
   */
  check(request: RollupCheckRequest): Promise<RollupCheckReport>;
  /**
   * Recomputes the rollups, sketches and first-seen rows of the range from the raw records, in
   * short transactions that exclude ingest's writes of the same tables (SQLite: the write lock;
   * PostgreSQL: a table lock every insert also takes), so it is safe while servers ingest: each
   * hour, then its day from its hours, then the day's sketches, first-seen rows and new-machine
   * counts (counted again from the day's first-seen rows).
   */
  rebuild(request: RollupRange): Promise<RollupRebuildReport>;
}
