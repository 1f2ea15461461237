import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type {
  AlertMark, AttemptResult, ClaimedDelivery, DeliveryLog, LicenseAlertAnswer, LicenseAlertRequest, NewWebhookEvent,
  WebhookEndpoint, WebhookEndpointWithSecret, WebhookEventType,
} from '../../model/webhooks.js';
import { licenseSeatsSql } from '../contract/license-seats.js';
import type { ClaimRequest, WebhookStore } from '../contract/webhook-store.js';
import {
  ATTEMPT_COLUMNS, DELIVERY_COLUMNS, ENDPOINT_COLUMNS, LICENSE_COUNT_COLUMNS, subscribers, toAttempt, toClaimed,
  toDelivery, toEndpoint, toLicenseCounts, type AttemptRow, type ClaimedRow, type DeliveryRow, type EndpointRow, type LicenseCountsRow,
} from '../contract/webhook-rows.js';
import { RECORD_TIME_SQL } from '../contract/record-time-sql.js';
import { REPORTED_AHEAD_MAX_US } from '../../model/record-time.js';
import { changedRows, inTransaction, selectRow, selectRows, type PgRunner } from './statements.js';

/** Claims with SKIP LOCKED: concurrent claimers take different rows, none waits for another's. */
const CLAIM = `WITH claimed AS (
  UPDATE webhook_outbox SET claim = $1, claimed_until = $2
  WHERE id IN (SELECT id FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at <= $3
    AND (claimed_until IS NULL OR claimed_until <= $3) ORDER BY next_attempt_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
  RETURNING id, claim, event_id, type, endpoint_id, body, created_at, attempts, next_attempt_at)
SELECT c.id AS outbox_id, c.claim, c.event_id, c.type, c.endpoint_id, e.url, e.secret, c.body, c.created_at, c.attempts
FROM claimed c JOIN webhook_endpoints e ON e.id = c.endpoint_id ORDER BY c.next_attempt_at, c.id`;

const ENQUEUE = `INSERT INTO webhook_outbox (event_id, endpoint_id, type, body, created_at, next_attempt_at)
SELECT $1, id, $2, $3, $4, $4 FROM webhook_endpoints WHERE id = ANY($5::bigint[])
ON CONFLICT (event_id, endpoint_id) DO NOTHING`;

const LOG = `INSERT INTO webhook_attempts (outbox_id, endpoint_id, attempted_at, status, error, duration_ms)
SELECT id, endpoint_id, $2, $3, $4, $5 FROM webhook_outbox WHERE id = $1`;
const DELIVERED = `UPDATE webhook_outbox SET state = 'delivered', delivered_at = $2, attempts = attempts + 1, last_status = $3,
  last_error = NULL, claim = NULL, claimed_until = NULL WHERE id = $1 AND state = 'pending'`;
const RETRY = `UPDATE webhook_outbox SET attempts = attempts + 1, last_status = $3, last_error = $4, next_attempt_at = $5,
  claim = NULL, claimed_until = NULL WHERE id = $1 AND claim = $2 AND state = 'pending'`;
const GIVEN_UP = `UPDATE webhook_outbox SET state = 'given_up', given_up_at = $5, attempts = attempts + 1, last_status = $3,
  last_error = $4, claim = NULL, claimed_until = NULL WHERE id = $1 AND claim = $2 AND state = 'pending'`;

/** The licenses a pass re-checks: those with a record above the last pass's id (the id index). */
const TOUCHED = `AND (t.product_id, t.license_key) IN (
  SELECT DISTINCT product_id, license_key FROM telemetry WHERE id > $4 AND product_id IS NOT NULL AND license_key IS NOT NULL)`;

/** The window's partitions only (created_at ≥ $1), grouped per license, then its registration. */
function countsSql(touchedOnly: boolean): string {
  return `WITH counts AS (
  SELECT ${LICENSE_COUNT_COLUMNS} FROM telemetry t
  WHERE t.created_at >= $1 AND ${RECORD_TIME_SQL} >= $2 AND t.product_id IS NOT NULL AND t.license_key IS NOT NULL ${touchedOnly ? TOUCHED : ''}
  GROUP BY t.product_id, t.license_key)
SELECT c.*, l.id IS NOT NULL AS registered, ${licenseSeatsSql('$3::integer')} AS seats
FROM counts c LEFT JOIN licenses l ON l.product_id = c.product_id AND l.key = c.license_key`;
}

/** The webhook tables in PostgreSQL (WebhookStore); writes of several statements are one transaction. */
export class PgWebhookTables implements WebhookStore {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async createEndpoint(input: { url: string; events: readonly WebhookEventType[]; secret: string }): Promise<WebhookEndpointWithSecret> {
    const row = await selectRow<EndpointRow>(this.#db,
      `INSERT INTO webhook_endpoints (url, events, secret, created_at) VALUES ($1, $2, $3, $4) RETURNING ${ENDPOINT_COLUMNS}`,
      [input.url, JSON.stringify(input.events), input.secret, new Date().toISOString()]);
    if (row === null) throw new Error('INSERT … RETURNING gave no webhook endpoint');
    return { ...toEndpoint(row), secret: input.secret };
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    return (await selectRows<EndpointRow>(this.#db, `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY id`)).map(toEndpoint);
  }

  async getEndpoint(id: number): Promise<WebhookEndpoint | null> {
    const row = await selectRow<EndpointRow>(this.#db, `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1`, [id]);
    return row === null ? null : toEndpoint(row);
  }

  async removeEndpoint(id: number): Promise<boolean> {
    return (await changedRows(this.#db, 'DELETE FROM webhook_endpoints WHERE id = $1', [id])) > 0;
  }

  async enqueue(event: NewWebhookEvent, endpointIds: readonly number[]): Promise<number> {
    return enqueueIn(this.#db, event, endpointIds);
  }

  async fireOnce(mark: AlertMark, event: NewWebhookEvent): Promise<boolean> {
    return inTransaction(this.#db, async (client) => {
      const marked = await changedRows(client, 'INSERT INTO alert_marks (type, subject, period, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [mark.type, mark.subject, mark.period, event.created_at_us]);
      if (marked === 0) return false;
      const endpoints = (await selectRows<EndpointRow>(client, `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY id`)).map(toEndpoint);
      await enqueueIn(client, event, subscribers(endpoints, mark.type));
      return true;
    });
  }

  async isMarked(mark: AlertMark): Promise<boolean> {
    return (await selectRow(this.#db, 'SELECT 1 FROM alert_marks WHERE type = $1 AND subject = $2 AND period = $3', [mark.type, mark.subject, mark.period])) !== null;
  }

  async claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    const { nowUs, leaseUs, limit } = request;
    return (await selectRows<ClaimedRow>(this.#db, CLAIM, [randomUUID(), nowUs + leaseUs, nowUs, limit])).map(toClaimed);
  }

  async recordAttempt(result: AttemptResult): Promise<void> {
    const { outbox_id: id, claim, attempted_at_us: at, status, error, outcome } = result;
    await inTransaction(this.#db, async (client) => {
      await client.query(LOG, [id, at, status, error, result.duration_ms]);
      if (outcome.kind === 'delivered') await client.query(DELIVERED, [id, at, status]);
      else if (outcome.kind === 'retry') await client.query(RETRY, [id, claim, status, error, outcome.next_attempt_at_us]);
      else await client.query(GIVEN_UP, [id, claim, status, error, at]);
    });
  }

  async deliveryLog(endpointId: number, limit: number): Promise<DeliveryLog> {
    const [events, attempts] = await Promise.all([
      selectRows<DeliveryRow>(this.#db, `SELECT ${DELIVERY_COLUMNS} FROM webhook_outbox WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2`, [endpointId, limit]),
      selectRows<AttemptRow>(this.#db,
        `SELECT ${ATTEMPT_COLUMNS} FROM webhook_attempts a JOIN webhook_outbox o ON o.id = a.outbox_id WHERE a.endpoint_id = $1 ORDER BY a.id DESC LIMIT $2`,
        [endpointId, limit]),
    ]);
    return { events: events.map(toDelivery), attempts: attempts.map(toAttempt) };
  }

  async pruneFinished(beforeUs: number): Promise<number> {
    return changedRows(this.#db, "DELETE FROM webhook_outbox WHERE state <> 'pending' AND created_at < $1", [beforeUs]);
  }

  async licenseAlertCounts(request: LicenseAlertRequest): Promise<LicenseAlertAnswer> {
    // Read first: a record stored during the scan has a larger id, so the next pass sees it.
    const last = await selectRow<{ last: string | number | null }>(this.#db, 'SELECT MAX(id) AS last FROM telemetry');
    const lastId = Number(last?.last ?? 0);
    if (request.afterId !== null && request.afterId >= lastId) return { licenses: [], lastId };
    const params: unknown[] = [request.fromUs - REPORTED_AHEAD_MAX_US, request.fromUs, request.defaultSeats];
    const rows = request.afterId === null
      ? await selectRows<LicenseCountsRow>(this.#db, countsSql(false), params)
      : await selectRows<LicenseCountsRow>(this.#db, countsSql(true), [...params, request.afterId]);
    return { licenses: rows.map(toLicenseCounts), lastId };
  }
}

async function enqueueIn(db: PgRunner, event: NewWebhookEvent, endpointIds: readonly number[]): Promise<number> {
  if (endpointIds.length === 0) return 0;
  return changedRows(db, ENQUEUE, [event.event_id, event.type, event.body, event.created_at_us, endpointIds]);
}
