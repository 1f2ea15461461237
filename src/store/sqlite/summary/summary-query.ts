import type Database from 'better-sqlite3';
import type { SummaryOptions, TelemetrySummary } from '../../../model/summary.js';
import type { TelemetryFilter } from '../../../model/filter.js';
import { FilteredQueries } from './filtered-queries.js';
import { registerSummaryAggregates } from './summary-aggregates.js';
import { piracyAlerts } from './summary-alerts.js';
import { dayCounts } from './summary-days.js';
import { numericSummary } from './summary-numeric.js';
import { textSummary } from './summary-text.js';
import { xySummary } from './summary-xy.js';
import type { SqliteRollupReads } from '../rollups/rollup-reads.js';
import { SKETCH_MODE } from '../../contract/rollup-sketch.js';
import { alertWalkSteps } from '../../contract/alert-walk.js';
import { SqliteStepRunner } from '../rollups/step-runner.js';
import { FLAGGED_BY_VALUE } from './summary-indexes.js';

/**
 * `TelemetryStore.summarize` for SQLite. Every part reads inside one transaction, so a summary
 * is one snapshot even while another process (the CLI, a second server) writes. Unless exact
 * percentiles are asked for, the numeric part and the per-day counts come from the rollups when
 * the filter allows (decision 0033); the piracy alerts by a threshold walk over the flagged value
 * counts when the filter allows (decision 0043); the other parts read raw records as before.
 */
export function createSqliteSummarizer(db: Database.Database, rollups: SqliteRollupReads): (filter: TelemetryFilter, options: SummaryOptions) => TelemetrySummary {
  registerSummaryAggregates(db);
  const steps = new SqliteStepRunner(db);
  return db.transaction((filter: TelemetryFilter, options: SummaryOptions): TelemetrySummary => {
    const queries = new FilteredQueries(db, filter);
    const walked = steps.run(alertWalkSteps(filter, options.top, FLAGGED_BY_VALUE));
    const rolled = options.exact === true ? null : rollups.summaryParts(filter, options.buckets);
    if (rolled !== null) {
      return {
        numeric: rolled.numeric,
        xy: xySummary(queries, options.points),
        text: textSummary(queries, options.top),
        days: rolled.days,
        alerts: piracyAlerts(queries, options.top, walked),
        percentiles: SKETCH_MODE,
      };
    }
    return {
      percentiles: 'exact',
      numeric: numericSummary(queries, options.buckets),
      xy: xySummary(queries, options.points),
      text: textSummary(queries, options.top),
      days: dayCounts(queries),
      alerts: piracyAlerts(queries, options.top, walked),
    };
  });
}
