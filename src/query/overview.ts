import type { FieldErrors } from '../model/record.js';
import type { TelemetryStore } from '../store/contract/store.js';
import type { ActivityRow } from '../model/activity.js';
import { isoFromMicros } from './iso-micros.js';
import type { Instant } from '../model/parse-instant.js';
import { DAY_US, HOUR_US } from '../model/clock.js';
import { recordTimeRange } from '../model/record-time.js';

/** Ranges up to this long are bucketed by hour, longer ones by UTC day. */
const HOURLY_UP_TO_US = 2 * DAY_US;
/** The longest range an overview covers (one bucket per day: about 1,800 points). */
const MAX_RANGE_US = 5 * 366 * DAY_US;

export interface OverviewBucket {
  start: string;
  clean: number;
  flagged: number;
}

export interface OverviewCounts {
  total: number;
  clean: number;
  flagged: number;
}

/** One data group of one product: what the dashboard lists and charts per data type. */
export interface OverviewGroup extends OverviewCounts {
  product_id: number | null;
  data_group: string | null;
  data_type: string | null;
}

/** `GET /admin/api/overview` (docs/dashboard.md). Every bucket of the range is listed, empty ones too. */
export interface OverviewAnswer extends OverviewCounts {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  series: OverviewBucket[];
  products: (OverviewCounts & { product_id: number | null; series: OverviewBucket[] })[];
  groups: OverviewGroup[];
}

export type OverviewOutcome = { ok: true; answer: OverviewAnswer } | { ok: false; errors: FieldErrors };

/** What an overview asks for, each field already read (the admin API's schema, src/http/schemas/overview.ts). */
export interface OverviewParams {
  from?: Instant;
  to?: Instant;
  productId?: number;
}

type OverviewRange = { ok: true; fromUs: number; toUs: number } | { ok: false; errors: FieldErrors };

/**
 * The dashboard's overview: reports per hour or day of their record time (reported_at, else
 * created_at) over [from, to] (default: the last 7 days),
 * clean and flagged apart, in total and per product, and every data group seen in the range.
 * One `TelemetryStore.activity` scan; a range that ends before it starts, or is longer than
 * five years, is an error (never thrown).
 */
export async function overview(telemetry: TelemetryStore, params: OverviewParams, nowUs: number, maxReportAgeDays: number): Promise<OverviewOutcome> {
  const range = overviewRange(params, nowUs);
  if (!range.ok) return range;
  const { fromUs, toUs } = range;
  const productId = params.productId;
  const bucketUs = toUs - fromUs <= HOURLY_UP_TO_US ? HOUR_US : DAY_US;
  const rows = (await telemetry.activity({ ...recordTimeRange(fromUs, toUs, maxReportAgeDays), bucketUs })).filter((row) => productId === undefined || row.product_id === productId);
  const starts = bucketStarts(fromUs, toUs, bucketUs);
  return {
    ok: true,
    answer: {
      from: isoFromMicros(fromUs),
      to: isoFromMicros(toUs),
      bucket: bucketUs === HOUR_US ? 'hour' : 'day',
      ...counts(rows),
      series: series(rows, starts),
      products: [...groupBy(rows, (row) => String(row.product_id)).values()].map((own) => ({ product_id: own[0]?.product_id ?? null, ...counts(own), series: series(own, starts) })),
      groups: [...groupBy(rows, (row) => JSON.stringify([row.product_id, row.data_group, row.data_type])).values()].map((own) => ({
        product_id: own[0]?.product_id ?? null, data_group: own[0]?.data_group ?? null, data_type: own[0]?.data_type ?? null, ...counts(own),
      })),
    },
  };
}

/** `to` ends with the unit it names and defaults to now; `from` defaults to 7 days before. */
function overviewRange(params: OverviewParams, nowUs: number): OverviewRange {
  const toUs = params.to === undefined ? nowUs : params.to.us + params.to.unitUs - 1;
  const fromUs = params.from?.us ?? toUs - 7 * DAY_US + 1;
  if (fromUs > toUs) return { ok: false, errors: { to: ['The to field must be a date after or equal to from.'] } };
  if (toUs - fromUs > MAX_RANGE_US) return { ok: false, errors: { from: ['The range must not be longer than five years.'] } };
  return { ok: true, fromUs, toUs };
}

function bucketStarts(fromUs: number, toUs: number, bucketUs: number): number[] {
  const starts: number[] = [];
  for (let start = Math.floor(fromUs / bucketUs) * bucketUs; start <= toUs; start += bucketUs) starts.push(start);
  return starts;
}

function counts(rows: readonly ActivityRow[]): OverviewCounts {
  let clean = 0;
  let flagged = 0;
  for (const row of rows) {
    clean += row.clean;
    flagged += row.flagged;
  }
  return { total: clean + flagged, clean, flagged };
}

function series(rows: readonly ActivityRow[], starts: readonly number[]): OverviewBucket[] {
  const byStart = new Map(starts.map((start) => [start, { start: isoFromMicros(start), clean: 0, flagged: 0 }]));
  for (const row of rows) {
    const bucket = byStart.get(row.bucket_start_us);
    if (bucket === undefined) continue;
    bucket.clean += row.clean;
    bucket.flagged += row.flagged;
  }
  return [...byStart.values()];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [item]);
    else list.push(item);
  }
  return groups;
}
