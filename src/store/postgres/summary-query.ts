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

/**
 * `TelemetryStore.summarize` for PostgreSQL: counts, exact nearest-rank percentiles, histogram,
 * xy points (min/max downsampled past `options.points`), top texts, per-UTC-day clean/flagged
 * counts and piracy alerts of the records matching the filter. One statement, hence one
 * snapshot and one round trip, on any connection or pool (summary-sql.ts).
 */
export async function summarizeTelemetry(db: PgQueryable, filter: TelemetryFilter, options: SummaryOptions, restrict?: string): Promise<TelemetrySummary> {
  const statement = buildSummaryStatement(filter, options, restrict);
  const { rows } = await db.query<PgSummaryRow>(statement.sql, statement.params);
  const row = rows[0];
  if (row === undefined) throw new Error('the summary statement returned no row');
  return toTelemetrySummary(row, options.buckets);
}

/**
 * The summary with its numeric part and per-day counts from the rollups (decision 0033), in one
 * REPEATABLE READ snapshot; the raw statement then reads only the parts the rollups do not hold
 * (xy points and top texts, when the range has such records, and the red-flagged records of the
 * piracy alerts). Exact (raw) when asked for or when the filter is not on rollup dimensions.
 */
export async function summarizeWithRollups(pool: pg.Pool, filter: TelemetryFilter, options: SummaryOptions): Promise<TelemetrySummary> {
  if (options.exact === true || !rollupFilter(filter)) return summarizeTelemetry(pool, filter, options);
  return inSnapshot(pool, async (client) => {
    const rolled = await rollupSummary(client, filter, options.buckets);
    if (rolled === null) return summarizeTelemetry(client, filter, options);
    const needed = ['has_red_flags = 1'];
    if (rolled.typed.has('numeric-xy-axis')) needed.push(SUMMARY_RECORDS.xy);
    if (rolled.typed.has('text')) needed.push(SUMMARY_RECORDS.text);
    const rest = await summarizeTelemetry(client, filter, options, needed.map((c) => `(${c})`).join(' OR '));
    return { ...rest, numeric: rolled.numeric, days: rolled.days, percentiles: SKETCH_MODE };
  });
}
