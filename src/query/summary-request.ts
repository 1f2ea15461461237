import type { FieldErrors } from '../model/record.js';
import { parseInstant } from './parse-instant.js';
import { ParamReader } from './query-params.js';
import type { SummaryOptions } from '../model/summary.js';
import type { TelemetryFilter } from '../model/filter.js';

const DAY_US = 86_400_000_000;
/** The range a summary covers when `from` is not given: the 30 days before `to`. */
export const DEFAULT_RANGE_US = 30 * DAY_US;

/** Every parameter `GET /admin/api/summary` takes (docs/admin-api.md). */
const PARAMETERS = [
  'product_id', 'data_group', 'from', 'to', 'buckets', 'points', 'top', 'product_version', 'has_red_flags',
] as const;

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
 * Checks the summary's query parameters and fills in the defaults (the last 30 days, 20
 * buckets, 1000 points, top 20). Every problem is reported at once, per parameter; nothing
 * throws. `nowUs` is passed in so that the default range is testable.
 */
export function parseSummaryRequest(query: Readonly<Record<string, unknown>>, nowUs: number): ParsedSummaryRequest {
  const params = new ParamReader(query);
  const productId = readProductId(params);
  const dataGroup = params.required('data_group');
  const range = readRange(params, nowUs);
  const options: SummaryOptions = {
    buckets: params.integer('buckets', 1, 100, 20),
    points: params.integer('points', 2, 10_000, 1000),
    top: params.integer('top', 1, 100, 20),
  };
  const productVersion = params.text('product_version');
  const hasRedFlags = params.bit('has_red_flags');
  const flags = hasRedFlags === undefined ? undefined : { has_red_flags: hasRedFlags };
  params.rejectUnknown(PARAMETERS);
  if (!params.ok || productId === undefined || dataGroup === undefined || range === undefined) return { ok: false, errors: params.errors };
  const filter: TelemetryFilter = { productIds: [productId], dataGroup, fromUs: range.fromUs, toUs: range.toUs, productVersion, flags };
  return { ok: true, request: { productId, dataGroup, ...range, filter, options } };
}

function readProductId(params: ParamReader): number | undefined {
  const text = params.required('product_id');
  if (text === undefined) return undefined;
  if (/^\d{1,15}$/.test(text) && Number(text) > 0) return Number(text);
  return params.fail('product_id', 'The product id field must be a positive integer.');
}

/** `from` starts at the instant named; `to` ends with the unit it names (`to=2024-02-27` is the whole day), as in the query API. */
function readTime(params: ParamReader, name: 'from' | 'to'): number | undefined {
  const text = params.text(name);
  if (text === undefined) return undefined;
  const instant = parseInstant(text);
  if (instant === null) return params.fail(name, `The ${name} field must be an ISO-8601 date or Unix seconds.`);
  return name === 'from' ? instant.us : instant.us + instant.unitUs - 1;
}

function readRange(params: ParamReader, nowUs: number): { fromUs: number; toUs: number } | undefined {
  const from = readTime(params, 'from');
  const to = readTime(params, 'to');
  if (params.errors['from'] !== undefined || params.errors['to'] !== undefined) return undefined;
  const toUs = to ?? nowUs;
  const fromUs = from ?? toUs - DEFAULT_RANGE_US;
  if (fromUs > toUs) return params.fail('to', 'The to field must be a date after or equal to from.');
  return { fromUs, toUs };
}
