import { DAY_US } from '../model/clock.js';
import { HLL_DISTINCT_LABEL, OTHER_KEY, type InstallsBy, type InstallsDistinct, type InstallsInterval, type InstallsSeriesRow } from '../model/installs.js';
import type { FieldErrors } from '../model/record.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { isoFromMicros } from './iso-micros.js';
import type { Instant } from '../model/parse-instant.js';
import { summaryRange } from './summary-request.js';

/** Most buckets one answer covers: a bit more than a year of days. */
export const MAX_BUCKETS = 400;
/** Most keys (versions, OS) one answer names; the others are counted together as "other". */
export const MAX_KEYS = 20;

/** What `GET /admin/api/installs` and `tally installs` ask for, each field already read. */
export interface InstallsParams {
  productId: number;
  from?: Instant;
  to?: Instant;
  interval: InstallsInterval;
  by: InstallsBy;
  /** `hll` (default): from the install sketches, over whole UTC days; `exact`: from the raw reports. */
  distinct?: InstallsDistinct;
}

/** `GET /admin/api/installs` (CONTRACT §6, docs/admin-api.md "Installs"). */
export interface InstallsAnswer {
  product_id: number;
  interval: InstallsInterval;
  by: InstallsBy;
  from: string;
  to: string;
  /**
   * How distinct machines and users were counted: `"hll ±1.6%"` from the install sketches
   * (decision 0034), or `"exact"` by COUNT(DISTINCT) over the reports (decision 0023).
   * new_machines is exact either way.
   */
  distinct: 'exact' | typeof HLL_DISTINCT_LABEL;
  totals: { machines: number; users: number };
  series: InstallsSeriesRow[];
}

export type InstallsOutcome = { ok: true; answer: InstallsAnswer } | { ok: false; errors: FieldErrors };

const UNIT_NAMES: Record<InstallsInterval, string> = { day: 'days', week: 'weeks', month: 'months' };

/**
 * Installs and versions of one product: distinct machines and users per UTC day, ISO week or
 * month over [from, to] (default: the 30 days before now), per product_version, per
 * metadata.os, or all together. A product without reports (or not registered: reports naming
 * made-up product ids are stored too) answers an empty series. Never throws on input.
 * Sketched answers (the default) count whole UTC days: `from` is taken back to its day's start
 * and `to` on to its day's end, and the answer says so.
 */
export async function installs(telemetry: TelemetryStore, params: InstallsParams, nowUs: number): Promise<InstallsOutcome> {
  const checked = installsRange(params, nowUs);
  if (!checked.ok) return checked;
  const distinct = params.distinct ?? 'hll';
  const { fromUs, toUs } = distinct === 'hll' ? wholeDays(checked) : checked;
  const { productId, interval, by } = params;
  const counts = await telemetry.installs({ productId, fromUs, toUs, interval, by, distinct, maxKeys: MAX_KEYS });
  return {
    ok: true,
    answer: {
      product_id: productId, interval, by, from: isoFromMicros(fromUs), to: isoFromMicros(toUs),
      distinct: distinct === 'hll' ? HLL_DISTINCT_LABEL : 'exact', totals: counts.totals, series: [...counts.series].sort(bySeriesOrder),
    },
  };
}

/** The whole UTC days holding [fromUs, toUs]: what a sketched answer counts. */
export function wholeDays(range: { fromUs: number; toUs: number }): { fromUs: number; toUs: number } {
  return { fromUs: Math.floor(range.fromUs / DAY_US) * DAY_US, toUs: (Math.floor(range.toUs / DAY_US) + 1) * DAY_US - 1 };
}

/** The range as the summary reads it (`to` ends with the unit it names), if it fits MAX_BUCKETS buckets. */
export function installsRange(params: Pick<InstallsParams, 'from' | 'to' | 'interval'>, nowUs: number): { ok: true; fromUs: number; toUs: number } | { ok: false; errors: FieldErrors } {
  const range = summaryRange(params.from, params.to, nowUs);
  if (range === undefined) return { ok: false, errors: { to: ['The to field must be a date after or equal to from.'] } };
  const buckets = bucketIndex(range.toUs, params.interval) - bucketIndex(range.fromUs, params.interval) + 1;
  if (buckets > MAX_BUCKETS) {
    const unit = UNIT_NAMES[params.interval];
    return { ok: false, errors: { to: [`The range spans ${buckets} ${unit}; an answer holds at most ${MAX_BUCKETS} ${unit}: narrow from and to, or use a longer interval.`] } };
  }
  return { ok: true, ...range };
}

/** A bucket's number: days and ISO weeks (Monday to Sunday) since the epoch, months since year 0. */
function bucketIndex(us: number, interval: InstallsInterval): number {
  const day = Math.floor(us / DAY_US);
  if (interval === 'day') return day;
  if (interval === 'week') return Math.floor((day + 3) / 7);
  const date = new Date(day * 86_400_000);
  return date.getUTCFullYear() * 12 + date.getUTCMonth();
}

/** By bucket, then key in code-unit order, "other" last. */
function bySeriesOrder(a: InstallsSeriesRow, b: InstallsSeriesRow): number {
  if (a.bucket !== b.bucket) return a.bucket < b.bucket ? -1 : 1;
  if (a.key === b.key) return 0;
  if (a.key === OTHER_KEY || b.key === OTHER_KEY) return a.key === OTHER_KEY ? 1 : -1;
  return a.key < b.key ? -1 : 1;
}
