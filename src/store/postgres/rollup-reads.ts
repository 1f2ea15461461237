import type pg from 'pg';
import type { ActivityRequest, ActivityRow } from '../../model/activity.js';
import type { TelemetryFilter } from '../../model/filter.js';
import { DAY_US, HOUR_US } from '../../model/clock.js';
import { activityEdgeSql, activitySpanSql, mergeActivity, RAW_COLUMNS, rollupSummaryParts, summaryBinsSql, summaryCountsSql, summaryEdgeSql, type Bind, type EdgeRow, type RollupSummaryParts, type SummaryCountRow } from '../contract/rollup-reads.js';
import { rollupFilter, rollupPlan } from '../contract/rollup-plan.js';
import { windowHalves } from '../contract/rollup-sql.js';
import { PgParams } from './filter-condition.js';
import { selectRows, type PgRunner } from './statements.js';

/**
 * Reads of the rollups on PostgreSQL (docs/decisions/0033-rollups.md): whole days and hours from
 * the rollup tables, the partial hours at the ends of a range from raw records. Several
 * statements, so the caller runs them in one REPEATABLE READ transaction (`inSnapshot`).
 */

/** The records of a window of record time: on-time ones by created_at (partitions, indexes), late ones by the late index. */
function raw(fromUs: number, toUs: number): string {
  const [near, late] = windowHalves(fromUs, toUs);
  return `(SELECT ${RAW_COLUMNS} FROM telemetry WHERE ${near} UNION ALL SELECT ${RAW_COLUMNS} FROM telemetry WHERE ${late})`;
}

async function all<Row>(db: PgRunner, build: (bind: Bind) => string): Promise<Row[]> {
  const params = new PgParams();
  const sql = build((value) => params.add(value));
  return selectRows<Row>(db, sql, params.values);
}

/** Runs `work` on one connection in one REPEATABLE READ, read-only transaction: one snapshot. */
export async function inSnapshot<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** `TelemetryStore.activity` from rollups; null when the bucket is not whole hours (read raw then). */
export async function rollupActivity(db: PgRunner, request: ActivityRequest): Promise<ActivityRow[] | null> {
  const { bucketUs, recordFromUs, recordToUs } = request;
  if (bucketUs % HOUR_US !== 0) return null;
  const plan = rollupPlan(recordFromUs, recordToUs, bucketUs % DAY_US === 0);
  const parts: ActivityRow[][] = [];
  for (const span of plan.spans) parts.push(await all<ActivityRow>(db, () => activitySpanSql(span, bucketUs)));
  for (const edge of plan.edges) parts.push(await all<ActivityRow>(db, () => activityEdgeSql(edge, bucketUs, raw)));
  return mergeActivity(parts);
}

/** A summary's numeric part and days from rollups; null when the filter is not on rollup dimensions. */
export async function rollupSummary(db: PgRunner, filter: TelemetryFilter, buckets: number): Promise<RollupSummaryParts | null> {
  if (!rollupFilter(filter)) return null;
  const plan = rollupPlan(filter.recordFromUs, filter.recordToUs, true);
  const counts: SummaryCountRow[] = [];
  const bins: { bin: number; n: number }[] = [];
  const edges: EdgeRow[] = [];
  for (const span of plan.spans) {
    counts.push(...(await all<SummaryCountRow>(db, (bind) => summaryCountsSql(filter, span, bind))));
    bins.push(...(await all<{ bin: number; n: number }>(db, (bind) => summaryBinsSql(filter, span, bind))));
  }
  for (const edge of plan.edges) edges.push(...(await all<EdgeRow>(db, (bind) => summaryEdgeSql(filter, edge, bind, raw))));
  return rollupSummaryParts(counts, bins, edges, buckets);
}
