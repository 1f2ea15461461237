import type { FieldErrors } from '../model/record.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { isoFromMicros } from './iso-micros.js';
import type { Instant } from '../model/parse-instant.js';
import { CHECK_NAMES, type CheckName, type PiracyAlert } from '../model/summary.js';
import { DAY_US } from '../model/clock.js';
import { recordTimeRange } from '../model/record-time.js';

/** Most (product, data group) pairs with red flags one answer looks into. */
const MAX_GROUPS = 200;

/** A license key or user identifier of one product that sent red-flagged reports. */
export interface PiracySuspect {
  product_id: number;
  value: string | null;
  count: number;
  failed_checks: Record<CheckName, number>;
  first_seen: string;
  last_seen: string;
}

/** `GET /admin/api/piracy` (docs/dashboard.md). */
export interface PiracyAnswer {
  from: string;
  to: string;
  license_keys: PiracySuspect[];
  user_identifiers: PiracySuspect[];
  /** Red-flagged reports without a product id or data group, which no suspect list can hold. */
  unattributed: number;
  /** True when more than MAX_GROUPS data groups had red flags and only the first were read. */
  truncated: boolean;
}

/** What the piracy view asks for, each field already read (the admin API's schema, src/http/schemas/piracy.ts). */
export interface PiracyParams {
  from?: Instant;
  to?: Instant;
  productId?: number;
  /** Most suspects listed per kind. */
  top: number;
}

export type PiracyOutcome = { ok: true; answer: PiracyAnswer } | { ok: false; errors: FieldErrors };

interface Merged {
  product_id: number;
  alert: PiracyAlert;
}

/**
 * The piracy view: license keys and user identifiers with red-flagged reports whose record time
 * (reported_at, else created_at) is in [from, to]
 * (default: the last 30 days), across every data group of every product (or one product). The
 * data groups with red flags come from one activity scan; each is then summarized over its
 * red-flagged records only (the summary's flagged index), and their alerts are merged.
 */
export async function piracy(telemetry: TelemetryStore, params: PiracyParams, nowUs: number, maxReportAgeDays: number): Promise<PiracyOutcome> {
  const { from, to, productId, top } = params;
  const toUs = to === undefined ? nowUs : to.us + to.unitUs - 1;
  const fromUs = from?.us ?? toUs - 30 * DAY_US + 1;
  if (fromUs > toUs) return { ok: false, errors: { to: ['The to field must be a date after or equal to from.'] } };

  const range = recordTimeRange(fromUs, toUs, maxReportAgeDays);
  const rows = (await telemetry.activity({ ...range, bucketUs: DAY_US })).filter((r) => r.flagged > 0 && (productId === undefined || r.product_id === productId));
  const groups = new Map<string, { product_id: number; data_group: string }>();
  let unattributed = 0;
  for (const row of rows) {
    if (row.product_id === null || row.data_group === null) unattributed += row.flagged;
    else groups.set(JSON.stringify([row.product_id, row.data_group]), { product_id: row.product_id, data_group: row.data_group });
  }
  const keys = new Map<string, Merged>();
  const users = new Map<string, Merged>();
  for (const group of [...groups.values()].slice(0, MAX_GROUPS)) {
    const filter = { productIds: [group.product_id], dataGroup: group.data_group, ...range, flags: { has_red_flags: 1 as const } };
    const summary = await telemetry.summarize(filter, { buckets: 1, points: 2, top: 100 });
    for (const alert of summary.alerts.license_keys) merge(keys, group.product_id, alert);
    for (const alert of summary.alerts.user_identifiers) merge(users, group.product_id, alert);
  }
  return {
    ok: true,
    answer: {
      from: isoFromMicros(fromUs), to: isoFromMicros(toUs),
      license_keys: ranked(keys, top), user_identifiers: ranked(users, top),
      unattributed, truncated: groups.size > MAX_GROUPS,
    },
  };
}

function merge(into: Map<string, Merged>, productId: number, alert: PiracyAlert): void {
  const key = JSON.stringify([productId, alert.value]);
  const seen = into.get(key);
  if (seen === undefined) {
    into.set(key, { product_id: productId, alert: { ...alert, failed_checks: { ...alert.failed_checks } } });
    return;
  }
  seen.alert.count += alert.count;
  for (const check of CHECK_NAMES) seen.alert.failed_checks[check] += alert.failed_checks[check];
  seen.alert.first_seen_us = Math.min(seen.alert.first_seen_us, alert.first_seen_us);
  seen.alert.last_seen_us = Math.max(seen.alert.last_seen_us, alert.last_seen_us);
}

/** Most red-flagged reports first; ties by product, then value. */
function ranked(merged: Map<string, Merged>, top: number): PiracySuspect[] {
  return [...merged.values()]
    .sort((a, b) => b.alert.count - a.alert.count || a.product_id - b.product_id || String(a.alert.value).localeCompare(String(b.alert.value)))
    .slice(0, top)
    .map(({ product_id, alert }) => ({
      product_id, value: alert.value, count: alert.count, failed_checks: alert.failed_checks,
      first_seen: isoFromMicros(alert.first_seen_us), last_seen: isoFromMicros(alert.last_seen_us),
    }));
}
