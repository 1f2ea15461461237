import type { FieldErrors } from '../model/record.js';
import type { TelemetryStore } from '../store/contract/store.js';
import type { ActivityRow } from '../model/activity.js';
import { isoFromMicros } from './iso-micros.js';
import { parseInstant } from './parse-instant.js';
import { ParamReader } from './query-params.js';

const HOUR_US = 3_600_000_000;
const DAY_US = 24 * HOUR_US;
/** Ranges up to this long are bucketed by hour, longer ones by UTC day. */
const HOURLY_UP_TO_US = 2 * DAY_US;
/** The longest range an overview covers (one bucket per day: about 1,800 points). */
const MAX_RANGE_US = 5 * 366 * DAY_US;
const PARAMETERS = ['from', 'to', 'product_id'] as const;

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

interface OverviewRequest {
  fromUs: number;
  toUs: number;
  productId: number | undefined;
}

/**
 * The dashboard's overview: reports per hour or day over [from, to] (default: the last 7 days),
 * clean and flagged apart, in total and per product, and every data group seen in the range.
 * One `TelemetryStore.activity` scan; never throws on bad input.
 */
export async function overview(telemetry: TelemetryStore, query: Readonly<Record<string, unknown>>, nowUs: number): Promise<OverviewOutcome> {
  const parsed = parseOverviewRequest(query, nowUs);
  if (!parsed.ok) return parsed;
  const { fromUs, toUs, productId } = parsed.request;
  const bucketUs = toUs - fromUs <= HOURLY_UP_TO_US ? HOUR_US : DAY_US;
  const rows = (await telemetry.activity({ fromUs, toUs, bucketUs })).filter((row) => productId === undefined || row.product_id === productId);
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

function parseOverviewRequest(query: Readonly<Record<string, unknown>>, nowUs: number): { ok: true; request: OverviewRequest } | { ok: false; errors: FieldErrors } {
  const params = new ParamReader(query);
  const from = instant(params, 'from');
  const to = instant(params, 'to');
  const productText = params.text('product_id');
  const productId = productText !== undefined && /^\d{1,15}$/.test(productText) && Number(productText) > 0 ? Number(productText) : undefined;
  if (productText !== undefined && productId === undefined) params.fail('product_id', 'The product id field must be a positive integer.');
  params.rejectUnknown(PARAMETERS);
  const toUs = to === undefined ? nowUs : to.us + to.unitUs - 1;
  const fromUs = from?.us ?? toUs - 7 * DAY_US + 1;
  if (params.ok && fromUs > toUs) params.fail('to', 'The to field must be a date after or equal to from.');
  if (params.ok && toUs - fromUs > MAX_RANGE_US) params.fail('from', 'The range must not be longer than five years.');
  return params.ok ? { ok: true, request: { fromUs, toUs, productId } } : { ok: false, errors: params.errors };
}

function instant(params: ParamReader, name: 'from' | 'to'): { us: number; unitUs: number } | undefined {
  const text = params.text(name);
  if (text === undefined) return undefined;
  return parseInstant(text) ?? params.fail(name, `The ${name} field must be an ISO-8601 date or Unix seconds.`);
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
