import type { FieldErrors } from '../model/record.js';
import type { Instant } from '../model/parse-instant.js';
import type { SummaryOptions } from '../model/summary.js';
import type { TelemetryFilter } from '../model/filter.js';
import { DAY_US } from '../model/clock.js';
import { recordTimeRange } from '../model/record-time.js';

/** The range a summary covers when `from` is not given: the 30 days before `to`. */
export const DEFAULT_RANGE_US = 30 * DAY_US;

/**
 * What a summary asks for, each field already read and checked on its own (the admin API reads
 * them with the schema in src/http/schemas/summary.ts, defaults included).
 */
export interface SummaryParams {
  productId: number;
  dataGroup: string;
  from?: Instant;
  to?: Instant;
  options: SummaryOptions;
  productVersion?: string;
  hasRedFlags?: 0 | 1;
}

/** A validated summary request: one product and data group over [fromUs, toUs]. */
export interface SummaryRequest {
  productId: number;
  dataGroup: string;
  fromUs: number;
  toUs: number;
  filter: TelemetryFilter;
  options: SummaryOptions;
}

export type ParsedSummaryRequest = { ok: true; request: SummaryRequest } | { ok: false; errors: FieldErrors };

/**
 * The summary's range: `from` starts at the instant named, `to` ends with the unit it names
 * (`to=2024-02-27` is the whole day), as in the query API; without `to` it ends now, without
 * `from` it starts 30 days before its end. Undefined when it would end before it starts.
 */
export function summaryRange(from: Instant | undefined, to: Instant | undefined, nowUs: number): { fromUs: number; toUs: number } | undefined {
  const toUs = to === undefined ? nowUs : to.us + to.unitUs - 1;
  const fromUs = from?.us ?? toUs - DEFAULT_RANGE_US;
  return fromUs > toUs ? undefined : { fromUs, toUs };
}

/** The one rule across the summary's fields: `to` before `from` is an error of `to`. */
export function summaryRangeErrors(from: Instant | undefined, to: Instant | undefined, nowUs: number): FieldErrors {
  return summaryRange(from, to, nowUs) === undefined ? { to: ['The to field must be a date after or equal to from.'] } : {};
}

/** The summary's filter over its range of record time (reported_at, else created_at); never throws. `nowUs` is passed in so that the default range is testable. */
export function summaryRequest(params: SummaryParams, nowUs: number, maxReportAgeDays: number): ParsedSummaryRequest {
  const range = summaryRange(params.from, params.to, nowUs);
  if (range === undefined) return { ok: false, errors: summaryRangeErrors(params.from, params.to, nowUs) };
  const { productId, dataGroup, productVersion, hasRedFlags, options } = params;
  const flags = hasRedFlags === undefined ? undefined : { has_red_flags: hasRedFlags };
  const filter: TelemetryFilter = { productIds: [productId], dataGroup, ...recordTimeRange(range.fromUs, range.toUs, maxReportAgeDays), productVersion, flags };
  return { ok: true, request: { productId, dataGroup, ...range, filter, options } };
}
