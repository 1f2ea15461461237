import type { SummaryOptions, TelemetrySummary } from '../../model/summary.js';
import type { TelemetryFilter } from '../../model/filter.js';
import { buildSummaryStatement } from './summary-sql.js';
import { toTelemetrySummary, type PgSummaryRow } from './summary-result.js';
import type { PgQueryable } from './queryable.js';

/**
 * `TelemetryStore.summarize` for PostgreSQL: counts, exact nearest-rank percentiles, histogram,
 * xy points (min/max downsampled past `options.points`), top texts, per-UTC-day clean/flagged
 * counts and piracy alerts of the records matching the filter. One statement, hence one
 * snapshot and one round trip, on any connection or pool (summary-sql.ts).
 */
export async function summarizeTelemetry(db: PgQueryable, filter: TelemetryFilter, options: SummaryOptions): Promise<TelemetrySummary> {
  const statement = buildSummaryStatement(filter, options);
  const { rows } = await db.query<PgSummaryRow>(statement.sql, statement.params);
  const row = rows[0];
  if (row === undefined) throw new Error('the summary statement returned no row');
  return toTelemetrySummary(row, options.buckets);
}
