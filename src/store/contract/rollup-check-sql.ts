import { DAY_US, HOUR_US } from '../../model/clock.js';
import { BIN_KEY, binSql, COUNT_KEY, keyedRows, LATE_SQL, sqlInteger } from './rollup-sql.js';
import { RECORD_TIME_SQL } from './record-time-sql.js';

/**
 * The SQL of the rollup check and rebuild (rollup-check.ts, rollup-rebuild.ts), the same text on
 * both backends; what differs between them comes in a `RollupDialect`. Times and product ids are
 * written in as integer literals (sqlInteger), so most statements take no parameters.
 */

/** What the check and rebuild need of a backend's SQL. */
export interface RollupDialect {
  /**
   * A parenthesised SELECT of every column of the telemetry records whose record time is in
   * [fromUs, toUs] (and whose product is `productId`, when given), found through indexes: the
   * on-time records by created_at, the late ones by the late index (rollup-sql.ts, windowHalves).
   */
  raw(fromUs: number, toUs: number, productId: number | undefined): string;
  /** Each report's version and OS keys of the install sketches in SQL (INSTALLS_KEYS_SQL), and what FROM joins for `os`. */
  versionKey: string;
  osKey: string;
  osLateral: string;
  /** The SQL function the backend bins sketch values with, when it registers binOf (rollup-sql.ts, binSql); absent: SQL's own ln. */
  binFunction?: string;
}

/** A rollup row's product condition: the product's rows only (not a NULL product stored as 0). */
export function productCondition(productId: number | undefined): string {
  return productId === undefined ? '1 = 1' : `(product_id = ${sqlInteger(productId)} AND (nulls & 1) = 0)`;
}

function telemetryProduct(productId: number | undefined, column = 'product_id'): string {
  return productId === undefined ? '1 = 1' : `${column} = ${sqlInteger(productId)}`;
}

/** The rollup rows of one UTC day: its 24 hours and the day itself. */
function daySpans(dayUs: number): string {
  const [d, end] = [sqlInteger(dayUs), sqlInteger(dayUs + DAY_US)];
  return `((span_us = ${HOUR_US} AND bucket_us >= ${d} AND bucket_us < ${end}) OR (span_us = ${DAY_US} AND bucket_us = ${d}))`;
}

/** What the rollups should hold for the records of `raw`, one row per key (v_abs: the sum of |v|, for the sum's tolerance). */
export function expectedCountsSql(raw: string): string {
  const key = COUNT_KEY.join(', ');
  return `SELECT ${key}, COUNT(*) AS n, SUM(typed) AS typed_n, COALESCE(SUM(v), 0) AS v_sum, COALESCE(SUM(ABS(v)), 0) AS v_abs,
      MIN(v) AS v_min, MAX(v) AS v_max
    FROM (${keyedRows(raw)}) AS k GROUP BY ${key}`;
}

export function expectedBinsSql(raw: string, binFunction?: string): string {
  const key = BIN_KEY.join(', ');
  return `SELECT ${key}, COUNT(*) AS n FROM (SELECT k.*, ${binSql('v', binFunction)} AS bin FROM (${keyedRows(raw)}) AS k WHERE v IS NOT NULL) AS b GROUP BY ${key}`;
}

export function storedCountsSql(dayUs: number, productId: number | undefined): string {
  return `SELECT ${COUNT_KEY.join(', ')}, n, typed_n, v_sum, v_min, v_max FROM telemetry_rollups WHERE ${daySpans(dayUs)} AND ${productCondition(productId)}`;
}

export function storedBinsSql(dayUs: number, productId: number | undefined): string {
  return `SELECT ${BIN_KEY.join(', ')}, n FROM telemetry_rollup_bins WHERE ${daySpans(dayUs)} AND ${productCondition(productId)}`;
}

/** Each distinct (product, version key, OS key, machine, user) of the reports of `raw`. */
export function installFactsSql(dialect: RollupDialect, raw: string): string {
  return `SELECT DISTINCT product_id, ${dialect.versionKey} AS version, ${dialect.osKey} AS os, activation_identifier AS machine, user_identifier AS person
    FROM ${raw} AS telemetry ${dialect.osLateral} WHERE product_id IS NOT NULL`;
}

/** Each machine's earliest reports among those of `raw` (all of them on a tie), with their version and OS keys, in id order. */
export function firstReportsSql(dialect: RollupDialect, raw: string): string {
  return `SELECT product_id, machine, at, version, os FROM (
      SELECT product_id, activation_identifier AS machine, ${RECORD_TIME_SQL} AS at, ${dialect.versionKey} AS version, ${dialect.osKey} AS os, id,
        MIN(${RECORD_TIME_SQL}) OVER (PARTITION BY product_id, activation_identifier) AS first_at
      FROM ${raw} AS telemetry ${dialect.osLateral} WHERE product_id IS NOT NULL AND activation_identifier IS NOT NULL) AS w
    WHERE at = first_at ORDER BY product_id, machine, id`;
}

/** The first-seen rows whose time is in the day, and those of every machine with a report in `raw`. */
export function storedFirstSeenSql(dayUs: number, productId: number | undefined, raw: string): string {
  const columns = 'f.product_id, f.activation_identifier AS machine, f.first_time, f.version, f.os';
  return `SELECT ${columns} FROM install_first_seen AS f
      WHERE f.first_time >= ${sqlInteger(dayUs)} AND f.first_time < ${sqlInteger(dayUs + DAY_US)} AND ${telemetryProduct(productId, 'f.product_id')}
    UNION SELECT ${columns} FROM (SELECT DISTINCT product_id, activation_identifier FROM ${raw} AS r
        WHERE product_id IS NOT NULL AND activation_identifier IS NOT NULL) AS r
      JOIN install_first_seen AS f ON f.product_id = r.product_id AND f.activation_identifier = r.activation_identifier`;
}

/** The new-machine counts of one day per (product, version, OS), a key's delta rows summed (PostgreSQL keeps several until compacted). */
export function storedNewMachinesSql(dayUs: number, productId: number | undefined): string {
  return `SELECT product_id, version, os, SUM(machines) AS machines FROM install_new_machines
    WHERE day = ${sqlInteger(dayUs / DAY_US)} AND ${telemetryProduct(productId)} GROUP BY product_id, version, os`;
}

/**
 * One day's new-machine counts made again from its first-seen rows: deleted, then counted (the
 * INSERT returns a row per key written). Runs where no first-seen row can change meanwhile (the
 * rebuild's write transaction), so the triggers that keep the counts have nothing in flight.
 */
export function recountNewMachinesSql(dayUs: number, productId: number | undefined): [remove: string, count: string] {
  const product = telemetryProduct(productId);
  return [
    `DELETE FROM install_new_machines WHERE day = ${sqlInteger(dayUs / DAY_US)} AND ${product}`,
    `INSERT INTO install_new_machines (product_id, day, version, os, machines)
      SELECT product_id, ${sqlInteger(dayUs / DAY_US)}, version, os, COUNT(*) FROM install_first_seen
      WHERE first_time >= ${sqlInteger(dayUs)} AND first_time < ${sqlInteger(dayUs + DAY_US)} AND ${product}
      GROUP BY product_id, version, os RETURNING day`,
  ];
}

export function storedSketchesSql(dayUs: number, productId: number | undefined): string {
  return `SELECT product_id, version, os, machines, users FROM install_sketches WHERE day = ${sqlInteger(dayUs / DAY_US)} AND ${telemetryProduct(productId)}`;
}

/**
 * Bounds of what is stored, for a check or rebuild of everything: created_at of the records
 * (a record's time is at most LATE_US before it unless late, and at most 5 minutes after),
 * reported_at of the late ones (through the late index), the rollups' and install tables' own.
 */
export function extentSql(productId: number | undefined, lateIndex: string): string[] {
  const product = telemetryProduct(productId);
  return [
    `SELECT MIN(created_at) AS lo, MAX(created_at) AS hi FROM telemetry WHERE ${product}`,
    `SELECT MIN(reported_at) AS lo, MIN(reported_at) AS hi FROM telemetry ${lateIndex} WHERE ${LATE_SQL} AND ${product}`,
    `SELECT MIN(bucket_us) AS lo, MAX(bucket_us) AS hi FROM telemetry_rollups WHERE ${productCondition(productId)}`,
    `SELECT MIN(day) * ${DAY_US} AS lo, MAX(day) * ${DAY_US} AS hi FROM install_sketches WHERE ${product}`,
    `SELECT MIN(first_time) AS lo, MAX(first_time) AS hi FROM install_first_seen WHERE ${product}`,
    `SELECT MIN(day) * ${DAY_US} AS lo, MAX(day) * ${DAY_US} AS hi FROM install_new_machines WHERE ${product}`,
  ];
}

/** Deletes the rollup rows of one span's bucket (and product). */
export function deleteRollupsSql(spanUs: number, bucketUs: number, productId: number | undefined): string[] {
  const where = `span_us = ${sqlInteger(spanUs)} AND bucket_us = ${sqlInteger(bucketUs)} AND ${productCondition(productId)}`;
  return [`DELETE FROM telemetry_rollups WHERE ${where}`, `DELETE FROM telemetry_rollup_bins WHERE ${where}`];
}

/** A day's rollup rows made from its hour rows (a day's records are its hours' records). */
export function dayFromHoursSql(dayUs: number, productId: number | undefined): string[] {
  const hours = `span_us = ${HOUR_US} AND bucket_us >= ${sqlInteger(dayUs)} AND bucket_us < ${sqlInteger(dayUs + DAY_US)} AND ${productCondition(productId)}`;
  const countKey = COUNT_KEY.slice(2).join(', ');
  const binKey = BIN_KEY.slice(2).join(', ');
  const head = `${DAY_US}, ${sqlInteger(dayUs)}`;
  return [
    `INSERT INTO telemetry_rollups (${COUNT_KEY.join(', ')}, n, typed_n, v_sum, v_min, v_max)
      SELECT ${head}, ${countKey}, SUM(n), SUM(typed_n), SUM(v_sum), MIN(v_min), MAX(v_max) FROM telemetry_rollups
      WHERE ${hours} GROUP BY ${countKey} ORDER BY ${countKey}`,
    `INSERT INTO telemetry_rollup_bins (${BIN_KEY.join(', ')}, n)
      SELECT ${head}, ${binKey}, SUM(n) FROM telemetry_rollup_bins WHERE ${hours} GROUP BY ${binKey} ORDER BY ${binKey}`,
  ];
}

/** A machine's earliest report over all of its product's records (a scan: only for the rare row the rebuild cannot place). */
export function earliestReportSql(dialect: RollupDialect): string {
  return `SELECT ${RECORD_TIME_SQL} AS at, ${dialect.versionKey} AS version, ${dialect.osKey} AS os FROM telemetry ${dialect.osLateral}
    WHERE product_id = ? AND activation_identifier = ? ORDER BY ${RECORD_TIME_SQL}, id LIMIT 1`;
}

/** First-seen rows upserted keeping the earlier time (as ingest does). */
export function firstSeenUpsertSql(rows: number): string {
  return `INSERT INTO install_first_seen (product_id, activation_identifier, first_time, version, os)
    VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?)').join(', ')}
    ON CONFLICT (product_id, activation_identifier) DO UPDATE SET first_time = excluded.first_time, version = excluded.version, os = excluded.os
    WHERE excluded.first_time < install_first_seen.first_time`;
}

export function sketchInsertSql(rows: number): string {
  return `INSERT INTO install_sketches (product_id, day, version, os, machines, users) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`;
}
