import type pg from 'pg';
import type { ActivityRequest, ActivityRow } from '../../model/activity.js';
import type { InstallsCounts, InstallsRequest } from '../../model/installs.js';
import type { InsightsRequest, InsightsRow } from '../../model/insights.js';
import type { VersionSeries, VersionSeriesRequest } from '../../model/version-series.js';
import type { SummaryOptions, TelemetrySummary } from '../../model/summary.js';
import type { PageRequest, TelemetryFilter } from '../../model/filter.js';
import type { NewTelemetryRecord, TelemetryRecord } from '../../model/record.js';
import { insertManyVia } from '../contract/insert-many.js';
import type { TelemetryStore } from '../contract/store.js';
import { activityRows } from './activity-query.js';
import { insightsRows } from './insights-query.js';
import { versionSeries } from './version-series-query.js';
import { insertUniqueRows, type InsertRows } from './event-id-insert.js';
import { installsCountsOf } from './installs-query.js';
import { installRollupSql } from './install-rollups.js';
import { withoutNul } from './nul-text.js';
import { selectPrepared, selectRows, type PgRunner, type PreparedSql } from './statements.js';
import { pgRowToRecord, type PgTelemetryRow } from './record-row.js';
import { TELEMETRY_INSERT_COLUMNS, TELEMETRY_SELECT } from '../contract/telemetry-columns.js';
import { summarizeWithRollups } from './summary-query.js';
import { inSnapshot, rollupActivity } from './rollup-reads.js';
import { rollupMergeSql } from '../contract/rollup-sql.js';
import { licenseCountsMergeSql } from '../contract/license-counts-sql.js';
import { flaggedCountsMergeSql } from '../contract/flagged-counts-sql.js';
import { HOUR_US } from '../../model/clock.js';
import { RAW_COLUMNS } from '../contract/rollup-reads.js';
import { queryTelemetry } from './telemetry-query.js';
import { telemetryArrays, UNNEST_TYPES } from './telemetry-arrays.js';
import { primaryReads, type PgReads } from './read-router.js';

const COLUMNS = TELEMETRY_INSERT_COLUMNS.join(', ');

/*
 * The whole group in one statement, so one round trip and one (autocommit) transaction, committed
 * before the promise resolves (synchronous_commit stays on); prepared once per connection. One array parameter per column;
 * WITH ORDINALITY + ORDER BY make the identity values follow input order. The rollups
 * (rollup-sql.ts), the per-license report counts (license-counts-sql.ts), the flagged value counts
 * (flagged-counts-sql.ts) and the install sketches and first-seen rows (install-rollups.ts) are
 * written by the same statement, so they commit with the rows or not at all.
 */
const ROLLUPS_OF_INSERTED = rollupMergeSql('ins', 1);
const INSERT: PreparedSql = { name: 'tally_insert_telemetry', text: `WITH ins AS (INSERT INTO telemetry (${COLUMNS})
  SELECT ${COLUMNS} FROM unnest(${UNNEST_TYPES.map((type, i) => `$${i + 1}::${type}[]`).join(', ')})
    WITH ORDINALITY AS u(${COLUMNS}, ord)
  ORDER BY ord
  RETURNING id, license_key, user_identifier, ${RAW_COLUMNS}),
  -- The rollups (decision 0033), the per-license report counts (decision 0040) and the flagged
  -- value counts (decision 0043) in the same statement, so the same transaction: counted once
  -- whatever crashes. Each upsert goes in key order. PostgreSQL runs unreferenced data-modifying
  -- CTEs after the main query, the LAST WRITTEN FIRST (ExecPostprocessPlan; checked by
  -- test/store/postgres-maintenance-locks.test.ts and postgres-lock-order.test.ts), so these take
  -- their row locks in the order rollup bins, rollup counts, license counts, flagged value counts:
  -- the order in which retention and erasure subtract (rollup-upkeep.ts, license-report-counts.ts,
  -- then flagged-value-counts.ts; decision 0041), so that neither can deadlock with an insert.
  flagged_counts AS (${flaggedCountsMergeSql('ins', 1)}),
  license_counts AS (${licenseCountsMergeSql('ins', 1)}),
  rollup_counts AS (${ROLLUPS_OF_INSERTED.counts}),
  rollup_bins AS (${ROLLUPS_OF_INSERTED.bins}),
  ${installRollupSql.ctes(UNNEST_TYPES.length + 1)}
  SELECT id FROM ins` };

// With int8 parsed to numbers (connection.ts) and json parsed by pg, a row selected with
// TELEMETRY_SELECT nearly has the domain shape already; pgRowToRecord makes sure of it.
const LIST_SQL = `SELECT ${TELEMETRY_SELECT} FROM telemetry WHERE id > $1 ORDER BY id LIMIT $2`;

async function insertRows(db: PgRunner, records: readonly NewTelemetryRecord[], prepared: boolean): Promise<number[]> {
  if (records.length === 0) return [];
  const stored = records.map(withoutNul);
  const params = [...telemetryArrays(stored), ...installRollupSql.params(stored)];
  const rows = prepared ? await selectPrepared<{ id: number }>(db, INSERT, params) : await selectRows<{ id: number }>(db, INSERT.text, params);
  // Ids are drawn in row order, so ascending ids are input order whatever order RETURNING uses.
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/**
 * Telemetry rows in PostgreSQL; `insertUnique` is the ingest hot path. Writes run on the primary
 * pool; the read-only methods run where `reads` sends them (a read replica in use, else the
 * primary: read-router.ts), so they must never write.
 */
export class PgTelemetryTable implements TelemetryStore {
  readonly #db: pg.Pool;
  readonly #reads: PgReads;
  readonly #insertRows: InsertRows;

  /** `prepared` false sends the insert unnamed, parsed and planned each time (`--postgres-prepared-statements false`). */
  constructor(db: pg.Pool, reads: PgReads = primaryReads(db), prepared = true) {
    this.#db = db;
    this.#reads = reads;
    this.#insertRows = (runner, records) => insertRows(runner, records, prepared);
  }

  readonly insertMany = insertManyVia((records) => this.insertUnique(records));

  async insertUnique(records: readonly NewTelemetryRecord[]): Promise<(number | null)[]> {
    return insertUniqueRows(this.#db, records, this.#insertRows);
  }

  async list(options: { afterId?: number; limit: number }): Promise<TelemetryRecord[]> {
    const rows = await this.#reads.read((db) => selectRows<PgTelemetryRow>(db, LIST_SQL, [options.afterId ?? 0, options.limit]));
    return rows.map(pgRowToRecord);
  }

  async query(filter: TelemetryFilter, page: PageRequest): Promise<TelemetryRecord[]> {
    return this.#reads.read((db) => queryTelemetry(db, filter, page));
  }

  async count(): Promise<number> {
    const [row] = await this.#reads.read((db) => selectRows<{ count: number }>(db, 'SELECT COUNT(*) AS count FROM telemetry'));
    return row?.count ?? 0;
  }

  async summarize(filter: TelemetryFilter, options: SummaryOptions): Promise<TelemetrySummary> {
    return this.#reads.read((db) => summarizeWithRollups(db, filter, options));
  }

  async activity(request: ActivityRequest): Promise<ActivityRow[]> {
    if (request.bucketUs % HOUR_US !== 0) return this.#reads.read((db) => activityRows(db, request));
    return this.#reads.read(async (db) => (await inSnapshot(db, (client) => rollupActivity(client, request))) ?? []);
  }

  async installs(request: InstallsRequest): Promise<InstallsCounts> {
    return this.#reads.read((db) => installsCountsOf(db, request));
  }

  async insights(request: InsightsRequest): Promise<InsightsRow[]> {
    return this.#reads.read((db) => insightsRows(db, request));
  }

  async versionSeries(request: VersionSeriesRequest): Promise<VersionSeries> {
    return this.#reads.read((db) => versionSeries(db, request));
  }
}
