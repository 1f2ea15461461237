import { MAX_CHARTED_VERSIONS, type VersionSeries, type VersionSeriesRequest } from '../../model/version-series.js';
import { SUMMARY_RECORDS } from '../contract/summary-records.js';
import { PgParams } from './filter-condition.js';
import type { PgQueryable } from './queryable.js';
import { REPORTED_AHEAD_MAX_US } from '../../model/record-time.js';
import { RECORD_TIME_SQL as T } from '../contract/record-time-sql.js';

/** Byte order, NULL first: the order of contract/version-series-builder.ts (compareVersions). */
const RANKED = 'n DESC, version COLLATE "C" NULLS FIRST';

/** The statement's one row; every column but the first is json (null when it aggregates no rows). */
interface PgVersionSeriesRow {
  distinct_versions: number;
  /** [version, count] */
  top: [string | null, number][] | null;
  /** [1-based position among the charted, version, count] */
  charted: [number, string | null, number][] | null;
  /** [position, bucket start, count, p50, p90] */
  points: [number, number, number, number, number][] | null;
}

/** PostgreSQL text cannot hold U+0000: stored values have U+FFFD in its place (nul-text.ts), and so must a value looked for. */
const stored = (text: string): string => text.replaceAll('\u0000', '\uFFFD');

/** Nearest rank p of n in integers (percentile.ts, nearestRank): the index into the values sorted ascending. */
const rankOf = (percent: number): string => `greatest(1, (${percent} * count(*) + 99) / 100)`;

/**
 * `TelemetryStore.versionSeries` for PostgreSQL: ONE statement (one snapshot). `f` holds the
 * group's single values in the range with their version and bucket (record time, RECORD_TIME_SQL;
 * the created_at bound it implies prunes partitions); the chosen versions are the named ones or the
 * most reported; each (chosen version, bucket) sorts its values once, and p50/p90 are the values
 * at their nearest ranks, the definition of the summary's percentile_disc fractions.
 */
export async function versionSeries(db: PgQueryable, request: VersionSeriesRequest): Promise<VersionSeries> {
  const params = new PgParams();
  const { sizeUs, offsetUs } = request.bucket;
  const size = `${params.add(sizeUs)}::bigint`;
  const bucket = `${T} - (((${T} - ${params.add(offsetUs)}::bigint) % ${size}) + ${size}) % ${size}`;
  const where = [
    `product_id = ${params.add(request.productId)}::bigint`, `data_group = ${params.add(stored(request.dataGroup))}`,
    `created_at >= ${params.add(request.fromUs - REPORTED_AHEAD_MAX_US)}::bigint`,
    `${T} >= ${params.add(request.fromUs)}::bigint`, `${T} <= ${params.add(request.toUs)}::bigint`, SUMMARY_RECORDS.numeric,
  ].join(' AND ');
  const chosen = request.versions === null
    ? `SELECT row_number() OVER (ORDER BY ${RANKED}) AS ord, version, n FROM vc ORDER BY ${RANKED} LIMIT ${MAX_CHARTED_VERSIONS}`
    : `SELECT c.ord, c.version, coalesce(vc.n, 0) AS n FROM unnest(${params.add(request.versions.map(stored))}::text[]) WITH ORDINALITY AS c(version, ord)
       LEFT JOIN vc ON vc.version = c.version`;
  const sql = `WITH f AS MATERIALIZED (SELECT product_version AS version, ${bucket} AS bucket, numeric_data_single_value AS v FROM telemetry WHERE ${where}),
    vc AS (SELECT version, count(*) AS n FROM f GROUP BY version),
    chosen AS (${chosen}),
    s AS (SELECT c.ord, f.bucket, count(*) AS n, (array_agg(f.v ORDER BY f.v))[${rankOf(50)}] AS p50, (array_agg(f.v ORDER BY f.v))[${rankOf(90)}] AS p90
      FROM f JOIN chosen c ON f.version IS NOT DISTINCT FROM c.version GROUP BY c.ord, f.bucket)
    SELECT (SELECT count(*) FROM vc)::int AS distinct_versions,
      (SELECT json_agg(json_build_array(version, n) ORDER BY ${RANKED}) FROM (SELECT version, n FROM vc ORDER BY ${RANKED} LIMIT ${params.add(request.listed)}::bigint) AS t) AS top,
      (SELECT json_agg(json_build_array(ord, version, n) ORDER BY ord) FROM chosen) AS charted,
      (SELECT json_agg(json_build_array(ord, bucket, n, p50, p90) ORDER BY ord, bucket) FROM s) AS points`;
  const { rows } = await db.query<PgVersionSeriesRow>(sql, params.values);
  const row = rows[0];
  if (row === undefined) throw new Error('the version series statement returned no row');
  return toVersionSeries(row, request.versions);
}

/** The answer in the contract's shape; a named version keeps its name as asked. */
function toVersionSeries(row: PgVersionSeriesRow, named: readonly string[] | null): VersionSeries {
  const charted = (row.charted ?? []).map(([ord, version, count]) => ({ product_version: named?.[ord - 1] ?? version, count }));
  return {
    distinct_versions: row.distinct_versions,
    top: (row.top ?? []).map(([product_version, count]) => ({ product_version, count })),
    charted,
    points: (row.points ?? []).map(([ord, bucket_start_us, count, p50, p90]) => ({
      product_version: charted[ord - 1]?.product_version ?? null, bucket_start_us, count, p50, p90,
    })),
  };
}
