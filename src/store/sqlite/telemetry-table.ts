import type Database from 'better-sqlite3';
import type { NewTelemetryRecord, TelemetryRecord } from '../../telemetry/record.js';
import type { ActivityRequest, ActivityRow } from '../../query/activity.js';
import type { SummaryOptions, TelemetrySummary } from '../../query/summary.js';
import type { PageRequest, TelemetryFilter } from '../../query/telemetry-filter.js';
import type { TelemetryStore } from '../store.js';
import { SqliteActivityQuery } from './activity-query.js';
import { toTelemetryRecord, type TelemetryRow } from './row-mapping.js';
import { createSqliteSummarizer } from './summary-query.js';
import { SqliteTelemetryQuery } from './telemetry-query.js';
import { SqliteTimeBlocks } from './time-blocks.js';

/** Column order shared by the INSERT's placeholders and the arguments `insertOne` passes. */
const INSERT_COLUMNS = [
  'api_key_id', 'product_id', 'user_identifier', 'license_key', 'activation_identifier', 'product_version',
  'data_type', 'data_group', 'data', 'numeric_data_single_value', 'numeric_data_x', 'numeric_data_y', 'text_data',
  'is_correct_format', 'product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists',
  'license_active', 'has_red_flags', 'blocked', 'errors', 'metadata', 'client_ip', 'created_at',
] as const;

const INSERT_SQL = `INSERT INTO telemetry (${INSERT_COLUMNS.join(', ')})
  VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`;

const SELECT_COLUMNS = ['id', ...INSERT_COLUMNS.slice(0, -1), 'created_at AS created_at_us'].join(', ');

/** Telemetry rows in SQLite. Statements are prepared once; `insertMany` is the ingest hot path. */
export class SqliteTelemetryTable implements TelemetryStore {
  readonly #insert: Database.Statement;
  readonly #insertAll: (records: readonly NewTelemetryRecord[]) => (number | null)[];
  readonly #claimEventId: Database.Statement<[string, number]>;
  readonly #unstore: Database.Statement<[number]>;
  readonly #list: Database.Statement<[number, number], TelemetryRow>;
  readonly #count: Database.Statement<[], number>;
  readonly #summarize: (filter: TelemetryFilter, options: SummaryOptions) => TelemetrySummary;
  readonly #blocks: SqliteTimeBlocks;
  readonly #query: SqliteTelemetryQuery;
  readonly #activity: SqliteActivityQuery;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(INSERT_SQL);
    this.#claimEventId = db.prepare<[string, number]>(
      'INSERT INTO telemetry_event_ids (event_id, telemetry_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    );
    this.#unstore = db.prepare<[number]>('DELETE FROM telemetry WHERE id = ?');
    this.#blocks = new SqliteTimeBlocks(db);
    this.#insertAll = db.transaction((records: readonly NewTelemetryRecord[]) => {
      const ids = new Array<number | null>(records.length);
      for (let i = 0; i < records.length; i++) ids[i] = this.#insertUniqueOne(records[i]);
      // The created_at summary of the ids just written, in the same transaction (time-blocks.ts).
      const stored = records.filter((_, i) => ids[i] !== null);
      this.#blocks.record(ids.filter((id) => id !== null), (i) => stored[i].created_at_us);
      return ids;
    });
    this.#list = db.prepare<[number, number], TelemetryRow>(
      `SELECT ${SELECT_COLUMNS} FROM telemetry WHERE id > ? ORDER BY id LIMIT ?`,
    );
    this.#count = db.prepare<[], number>('SELECT COUNT(*) FROM telemetry').pluck();
    this.#summarize = createSqliteSummarizer(db);
    this.#query = new SqliteTelemetryQuery(db, SELECT_COLUMNS, this.#blocks);
    this.#activity = new SqliteActivityQuery(db, this.#blocks);
  }

  async insertMany(records: readonly NewTelemetryRecord[]): Promise<number[]> {
    return (await this.insertUnique(records)).filter((id) => id !== null);
  }

  async insertUnique(records: readonly NewTelemetryRecord[]): Promise<(number | null)[]> {
    if (records.length === 0) return [];
    return this.#insertAll(records);
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

  /**
   * The row first, then its event_id claimed with the row's id. The INSERT takes the write lock at
   * once, so no other connection can claim the same event_id in between; a repeat (rare: a retry)
   * undoes its row inside the same transaction.
   */
  #insertUniqueOne(r: NewTelemetryRecord): number | null {
    const id = this.#insertOne(r);
    if (!r.event_id || this.#claimEventId.run(r.event_id, id).changes > 0) return id;
    this.#unstore.run(id);
    return null;
  }

  /** Positional arguments in INSERT_COLUMNS order: no per-row object beyond the two JSON strings. */
  #insertOne(r: NewTelemetryRecord): number {
    const result = this.#insert.run(
      r.api_key_id, r.product_id, r.user_identifier, r.license_key, r.activation_identifier, r.product_version,
      r.data_type, r.data_group, r.data, r.numeric_data_single_value, r.numeric_data_x, r.numeric_data_y, r.text_data,
      r.is_correct_format, r.product_exists, r.license_key_exists, r.product_version_exists, r.activation_exists,
      r.license_active, r.has_red_flags, r.blocked, JSON.stringify(r.errors), JSON.stringify(r.metadata), r.client_ip,
      r.created_at_us,
    );
    return Number(result.lastInsertRowid);
  }
}
