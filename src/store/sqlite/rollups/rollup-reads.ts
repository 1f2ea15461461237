import type Database from 'better-sqlite3';
import type { ActivityRequest, ActivityRow } from '../../../model/activity.js';
import type { TelemetryFilter } from '../../../model/filter.js';
import { DAY_US, HOUR_US } from '../../../model/clock.js';
import { REPORTED_AHEAD_MAX_US } from '../../../model/record-time.js';
import { activityEdgeSql, activitySpanSql, mergeActivity, RAW_COLUMNS, rollupSummaryParts, summaryBinsSql, summaryCountsSql, summaryEdgeSql, type Bind, type EdgeRow, type RollupSummaryParts, type SummaryCountRow } from '../../contract/rollup-reads.js';
import { rollupFilter, rollupPlan } from '../../contract/rollup-plan.js';
import { LATE_US, windowHalves } from '../../contract/rollup-sql.js';
import type { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';
import type { SqlValue } from '../queries/filter-condition.js';

/**
 * Reads of the rollups on SQLite (docs/decisions/0033-rollups.md): whole days and hours from the
 * rollup tables, the partial hours at the ends of a range from raw records. Run inside the
 * caller's transaction, so that rollups and raw edges are one snapshot.
 */
export class SqliteRollupReads {
  readonly #db: Database.Database;
  readonly #blocks: SqliteTimeBlocks;

  constructor(db: Database.Database, blocks: SqliteTimeBlocks) {
    this.#db = db;
    this.#blocks = blocks;
  }

  /** `TelemetryStore.activity` from rollups; null when the bucket is not whole hours (read raw then). */
  activity(request: ActivityRequest): ActivityRow[] | null {
    const { bucketUs, recordFromUs, recordToUs } = request;
    if (bucketUs % HOUR_US !== 0) return null;
    const plan = rollupPlan(recordFromUs, recordToUs, bucketUs % DAY_US === 0);
    const parts: ActivityRow[][] = [];
    for (const span of plan.spans) parts.push(this.#all<ActivityRow>(() => activitySpanSql(span, bucketUs)));
    for (const edge of plan.edges) parts.push(this.#all<ActivityRow>(() => activityEdgeSql(edge, bucketUs, this.#raw)));
    return mergeActivity(parts);
  }

  /** A summary's numeric part and days from rollups; null when the filter is not on rollup dimensions. */
  summaryParts(filter: TelemetryFilter, buckets: number): RollupSummaryParts | null {
    if (!rollupFilter(filter)) return null;
    const plan = rollupPlan(filter.recordFromUs, filter.recordToUs, true);
    const counts: SummaryCountRow[] = [];
    const bins: { bin: number; n: number }[] = [];
    const edges: EdgeRow[] = [];
    for (const span of plan.spans) {
      counts.push(...this.#all<SummaryCountRow>((bind) => summaryCountsSql(filter, span, bind)));
      bins.push(...this.#all<{ bin: number; n: number }>((bind) => summaryBinsSql(filter, span, bind)));
    }
    for (const edge of plan.edges) edges.push(...this.#all<EdgeRow>((bind) => summaryEdgeSql(filter, edge, bind, this.#raw)));
    return rollupSummaryParts(counts, bins, edges, buckets);
  }

  /** The records of a window of record time: on-time ones in the time blocks' id window, late ones by the late index. */
  readonly #raw = (fromUs: number, toUs: number): string => {
    const [near, late] = windowHalves(fromUs, toUs);
    const window = this.#blocks.window(fromUs - REPORTED_AHEAD_MAX_US, toUs + LATE_US);
    const ids = window === null ? 'id BETWEEN 1 AND 0' : `id BETWEEN ${window.fromId} AND ${window.toId}`;
    return `(SELECT ${RAW_COLUMNS} FROM telemetry WHERE ${ids} AND ${near}
      UNION ALL SELECT ${RAW_COLUMNS} FROM telemetry INDEXED BY telemetry_late WHERE ${late})`;
  };

  #all<Row>(build: (bind: Bind) => string): Row[] {
    const params: SqlValue[] = [];
    const sql = build((value) => {
      params.push(value);
      return '?';
    });
    return this.#db.prepare<SqlValue[], Row>(sql).all(...params);
  }
}
