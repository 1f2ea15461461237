import {
  ALL_KEY, OS_MAX_CHARS, OTHER_KEY, UNKNOWN_KEY, VERSION_MAX_CHARS,
  type InstallsBy, type InstallsCounts, type InstallsInterval, type InstallsRequest,
} from '../../model/installs.js';
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

// metadata is `json` text; extracting from it fails on any \u0000 escape (decision 0009), so a
// metadata holding one is read with U+FFFD in its place. Its `os` when a JSON string, trimmed of
// spaces, cut to OS_MAX_CHARS; anything else (absent, empty, a number) is UNKNOWN_KEY.
const OS_JSON = `(CASE WHEN strpos(metadata::text, '\\u0000') > 0 THEN replace(metadata::text, '\\u0000', '\\uFFFD')::json ELSE metadata END) -> 'os'`;
const OS_LATERAL = `CROSS JOIN LATERAL (SELECT ${OS_JSON} AS os_json) AS os`;
const KEYS: Record<InstallsBy, string> = {
  version: `COALESCE(NULLIF(left(product_version, ${VERSION_MAX_CHARS}), ''), '${UNKNOWN_KEY}')`,
  os: `COALESCE(NULLIF(left(btrim(CASE WHEN json_typeof(os.os_json) = 'string' THEN os.os_json #>> '{}' END), ${OS_MAX_CHARS}), ''), '${UNKNOWN_KEY}')`,
  none: `'${ALL_KEY}'`,
};

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

/** `TelemetryStore.installs` for PostgreSQL: one statement per answer. */
export async function installsCountsOf(db: PgRunner, request: InstallsRequest): Promise<InstallsCounts> {
  const { productId, fromUs, toUs, maxKeys } = request;
  const rows = await selectRows<InstallsSqlRow>(db, installsSql(request), [productId, fromUs, toUs, fromUs - REPORTED_AHEAD_MAX_US, maxKeys]);
  return installsCounts(rows);
}
