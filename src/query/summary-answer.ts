import { isoFromMicros, utcDayFromMicros } from './iso-micros.js';
import type { CheckName, NumericSummary, PercentileMode, PiracyAlert, TelemetrySummary, ValueCount } from '../model/summary.js';
import type { SummaryRequest } from './summary-request.js';

/** A piracy alert as the admin API prints it, keyed by what it counts. */
export type AlertAnswer<K extends string> = { [key in K]: string | null } & {
  count: number;
  failed_checks: Record<CheckName, number>;
  first_seen: string;
  last_seen: string;
};

/** The JSON body of `GET /admin/api/summary` (docs/admin-api.md describes each field). */
export interface SummaryAnswer {
  product_id: number;
  data_group: string;
  from: string;
  to: string;
  total: number;
  numeric: NumericSummary & { percentiles: PercentileMode };
  xy: { count: number; downsampling: 'none' | 'min-max'; points: { x: number; y: number; created_at: string }[] };
  text: { count: number; top: ValueCount[] };
  days: { day: string; clean: number; flagged: number }[];
  piracy_alerts: { license_keys: AlertAnswer<'license_key'>[]; user_identifiers: AlertAnswer<'user_identifier'>[] };
}

/** Shapes a store summary for the wire: ISO times with six fractional digits, UTC days, named alert keys. */
export function summaryAnswer(request: SummaryRequest, summary: TelemetrySummary): SummaryAnswer {
  const { histogram, ...numbers } = summary.numeric;
  const days = summary.days.map((d) => ({ day: utcDayFromMicros(d.day_start_us), clean: d.clean, flagged: d.flagged }));
  return {
    product_id: request.productId,
    data_group: request.dataGroup,
    from: isoFromMicros(request.fromUs),
    to: isoFromMicros(request.toUs),
    total: days.reduce((sum, d) => sum + d.clean + d.flagged, 0),
    numeric: { ...numbers, percentiles: summary.percentiles, histogram },
    xy: {
      count: summary.xy.count,
      downsampling: summary.xy.downsampled ? 'min-max' : 'none',
      points: summary.xy.points.map((p) => ({ x: p.x, y: p.y, created_at: isoFromMicros(p.created_at_us) })),
    },
    text: summary.text,
    days,
    piracy_alerts: {
      license_keys: summary.alerts.license_keys.map((a) => alertAnswer('license_key', a)),
      user_identifiers: summary.alerts.user_identifiers.map((a) => alertAnswer('user_identifier', a)),
    },
  };
}

function alertAnswer<K extends string>(key: K, alert: PiracyAlert): AlertAnswer<K> {
  const named = { [key]: alert.value } as { [key in K]: string | null };
  return {
    ...named,
    count: alert.count,
    failed_checks: alert.failed_checks,
    first_seen: isoFromMicros(alert.first_seen_us),
    last_seen: isoFromMicros(alert.last_seen_us),
  };
}
