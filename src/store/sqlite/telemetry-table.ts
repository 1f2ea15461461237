import type Database from 'better-sqlite3';
import type { NewTelemetryRecord, TelemetryRecord } from '../../model/record.js';
import type { ActivityRequest, ActivityRow } from '../../model/activity.js';
import type { SummaryOptions, TelemetrySummary } from '../../model/summary.js';
import type { PageRequest, TelemetryFilter } from '../../model/filter.js';
import type { TelemetryStore } from '../contract/store.js';
import { SqliteActivityQuery } from './activity-query.js';
import { toTelemetryRecord, type TelemetryRow } from './record-row.js';
import { createSqliteSummarizer } from './summary-query.js';
import { SqliteTelemetryQuery } from './telemetry-query.js';
import { TELEMETRY_SELECT } from '../contract/telemetry-columns.js';
import { toInsertBatch } from './telemetry-rows.js';
import { SqliteTelemetryWriter } from './telemetry-writer.js';
import { SqliteTimeBlocks } from './time-blocks.js';

/** Telemetry rows in SQLite. Statements are prepared once; `insertUnique` is the ingest hot path. */
export class SqliteTelemetryTable implements TelemetryStore {
  readonly #writer: SqliteTelemetryWriter;
  readonly #list: Database.Statement<[number, number], TelemetryRow>;
  readonly #count: Database.Statement<[], number>;
  readonly #summarize: (filter: TelemetryFilter, options: SummaryOptions) => TelemetrySummary;
  readonly #blocks: SqliteTimeBlocks;
  readonly #query: SqliteTelemetryQuery;
  readonly #activity: SqliteActivityQuery;

  constructor(db: Database.Database) {
    this.#writer = new SqliteTelemetryWriter(db);
    this.#blocks = new SqliteTimeBlocks(db);
    this.#list = db.prepare<[number, number], TelemetryRow>(
      `SELECT ${TELEMETRY_SELECT} FROM telemetry WHERE id > ? ORDER BY id LIMIT ?`,
    );
    this.#count = db.prepare<[], number>('SELECT COUNT(*) FROM telemetry').pluck();
    this.#summarize = createSqliteSummarizer(db);
    this.#query = new SqliteTelemetryQuery(db, TELEMETRY_SELECT, this.#blocks);
    this.#activity = new SqliteActivityQuery(db, this.#blocks);
  }

  async insertMany(records: readonly NewTelemetryRecord[]): Promise<number[]> {
    return (await this.insertUnique(records)).filter((id) => id !== null);
  }

  async insertUnique(records: readonly NewTelemetryRecord[]): Promise<(number | null)[]> {
    if (records.length === 0) return [];
    return this.#writer.insert(toInsertBatch(records));
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
    return this.#activity.rows(request);
  }
}
