import type pg from 'pg';
import { PIRACY_FLAGS, type InsightsRequest, type InsightsRow } from '../../model/insights.js';
import { CLIENT_BUG_SQL, flagColumn, FLAGGED_SQL, SUBJECT_COLUMNS, toInsightsRow, type InsightsSqlRow } from '../contract/insights-sql.js';
import { REPORTED_AHEAD_MAX_US } from '../../model/record-time.js';
import { RECORD_TIME_SQL } from '../contract/record-time-sql.js';
import { selectRows } from './statements.js';
import { HASHED_IP_PREFIX } from '../../model/client-ip-mode.js';

const HEX = '[0-9a-f]{1,4}';
/** A valid plain IPv6 address (no embedded IPv4, zone or brackets), so the cast to inet never fails. */
const IPV6 = `^((${HEX}:){7}${HEX}|(${HEX}:){1,7}:|(${HEX}:){1,6}:${HEX}|(${HEX}:){1,5}(:${HEX}){1,2}|(${HEX}:){1,4}(:${HEX}){1,3}`
  + `|(${HEX}:){1,3}(:${HEX}){1,4}|(${HEX}:){1,2}(:${HEX}){1,5}|${HEX}:(:${HEX}){1,6}|:((:${HEX}){1,7}|:))$`;
const IPV4 = '^(::ffff:)?\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}$';

/**
 * The client network of `client_ip`, by the rule of model/client-network.ts: `4:a.b.c` for IPv4
 * (plain or ::ffff:-mapped), the /48 for plain IPv6, a hashed network as stored, NULL (not
 * counted) otherwise. The CASE guards the cast, so a stored address of any spelling never makes
 * the query fail.
 */
const NETWORK_SQL = `CASE
    WHEN starts_with(client_ip, '${HASHED_IP_PREFIX}') THEN client_ip
    WHEN lower(client_ip) ~ '${IPV4}' THEN '4:' || substring(client_ip from '(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})\\.\\d{1,3}$')
    WHEN lower(client_ip) ~ '${IPV6}' THEN '6:' || host(network(set_masklen(lower(client_ip)::inet, 48)))
  END`;

/**
 * One scan of the window (created_at bounds prune the monthly partitions), grouped by (product,
 * subject) with exact COUNT(DISTINCT …); license rows joined to their license.
 */
function insightsSql(request: InsightsRequest): { sql: string; params: unknown[] } {
  const { value, other } = SUBJECT_COLUMNS[request.subject];
  const params: unknown[] = [request.fromUs - REPORTED_AHEAD_MAX_US, request.fromUs, request.toUs];
  const conditions = ['created_at >= $1', `${RECORD_TIME_SQL} BETWEEN $2 AND $3`, 'product_id IS NOT NULL', `${value} IS NOT NULL`];
  if (request.productId !== undefined) conditions.push(`product_id = $${params.push(request.productId)}`);
  if (request.search !== undefined) conditions.push(`strpos(lower(${value}), $${params.push(request.search.toLowerCase())}) > 0`);
  const grouped = `SELECT product_id, ${value} AS value,
      COUNT(DISTINCT activation_identifier)::int AS machines, COUNT(DISTINCT ${other})::int AS others,
      COUNT(DISTINCT ${NETWORK_SQL})::int AS networks, array_agg(DISTINCT product_version) AS versions,
      COUNT(*)::int AS reports, COUNT(*) FILTER (WHERE ${FLAGGED_SQL})::int AS flagged_reports,
      COUNT(*) FILTER (WHERE ${CLIENT_BUG_SQL})::int AS client_bug_reports,
      ${PIRACY_FLAGS.map((flag) => `COUNT(*) FILTER (WHERE ${flag} = 0)::int AS ${flagColumn(flag)}`).join(', ')},
      MIN(${RECORD_TIME_SQL}) AS first_seen_us, MAX(${RECORD_TIME_SQL}) AS last_seen_us
    FROM telemetry WHERE ${conditions.join(' AND ')}
    GROUP BY product_id, ${value}`;
  const sql = request.subject === 'user'
    ? `SELECT g.*, NULL AS license_status, NULL::int AS license_seats, NULL::boolean AS registered FROM (${grouped}) g`
    : `SELECT g.*, l.status AS license_status, l.max_activations AS license_seats, l.id IS NOT NULL AS registered
      FROM (${grouped}) g LEFT JOIN licenses l ON l.product_id = g.product_id AND l.key = g.value`;
  return { sql, params };
}

/** `TelemetryStore.insights` for PostgreSQL. */
export async function insightsRows(db: pg.Pool, request: InsightsRequest): Promise<InsightsRow[]> {
  const { sql, params } = insightsSql(request);
  return (await selectRows<InsightsSqlRow>(db, sql, params)).map(toInsightsRow);
}
