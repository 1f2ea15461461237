import type { TelemetryFilter } from '../../model/filter.js';
import { DAY_US, HOUR_US } from '../../model/clock.js';

/** Bucket starts [from, to] (inclusive) of one span's rollup rows. */
export interface SpanRange {
  spanUs: number;
  from: number;
  to: number;
}

/**
 * How a range of record time [fromUs, toUs] is read: whole days from day rows (when `days`),
 * whole hours from hour rows, and the partial hours at either end from raw records (`edges`,
 * inclusive bounds).
 */
export interface RollupPlan {
  spans: SpanRange[];
  edges: [number, number][];
}

export function rollupPlan(fromUs: number, toUs: number, days: boolean): RollupPlan {
  const h0 = Math.ceil(fromUs / HOUR_US) * HOUR_US;
  const h1 = Math.floor((toUs + 1) / HOUR_US) * HOUR_US;
  if (h0 >= h1) return { spans: [], edges: [[fromUs, toUs]] };
  const edges: [number, number][] = [];
  if (fromUs < h0) edges.push([fromUs, h0 - 1]);
  if (h1 <= toUs) edges.push([h1, toUs]);
  const d0 = Math.ceil(h0 / DAY_US) * DAY_US;
  const d1 = Math.floor(h1 / DAY_US) * DAY_US;
  if (!days || d0 >= d1) return { spans: [{ spanUs: HOUR_US, from: h0, to: h1 - HOUR_US }], edges };
  const spans: SpanRange[] = [{ spanUs: DAY_US, from: d0, to: d1 - DAY_US }];
  if (h0 < d0) spans.push({ spanUs: HOUR_US, from: h0, to: d0 - HOUR_US });
  if (d1 < h1) spans.push({ spanUs: HOUR_US, from: d1, to: h1 - HOUR_US });
  return { spans, edges };
}

const ROLLUP_FIELDS: ReadonlySet<string> = new Set(['productIds', 'dataGroup', 'dataType', 'productVersion', 'flags', 'fromUs', 'toUs', 'recordFromUs', 'recordToUs']);

/**
 * Whether rollups can answer for a filter: only the rollups' dimensions (product, data group and
 * type, version, has_red_flags) and a record-time range. Anything else (a user identifier, a
 * license key, another flag, a created_at or reported_at range of its own) reads raw records.
 */
export function rollupFilter(filter: TelemetryFilter): filter is TelemetryFilter & { recordFromUs: number; recordToUs: number } {
  if (filter.recordFromUs === undefined || filter.recordToUs === undefined) return false;
  for (const [field, value] of Object.entries(filter)) if (value !== undefined && !ROLLUP_FIELDS.has(field)) return false;
  const flags = Object.entries(filter.flags ?? {}).filter(([, value]) => value !== undefined);
  return flags.every(([flag]) => flag === 'has_red_flags');
}
