import type Database from 'better-sqlite3';
import { ALL_KEY, OTHER_KEY, type InstallsBy, type InstallsCounts, type InstallsInterval, type InstallsRequest } from '../../../model/installs.js';
import { INSTALLS_KEYS_SQL } from './installs-keys-sql.js';
import { installsCounts, type InstallsSqlRow } from '../../contract/installs-rows.js';
import { installSketchCounts, sketchDays, type InstallSketchReadRow } from '../../contract/install-sketch-counts.js';
import type { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';
import { REPORTED_AHEAD_MAX_US } from '../../../model/record-time.js';
import { RECORD_TIME_SQL as T } from '../../contract/record-time-sql.js';

const DAY = 86_400_000_000;

/** A bucket: what rows are grouped by (integers for days and weeks), and its label once grouped. */
interface BucketSql {
  group: (time: string) => string;
  label: (column: string) => string;
}

const dayLabel = (column: string): string => `strftime('%Y-%m-%d', ${column} * 86400, 'unixepoch')`;

// Integer arithmetic on the microseconds; day 0 (1970-01-01) is a Thursday, so a day's ISO week
// starts (day + 3) % 7 days before it.
const BUCKETS: Record<InstallsInterval, BucketSql> = {
  day: { group: (time) => `(${time} / ${DAY})`, label: dayLabel },
  week: { group: (time) => `(${time} / ${DAY} - (${time} / ${DAY} + 3) % 7)`, label: dayLabel },
  month: { group: (time) => `strftime('%Y-%m', ${time} / 1000000, 'unixepoch')`, label: (column) => column },
};

const KEYS = INSTALLS_KEYS_SQL;

/**
 * Each machine's first report of the product (record time, then id: the one stored first on a
 * tie), kept when it falls in the range, with its bucket and key. Without a key, MIN is enough;
 * with one, the first row is found by ROW_NUMBER and its key read from that row alone.
 */
function firstsSql(bucket: BucketSql, by: InstallsBy): string {
  if (by === 'none') {
    return `SELECT ${bucket.group('at')} AS b, '${ALL_KEY}' AS k FROM (
        SELECT MIN(${T}) AS at FROM telemetry WHERE product_id = @product AND activation_identifier IS NOT NULL AND ${T} <= @toUs
        GROUP BY activation_identifier) WHERE at >= @fromUs`;
  }
  return `SELECT ${bucket.group(T)} AS b, ${KEYS[by]} AS k FROM telemetry WHERE id IN (
      SELECT id FROM (
        SELECT id, ${T} AS at, ROW_NUMBER() OVER (PARTITION BY activation_identifier ORDER BY ${T}, id) AS nth
        FROM telemetry WHERE product_id = @product AND activation_identifier IS NOT NULL AND ${T} <= @toUs)
      WHERE nth = 1 AND at >= @fromUs)`;
}

/**
 * The whole answer in one statement (one snapshot): the reports in range, the keys named
 * (top maxKeys by distinct machines), the series, the totals and the new machines.
 */
function installsSql({ interval, by }: InstallsRequest): string {
  const bucket = BUCKETS[interval];
  const fold = by === 'none' ? 'k' : `CASE WHEN k IN (SELECT k FROM named) THEN k ELSE '${OTHER_KEY}' END`;
  return `WITH ranged AS MATERIALIZED (
      SELECT ${bucket.group(T)} AS b, ${KEYS[by]} AS k, activation_identifier AS machine, user_identifier AS person
      FROM telemetry
      WHERE product_id = @product AND id >= @fromId AND created_at >= @createdFromUs AND ${T} BETWEEN @fromUs AND @toUs
      GROUP BY b, k, machine, person),
    named AS (SELECT k FROM ranged GROUP BY k ORDER BY COUNT(DISTINCT machine) DESC, k LIMIT @maxKeys),
    firsts AS (${firstsSql(bucket, by)})
    SELECT 'series' AS part, ${bucket.label('b')} AS bucket, key, COUNT(DISTINCT machine) AS machines, COUNT(DISTINCT person) AS users
      FROM (SELECT b, ${fold} AS key, machine, person FROM ranged) GROUP BY b, key
    UNION ALL SELECT 'totals', NULL, NULL, COUNT(DISTINCT machine), COUNT(DISTINCT person) FROM ranged
    UNION ALL SELECT 'new', ${bucket.label('b')}, key, COUNT(*), 0
      FROM (SELECT b, ${fold} AS key FROM firsts) GROUP BY b, key`;
}

/**
 * The sketch rows of the days in range and the machines first seen per day and key (the counts
 * install_first_seen's triggers keep: docs/decisions/0042-new-machine-counts.md), in one
 * statement (one snapshot). A count of 0 is deleted when it is reached; none is read anyway.
 */
const SKETCH_SQL = `SELECT 'sketch' AS part, day, version, os, machines, users, 0 AS fresh FROM install_sketches
    WHERE product_id = @product AND day BETWEEN @fromDay AND @toDay
  UNION ALL SELECT 'first', day, version, os, NULL, NULL, machines FROM install_new_machines
    WHERE product_id = @product AND day BETWEEN @fromDay AND @toDay AND machines <> 0`;

/**
 * `TelemetryStore.installs` for SQLite: from the install sketches (whole days) when `distinct` is
 * `hll`, else exactly from the reports, one statement per answer, prepared once per (interval, by).
 */
export class SqliteInstallsQuery {
  readonly #db: Database.Database;
  readonly #blocks: SqliteTimeBlocks;
  #sketch: Database.Statement<[Record<string, number>], InstallSketchReadRow> | null = null;
  readonly #statements = new Map<string, Database.Statement<[Record<string, number>], InstallsSqlRow>>();

  constructor(db: Database.Database, blocks: SqliteTimeBlocks) {
    this.#db = db;
    this.#blocks = blocks;
  }

  counts(request: InstallsRequest): InstallsCounts {
    if (request.distinct === 'hll') return this.#sketched(request);
    const createdFromUs = request.fromUs - REPORTED_AHEAD_MAX_US;
    const window = this.#blocks.window(createdFromUs, undefined);
    if (window === null) return { totals: { machines: 0, users: 0 }, series: [] };
    const { productId: product, fromUs, toUs, maxKeys } = request;
    const rows = this.#statement(request).all({ product, fromId: window.fromId, createdFromUs, fromUs, toUs, maxKeys });
    return installsCounts(rows);
  }

  #sketched(request: InstallsRequest): InstallsCounts {
    this.#sketch ??= this.#db.prepare<[Record<string, number>], InstallSketchReadRow>(SKETCH_SQL);
    return installSketchCounts(this.#sketch.all({ product: request.productId, ...sketchDays(request) }), request);
  }

  #statement(request: InstallsRequest): Database.Statement<[Record<string, number>], InstallsSqlRow> {
    const name = `${request.interval}/${request.by}`;
    let statement = this.#statements.get(name);
    if (statement === undefined) {
      statement = this.#db.prepare<[Record<string, number>], InstallsSqlRow>(installsSql(request));
      this.#statements.set(name, statement);
    }
    return statement;
  }
}
