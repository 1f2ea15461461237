import { ALL_KEY, OTHER_KEY, type InstallsBy, type InstallsCounts, type InstallsInterval, type InstallsRequest } from '../../model/installs.js';
import { INSTALLS_KEYS_SQL, OS_LATERAL } from './installs-keys-sql.js';
import { installSketchCounts, sketchDays, type InstallSketchReadRow } from '../contract/install-sketch-counts.js';
import { installsCounts, type InstallsSqlRow } from '../contract/installs-rows.js';
import { REPORTED_AHEAD_MAX_US } from '../../model/record-time.js';
import { RECORD_TIME_SQL as T } from '../contract/record-time-sql.js';
import { selectRows, type PgRunner } from './statements.js';

const DAY = 86_400_000_000;

/** A bucket: what rows are grouped by (integers for days and weeks), and its label once grouped. */
interface BucketSql {
  group: (time: string) => string;
  label: (column: string) => string;
}

const dayLabel = (column: string): string => `to_char(to_timestamp(${column} * 86400) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;

// bigint division on the microseconds (times are positive, so it floors); day 0 (1970-01-01) is a
// Thursday, so a day's ISO week starts (day + 3) % 7 days before it. Months in UTC, whatever the
// session's TimeZone.
const BUCKETS: Record<InstallsInterval, BucketSql> = {
  day: { group: (time) => `(${time} / ${DAY})`, label: dayLabel },
  week: { group: (time) => `(${time} / ${DAY} - (${time} / ${DAY} + 3) % 7)`, label: dayLabel },
  month: {
    group: (time) => `date_trunc('month', to_timestamp(${time} / 1000000) AT TIME ZONE 'UTC')`,
    label: (column) => `to_char(${column}, 'YYYY-MM')`,
  },
};

const KEYS = INSTALLS_KEYS_SQL;

const source = (by: InstallsBy): string => (by === 'os' ? `telemetry ${OS_LATERAL}` : 'telemetry');

// $1 product, $2 from, $3 to, $4 created_at lower bound, $5 most keys named.

/**
 * Each machine's first report of the product (record time, then id: the one stored first on a
 * tie), kept when it falls in the range, with its bucket and key. Without a key, MIN is enough;
 * with one, DISTINCT ON finds the first row and its key is read from that row alone.
 */
function firstsSql(bucket: BucketSql, by: InstallsBy): string {
  if (by === 'none') {
    return `SELECT ${bucket.group('at')} AS b, '${ALL_KEY}' AS k FROM (
        SELECT MIN(${T}) AS at FROM telemetry WHERE product_id = $1 AND activation_identifier IS NOT NULL AND ${T} <= $3
        GROUP BY activation_identifier) AS machines WHERE at >= $2`;
  }
  return `SELECT ${bucket.group(T)} AS b, ${KEYS[by]} AS k FROM ${source(by)} WHERE (id, created_at) IN (
      SELECT id, created_at FROM (
        SELECT DISTINCT ON (activation_identifier) id, created_at, ${T} AS at
        FROM telemetry WHERE product_id = $1 AND activation_identifier IS NOT NULL AND ${T} <= $3
        ORDER BY activation_identifier, ${T}, id) AS first_reports
      WHERE at >= $2)`;
}

/**
 * The whole answer in one statement (one snapshot): the reports in range, the keys named
 * (top maxKeys by distinct machines, ties in byte order), the series, the totals and the new machines.
 */
function installsSql({ interval, by }: InstallsRequest): string {
  const bucket = BUCKETS[interval];
  const fold = by === 'none' ? 'k' : `CASE WHEN k IN (SELECT k FROM named) THEN k ELSE '${OTHER_KEY}' END`;
  return `WITH ranged AS MATERIALIZED (
      SELECT ${bucket.group(T)} AS b, ${KEYS[by]} AS k, activation_identifier AS machine, user_identifier AS person
      FROM ${source(by)}
      WHERE product_id = $1 AND created_at >= $4 AND ${T} BETWEEN $2 AND $3
      GROUP BY b, k, machine, person),
    named AS (SELECT k FROM ranged GROUP BY k ORDER BY COUNT(DISTINCT machine) DESC, k COLLATE "C" LIMIT $5),
    firsts AS (${firstsSql(bucket, by)})
    SELECT 'series' AS part, ${bucket.label('b')} AS bucket, key, COUNT(DISTINCT machine) AS machines, COUNT(DISTINCT person) AS users
      FROM (SELECT b, ${fold} AS key, machine, person FROM ranged) AS folded GROUP BY b, key
    UNION ALL SELECT 'totals', NULL, NULL, COUNT(DISTINCT machine), COUNT(DISTINCT person) FROM ranged
    UNION ALL SELECT 'new', ${bucket.label('b')}, key, COUNT(*), 0
      FROM (SELECT b, ${fold} AS key FROM firsts) AS folded GROUP BY b, key`;
}

/**
 * The sketch rows of the days in range (a key may have several until compacted) and the machines
 * first seen per day and key (the delta rows install_first_seen's triggers append, summed:
 * docs/decisions/0042-new-machine-counts.md), in one statement (one snapshot). $1 product, $2–$3 days.
 */
export const INSTALL_SKETCH_READ_SQL = `SELECT 'sketch' AS part, day, version, os, machines, users, 0 AS fresh FROM install_sketches
    WHERE product_id = $1 AND day BETWEEN $2 AND $3
  UNION ALL SELECT 'first', day, version, os, NULL, NULL, sum(machines)::int FROM install_new_machines
    WHERE product_id = $1 AND day BETWEEN $2 AND $3 GROUP BY 2, 3, 4 HAVING sum(machines) <> 0`;

/**
 * `TelemetryStore.installs` for PostgreSQL: from the install sketches (whole days) when `distinct`
 * is `hll`, else exactly from the reports; one statement per answer.
 */
export async function installsCountsOf(db: PgRunner, request: InstallsRequest): Promise<InstallsCounts> {
  if (request.distinct === 'hll') {
    const { fromDay, toDay } = sketchDays(request);
    const rows = await selectRows<InstallSketchReadRow>(db, INSTALL_SKETCH_READ_SQL, [request.productId, fromDay, toDay]);
    return installSketchCounts(rows, request);
  }
  const { productId, fromUs, toUs, maxKeys } = request;
  const rows = await selectRows<InstallsSqlRow>(db, installsSql(request), [productId, fromUs, toUs, fromUs - REPORTED_AHEAD_MAX_US, maxKeys]);
  return installsCounts(rows);
}
