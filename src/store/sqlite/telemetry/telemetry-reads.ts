import type Database from 'better-sqlite3';
import type { TelemetryRecord } from '../../../model/record.js';
import type { ActivityRequest, ActivityRow } from '../../../model/activity.js';
import type { InstallsCounts, InstallsRequest } from '../../../model/installs.js';
import type { InsightsRequest, InsightsRow } from '../../../model/insights.js';
import type { SummaryOptions, TelemetrySummary } from '../../../model/summary.js';
import type { PageRequest, TelemetryFilter } from '../../../model/filter.js';
import type { VersionSeries, VersionSeriesRequest } from '../../../model/version-series.js';
import type { TelemetryStore } from '../../contract/store.js';
import { TELEMETRY_SELECT } from '../../contract/telemetry-columns.js';
import { SqliteActivityQuery } from '../queries/activity-query.js';
import { SqliteRollupReads } from '../rollups/rollup-reads.js';
import { SqliteInstallsQuery } from '../queries/installs-query.js';
import { SqliteInsightsQuery } from '../queries/insights-query.js';
import { toTelemetryRecord, type TelemetryRow } from '../queries/record-row.js';
import { SqliteTelemetryQuery } from '../queries/telemetry-query.js';
import { createSqliteSummarizer } from '../summary/summary-query.js';
import { SqliteVersionSeriesQuery } from '../summary/summary-versions.js';
import { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';

/** The reads of the telemetry contract (everything but inserts). */
export type TelemetryReads = Omit<TelemetryStore, 'insertMany' | 'insertUnique'>;

/**
 * Telemetry reads on one SQLite connection: the caller's, or the reader thread's
 * (threads/reader-worker.ts). Statements are prepared once. The synchronous driver's answers are
 * wrapped in promises so that a read through the thread and one on this connection look alike.
 */
export class SqliteTelemetryReads implements TelemetryReads {
  readonly #list: Database.Statement<[number, number], TelemetryRow>;
  readonly #count: Database.Statement<[], number>;
  readonly #summarize: (filter: TelemetryFilter, options: SummaryOptions) => TelemetrySummary;
  readonly #query: SqliteTelemetryQuery;
  readonly #activity: SqliteActivityQuery;
  readonly #installs: SqliteInstallsQuery;
  readonly #insights: SqliteInsightsQuery;
  readonly #versions: SqliteVersionSeriesQuery;
  readonly #rollups: SqliteRollupReads;
  readonly #activityFromRollups: (request: ActivityRequest) => ActivityRow[] | null;

  constructor(db: Database.Database) {
    const blocks = new SqliteTimeBlocks(db);
    this.#list = db.prepare<[number, number], TelemetryRow>(
      `SELECT ${TELEMETRY_SELECT} FROM telemetry WHERE id > ? ORDER BY id LIMIT ?`,
    );
    this.#count = db.prepare<[], number>('SELECT COUNT(*) FROM telemetry').pluck();
    this.#rollups = new SqliteRollupReads(db, blocks);
    this.#summarize = createSqliteSummarizer(db, this.#rollups);
    this.#query = new SqliteTelemetryQuery(db, TELEMETRY_SELECT, blocks);
    this.#activity = new SqliteActivityQuery(db, blocks);
    this.#installs = new SqliteInstallsQuery(db, blocks);
    this.#insights = new SqliteInsightsQuery(db, blocks);
    this.#versions = new SqliteVersionSeriesQuery(db);
    // One transaction, so that rollups and raw edges are one snapshot.
    this.#activityFromRollups = db.transaction((request: ActivityRequest) => this.#rollups.activity(request));
  }

  async list(options: { afterId?: number; limit: number }): Promise<TelemetryRecord[]> {
    return this.#list.all(options.afterId ?? 0, options.limit).map(toTelemetryRecord);
  }

  async query(filter: TelemetryFilter, page: PageRequest): Promise<TelemetryRecord[]> {
    return this.#query.page(filter, page);
  }

  async count(): Promise<number> {
    return this.#count.get() ?? 0;
  }

  async summarize(filter: TelemetryFilter, options: SummaryOptions): Promise<TelemetrySummary> {
    return this.#summarize(filter, options);
  }

  async activity(request: ActivityRequest): Promise<ActivityRow[]> {
    return this.#activityFromRollups(request) ?? this.#activity.rows(request);
  }

  async installs(request: InstallsRequest): Promise<InstallsCounts> {
    return this.#installs.counts(request);
  }

  async insights(request: InsightsRequest): Promise<InsightsRow[]> {
    return this.#insights.rows(request);
  }

  async versionSeries(request: VersionSeriesRequest): Promise<VersionSeries> {
    return this.#versions.series(request);
  }
}
