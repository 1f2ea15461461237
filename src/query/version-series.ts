import type { FieldErrors } from '../model/record.js';
import type { Instant } from '../model/parse-instant.js';
import {
  BUCKET_SIZES, bucketStart, MAX_CHARTED_VERSIONS, type VersionCount, type VersionInterval, type VersionSeries,
} from '../model/version-series.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { isoFromMicros, utcDayFromMicros } from './iso-micros.js';
import { summaryRange, summaryRangeErrors } from './summary-request.js';

/** Most buckets one answer has: 41 days of hours, 1000 days, 19 years of weeks. */
export const MAX_VERSION_BUCKETS = 1000;
/** Most versions `versions_left_out` lists (the most reported of the rest). */
export const LEFT_OUT_LISTED = 100;

/** `GET /admin/api/summary/versions` as the use case takes it, each field read on its own (src/http/schemas/version-series.ts). */
export interface VersionSeriesParams {
  productId: number;
  dataGroup: string;
  from?: Instant;
  to?: Instant;
  interval: VersionInterval;
  /** The versions asked for, as listed (comma-separated in the query); absent = the most reported. */
  versions?: readonly string[];
}

/** One line point: a version's values in one bucket. */
export interface VersionSeriesPoint {
  /** `YYYY-MM-DD` for days and weeks (the week's Monday), the hour's start (ISO, six fractional digits) for hours; UTC. */
  bucket: string;
  product_version: string | null;
  count: number;
  p50: number;
  p90: number;
}

/** The JSON body of `GET /admin/api/summary/versions` (docs/admin-api.md, "Versions over time"). */
export interface VersionSeriesAnswer {
  product_id: number;
  data_group: string;
  from: string;
  to: string;
  interval: VersionInterval;
  percentiles: 'exact';
  /** Distinct versions among the single values in the range. */
  distinct_versions: number;
  /** The versions charted, with their single values in the range. */
  versions: VersionCount[];
  /** Versions with values in the range that are not charted, most reported first, at most LEFT_OUT_LISTED. */
  versions_left_out: VersionCount[];
  /** Every bucket of the range, in order: the x axis, gaps included. */
  buckets: string[];
  /** Per charted version (in `versions` order), its buckets that have values, in order. */
  series: VersionSeriesPoint[];
}

export type VersionSeriesOutcome = { ok: true; answer: VersionSeriesAnswer } | { ok: false; errors: FieldErrors };

/** The versions asked for, each once, in their first order. */
function distinct(versions: readonly string[]): string[] {
  return [...new Set(versions)];
}

/**
 * The rules across fields: the range (summaryRangeErrors), at most MAX_VERSION_BUCKETS buckets
 * of the interval in it, and a version list of 1 to MAX_CHARTED_VERSIONS non-empty names.
 */
export function versionSeriesErrors(params: Partial<VersionSeriesParams>, nowUs: number): FieldErrors {
  const errors: FieldErrors = { ...summaryRangeErrors(params.from, params.to, nowUs) };
  const range = summaryRange(params.from, params.to, nowUs);
  if (range !== undefined && params.interval !== undefined) {
    const buckets = bucketCount(range.fromUs, range.toUs, params.interval);
    if (buckets > MAX_VERSION_BUCKETS) {
      errors['interval'] = [`The range holds ${buckets} ${params.interval} buckets; at most ${MAX_VERSION_BUCKETS}: choose a longer interval or a shorter range.`];
    }
  }
  if (params.versions !== undefined) {
    if (params.versions.some((v) => v === '')) errors['versions'] = ['The versions field must list product versions separated by commas.'];
    else if (distinct(params.versions).length > MAX_CHARTED_VERSIONS) errors['versions'] = [`The versions field may name at most ${MAX_CHARTED_VERSIONS} versions.`];
  }
  return errors;
}

function bucketCount(fromUs: number, toUs: number, interval: VersionInterval): number {
  const size = BUCKET_SIZES[interval];
  return (bucketStart(toUs, size) - bucketStart(fromUs, size)) / size.sizeUs + 1;
}

function bucketLabel(us: number, interval: VersionInterval): string {
  return interval === 'hour' ? isoFromMicros(us) : utcDayFromMicros(us);
}

/**
 * p50/p90 over time, one line per version, of one product's data group (record time, exact,
 * nearest rank): the versions named, or the MAX_CHARTED_VERSIONS most reported; the others are
 * listed as left out. Checks its parameters again (never throws on bad input).
 */
export async function versionSeries(telemetry: TelemetryStore, params: VersionSeriesParams, nowUs: number): Promise<VersionSeriesOutcome> {
  const errors = versionSeriesErrors(params, nowUs);
  const range = summaryRange(params.from, params.to, nowUs);
  if (Object.keys(errors).length > 0 || range === undefined) return { ok: false, errors };
  const { productId, dataGroup, interval } = params;
  const versions = params.versions === undefined ? null : distinct(params.versions);
  const series = await telemetry.versionSeries({
    productId, dataGroup, ...range, bucket: BUCKET_SIZES[interval], versions, listed: MAX_CHARTED_VERSIONS + LEFT_OUT_LISTED,
  });
  return { ok: true, answer: answerOf(params, range, series) };
}

function answerOf(params: VersionSeriesParams, range: { fromUs: number; toUs: number }, series: VersionSeries): VersionSeriesAnswer {
  const { interval } = params;
  const size = BUCKET_SIZES[interval];
  const first = bucketStart(range.fromUs, size);
  const charted = new Set(series.charted.map((v) => v.product_version));
  return {
    product_id: params.productId,
    data_group: params.dataGroup,
    from: isoFromMicros(range.fromUs),
    to: isoFromMicros(range.toUs),
    interval,
    percentiles: 'exact',
    distinct_versions: series.distinct_versions,
    versions: series.charted,
    versions_left_out: series.top.filter((v) => !charted.has(v.product_version)).slice(0, LEFT_OUT_LISTED),
    buckets: Array.from({ length: bucketCount(range.fromUs, range.toUs, interval) }, (_, i) => bucketLabel(first + i * size.sizeUs, interval)),
    series: series.points.map((p) => ({ bucket: bucketLabel(p.bucket_start_us, interval), product_version: p.product_version, count: p.count, p50: p.p50, p90: p.p90 })),
  };
}
