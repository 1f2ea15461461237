import type pg from 'pg';
import type { SummaryOptions, TelemetrySummary } from '../../model/summary.js';
import type { TelemetryFilter } from '../../model/filter.js';
import { buildSummaryStatement } from './summary-sql.js';
import { toTelemetrySummary, type PgSummaryRow } from './summary-result.js';
import type { PgQueryable } from './queryable.js';
import { rollupFilter } from '../contract/rollup-plan.js';
import { SKETCH_MODE } from '../contract/rollup-sketch.js';
import { SUMMARY_RECORDS } from '../contract/summary-records.js';
import { inSnapshot, rollupSummary } from './rollup-reads.js';
import { alertWalkSteps, type WalkedAlerts } from '../contract/alert-walk.js';
import { walkFilter } from '../contract/alert-walk-sql.js';
import { ALERT_KINDS, type AlertKind } from '../contract/flagged-counts-sql.js';
import { runSteps } from './step-runner.js';

/**
 * `TelemetryStore.summarize` for PostgreSQL: counts, exact nearest-rank percentiles, histogram,
 * xy points (min/max downsampled past `options.points`), top texts, per-UTC-day clean/flagged
 * counts and piracy alerts of the records matching the filter. One statement, hence one
 * snapshot and one round trip, on any connection or pool (summary-sql.ts). `rawAlerts`: the
 * kinds of alerts it reads (all unless the threshold walk answered some).
 */
export async function summarizeTelemetry(db: PgQueryable, filter: TelemetryFilter, options: SummaryOptions, restrict?: string, rawAlerts?: readonly AlertKind[]): Promise<TelemetrySummary> {
  const statement = buildSummaryStatement(filter, options, restrict, rawAlerts);
  const { rows } = await db.query<PgSummaryRow>(statement.sql, statement.params);
  const row = rows[0];
  if (row === undefined) throw new Error('the summary statement returned no row');
  return toTelemetrySummary(row, options.buckets);
}

/** The summary with the alerts the walk answered in place of the (unread) raw ones. */
function withWalked(summary: TelemetrySummary, walked: WalkedAlerts): TelemetrySummary {
  const { license_keys, user_identifiers } = summary.alerts;
  return { ...summary, alerts: { license_keys: walked.license_key ?? license_keys, user_identifiers: walked.user_identifier ?? user_identifiers } };
}

/**
 * The summary in one REPEATABLE READ snapshot, with its piracy alerts from the threshold walk over
 * the flagged value counts (decision 0043) and its numeric part and per-day counts from the rollups
 * (decision 0033) when the filter allows each; the raw statement then reads only the parts neither
 * answered (xy points and top texts when the range has such records, red-flagged records for a kind
 * of alerts the walk gave up on). Entirely raw, in one statement, when neither applies.
 */
export async function summarizeWithRollups(pool: pg.Pool, filter: TelemetryFilter, options: SummaryOptions): Promise<TelemetrySummary> {
  const rollups = options.exact !== true && rollupFilter(filter);
  if (!rollups && !walkFilter(filter)) return summarizeTelemetry(pool, filter, options);
  return inSnapshot(pool, async (client) => {
    const walked = await runSteps(client, alertWalkSteps(filter, options.top, () => 'telemetry'));
    const rawAlerts = ALERT_KINDS.filter((kind) => walked[kind] === null);
    const rolled = rollups ? await rollupSummary(client, filter, options.buckets) : null;
    if (rolled === null) return withWalked(await summarizeTelemetry(client, filter, options, undefined, rawAlerts), walked);
    const needed: string[] = rawAlerts.length > 0 ? [SUMMARY_RECORDS.flagged] : [];
    if (rolled.typed.has('numeric-xy-axis')) needed.push(SUMMARY_RECORDS.xy);
    if (rolled.typed.has('text')) needed.push(SUMMARY_RECORDS.text);
    const restrict = needed.length > 0 ? needed.map((c) => `(${c})`).join(' OR ') : 'FALSE';
    const rest = await summarizeTelemetry(client, filter, options, restrict, rawAlerts);
    return withWalked({ ...rest, numeric: rolled.numeric, days: rolled.days, percentiles: SKETCH_MODE }, walked);
  });
}
