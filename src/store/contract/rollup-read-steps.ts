import type { ActivityRequest, ActivityRow } from '../../model/activity.js';
import type { TelemetryFilter } from '../../model/filter.js';
import { DAY_US, HOUR_US } from '../../model/clock.js';
import { activityEdgeSql, activitySpanSql, mergeActivity, rollupSummaryParts, summaryBinsSql, summaryCountsSql, summaryEdgeSql, type EdgeRow, type RawWindow, type RollupSummaryParts, type SummaryCountRow } from './rollup-reads.js';
import { rollupFilter, rollupPlan } from './rollup-plan.js';
import { boundStep, step, type SqlRow, type SqlSteps } from './sql-steps.js';

/**
 * The reads of the rollups as steps (sql-steps.ts), one walk of the plan for both backends: whole
 * days and hours from the rollup tables, the partial hours at the ends of a range from raw records
 * (`raw`, the backend's way to find them). Each backend runs the steps in one snapshot, so that
 * rollups and raw edges agree (docs/decisions/0033-rollups.md).
 */


/** The rows a step gave, as the row type its SELECT names. */
function rowsOf<Row>(rows: SqlRow[]): Row[] {
  return rows as unknown as Row[];
}

/** `TelemetryStore.activity` from rollups; null when the bucket is not whole hours (read raw then). */
export function* rollupActivitySteps(request: ActivityRequest, raw: RawWindow): SqlSteps<ActivityRow[] | null> {
  const { bucketUs, recordFromUs, recordToUs } = request;
  if (bucketUs % HOUR_US !== 0) return null;
  const plan = rollupPlan(recordFromUs, recordToUs, bucketUs % DAY_US === 0);
  const parts: ActivityRow[][] = [];
  for (const span of plan.spans) parts.push(rowsOf<ActivityRow>(yield step(activitySpanSql(span, bucketUs))));
  for (const edge of plan.edges) parts.push(rowsOf<ActivityRow>(yield step(activityEdgeSql(edge, bucketUs, raw))));
  return mergeActivity(parts);
}

/** A summary's numeric part and days from rollups; null when the filter is not on rollup dimensions. */
export function* rollupSummarySteps(filter: TelemetryFilter, buckets: number, raw: RawWindow): SqlSteps<RollupSummaryParts | null> {
  if (!rollupFilter(filter)) return null;
  const plan = rollupPlan(filter.recordFromUs, filter.recordToUs, true);
  const counts: SummaryCountRow[] = [];
  const bins: { bin: number; n: number }[] = [];
  const edges: EdgeRow[] = [];
  for (const span of plan.spans) {
    counts.push(...rowsOf<SummaryCountRow>(yield boundStep((bind) => summaryCountsSql(filter, span, bind))));
    bins.push(...rowsOf<{ bin: number; n: number }>(yield boundStep((bind) => summaryBinsSql(filter, span, bind))));
  }
  for (const edge of plan.edges) edges.push(...rowsOf<EdgeRow>(yield boundStep((bind) => summaryEdgeSql(filter, edge, bind, raw))));
  return rollupSummaryParts(counts, bins, edges, buckets);
}
