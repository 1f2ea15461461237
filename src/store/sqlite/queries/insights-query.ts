import type Database from 'better-sqlite3';
import { clientNetwork } from '../../../model/client-network.js';
import { PIRACY_FLAGS, type InsightsRequest, type InsightsRow } from '../../../model/insights.js';
import { CLIENT_BUG_SQL, flagColumn, FLAGGED_SQL, SUBJECT_COLUMNS, toInsightsRow, type InsightsSqlRow } from '../../contract/insights-sql.js';
import { REPORTED_AHEAD_MAX_US } from '../../../model/record-time.js';
import type { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';
import { RECORD_TIME_SQL } from '../../contract/record-time-sql.js';

type Params = Record<string, number | string>;
type Row = Omit<InsightsSqlRow, 'versions'> & { versions: string };

/**
 * The aggregate of one subject's reports in a window: one scan of the window's ids (time blocks,
 * so the window is a rowid range, or the product's index range), grouped by (product, subject)
 * with exact COUNT(DISTINCT …). Networks come from `tally_client_network`, the one rule of
 * model/client-network.ts registered on this connection.
 */
function insightsSql(request: InsightsRequest): string {
  const { value, other } = SUBJECT_COLUMNS[request.subject];
  const conditions = [
    'id BETWEEN @fromId AND @toId', 'created_at >= @createdFromUs', `${RECORD_TIME_SQL} BETWEEN @fromUs AND @toUs`,
    'product_id IS NOT NULL', `${value} IS NOT NULL`,
    ...(request.productId === undefined ? [] : ['product_id = @productId']),
    ...(request.search === undefined ? [] : [`instr(lower(${value}), @search) > 0`]),
  ];
  const grouped = `SELECT product_id, ${value} AS value,
      COUNT(DISTINCT activation_identifier) AS machines, COUNT(DISTINCT ${other}) AS others,
      COUNT(DISTINCT tally_client_network(client_ip)) AS networks, json_group_array(DISTINCT product_version) AS versions,
      COUNT(*) AS reports, SUM(${FLAGGED_SQL}) AS flagged_reports, SUM(${CLIENT_BUG_SQL}) AS client_bug_reports,
      ${PIRACY_FLAGS.map((flag) => `SUM(${flag} = 0) AS ${flagColumn(flag)}`).join(', ')},
      MIN(${RECORD_TIME_SQL}) AS first_seen_us, MAX(${RECORD_TIME_SQL}) AS last_seen_us
    FROM telemetry WHERE ${conditions.join(' AND ')}
    GROUP BY product_id, ${value}`;
  if (request.subject === 'user') return `SELECT g.*, NULL AS license_status, NULL AS license_seats, NULL AS registered FROM (${grouped}) g`;
  return `SELECT g.*, l.status AS license_status, l.max_activations AS license_seats, l.id IS NOT NULL AS registered
    FROM (${grouped}) g LEFT JOIN licenses l ON l.product_id = g.product_id AND l.key = g.value`;
}

/** `TelemetryStore.insights` for SQLite; a statement per request shape, prepared on first use. */
export class SqliteInsightsQuery {
  readonly #db: Database.Database;
  readonly #blocks: SqliteTimeBlocks;
  readonly #statements = new Map<string, Database.Statement<[Params], Row>>();

  constructor(db: Database.Database, blocks: SqliteTimeBlocks) {
    this.#db = db;
    this.#blocks = blocks;
    db.function('tally_client_network', { deterministic: true }, (ip: unknown) => clientNetwork(typeof ip === 'string' ? ip : null));
  }

  rows(request: InsightsRequest): InsightsRow[] {
    const createdFromUs = request.fromUs - REPORTED_AHEAD_MAX_US;
    // The window ends at the record time's upper bound, which says nothing of created_at: every id from the start.
    const window = this.#blocks.window(createdFromUs, undefined);
    if (window === null) return [];
    const params: Params = { fromId: window.fromId, toId: window.toId, createdFromUs, fromUs: request.fromUs, toUs: request.toUs };
    if (request.productId !== undefined) params.productId = request.productId;
    if (request.search !== undefined) params.search = request.search.toLowerCase();
    return this.#statement(request).all(params).map((row) => toInsightsRow({ ...row, versions: JSON.parse(row.versions) as (string | null)[] }));
  }

  #statement(request: InsightsRequest): Database.Statement<[Params], Row> {
    const shape = `${request.subject}:${request.productId !== undefined}:${request.search !== undefined}`;
    let statement = this.#statements.get(shape);
    if (statement === undefined) {
      statement = this.#db.prepare<[Params], Row>(insightsSql(request));
      this.#statements.set(shape, statement);
    }
    return statement;
  }
}
