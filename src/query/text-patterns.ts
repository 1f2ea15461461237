import type { FieldErrors } from '../model/record.js';
import type { ValueCount } from '../model/summary.js';
import { textPattern } from '../model/text-pattern.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { isoFromMicros } from './iso-micros.js';
import { summaryRequest, type SummaryParams } from './summary-request.js';

/** How many of the most frequent distinct text values are grouped into patterns. */
export const PATTERN_VALUES_READ = 1000;
/** How many exact values each pattern lists (its most frequent). */
export const VALUES_PER_PATTERN = 20;

export interface TextPatternGroup {
  /** The value with its varying parts collapsed (model/text-pattern.ts), e.g. `Unhandled exception at 0x<hex>`. */
  pattern: string;
  /** Reports whose value has this pattern, among the values read. */
  count: number;
  /** Distinct values with this pattern, among the values read. */
  distinct_values: number;
  /** Its most frequent exact values (at most VALUES_PER_PATTERN), most frequent first, ties by value. */
  values: ValueCount[];
}

/** `GET /admin/api/summary/text-patterns` (docs/admin-api.md, "Text patterns"). */
export interface TextPatternsAnswer {
  product_id: number;
  data_group: string;
  from: string;
  to: string;
  /** Text reports in the selection. */
  count: number;
  /** What was grouped: the `limit` most frequent distinct values, `distinct_values` of them, holding `reports` reports. */
  read: { limit: number; distinct_values: number; reports: number };
  /** Most reports first, ties by pattern. */
  patterns: TextPatternGroup[];
}

export type TextPatternsOutcome = { ok: true; answer: TextPatternsAnswer } | { ok: false; errors: FieldErrors };

/** Groups ranked values by pattern: counts add up, each group's values keep their order. */
export function groupByPattern(values: readonly ValueCount[]): TextPatternGroup[] {
  const groups = new Map<string, TextPatternGroup>();
  for (const value of values) {
    const pattern = textPattern(value.value);
    const group = groups.get(pattern) ?? { pattern, count: 0, distinct_values: 0, values: [] };
    group.count += value.count;
    group.distinct_values += 1;
    if (group.values.length < VALUES_PER_PATTERN) group.values.push(value);
    groups.set(pattern, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0));
}

/**
 * The text values of one product's data group grouped by pattern. Bounded: the store ranks the
 * PATTERN_VALUES_READ most frequent distinct values (the summary's top list, exact counts), and
 * only those are grouped; `read` says how many reports they hold, so a caller sees what share of
 * `count` the patterns cover.
 */
export async function textPatterns(telemetry: TelemetryStore, params: Omit<SummaryParams, 'options'>, nowUs: number, maxReportAgeDays: number): Promise<TextPatternsOutcome> {
  const parsed = summaryRequest({ ...params, options: { buckets: 1, points: 2, top: PATTERN_VALUES_READ } }, nowUs, maxReportAgeDays);
  if (!parsed.ok) return parsed;
  const { request } = parsed;
  const { text } = await telemetry.summarize(request.filter, request.options);
  return {
    ok: true,
    answer: {
      product_id: request.productId,
      data_group: request.dataGroup,
      from: isoFromMicros(request.fromUs),
      to: isoFromMicros(request.toUs),
      count: text.count,
      read: { limit: PATTERN_VALUES_READ, distinct_values: text.top.length, reports: text.top.reduce((sum, v) => sum + v.count, 0) },
      patterns: groupByPattern(text.top),
    },
  };
}
