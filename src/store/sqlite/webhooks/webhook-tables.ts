import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  AlertMark, AttemptResult, ClaimedDelivery, DeliveryLog, LicenseAlertAnswer, LicenseAlertRequest, NewWebhookEvent,
  WebhookEndpoint, WebhookEndpointWithSecret, WebhookEventType,
} from '../../../model/webhooks.js';
import type { ClaimRequest, WebhookStore } from '../../contract/webhook-store.js';
import {
  ATTEMPT_COLUMNS, DELIVERY_COLUMNS, ENDPOINT_COLUMNS, subscribers, toAttempt, toClaimed, toDelivery, toEndpoint,
  type AttemptRow, type ClaimedRow, type DeliveryRow, type EndpointRow,
} from '../../contract/webhook-rows.js';

/** Where the license aggregate runs: this connection (license-alert-counts.ts) or the reader thread. */
export interface LicenseCounter {
  count(request: LicenseAlertRequest): LicenseAlertAnswer | Promise<LicenseAlertAnswer>;
}

const CLAIM = `UPDATE webhook_outbox SET claim = @claim, claimed_until = @until
WHERE id IN (SELECT id FROM webhook_outbox WHERE state = 'pending' AND next_attempt_at <= @now
  AND (claimed_until IS NULL OR claimed_until <= @now) ORDER BY next_attempt_at, id LIMIT @limit)`;

const CLAIMED = `SELECT o.id AS outbox_id, o.claim, o.event_id, o.type, o.endpoint_id, e.url, e.secret, o.body, o.created_at, o.attempts
FROM webhook_outbox o JOIN webhook_endpoints e ON e.id = o.endpoint_id WHERE o.claim = ? ORDER BY o.next_attempt_at, o.id`;

const ENQUEUE = `INSERT INTO webhook_outbox (event_id, endpoint_id, type, body, created_at, next_attempt_at)
SELECT @event_id, id, @type, @body, @created_at, @created_at FROM webhook_endpoints WHERE id = @endpoint_id
ON CONFLICT (event_id, endpoint_id) DO NOTHING`;

const DELIVERED = `UPDATE webhook_outbox SET state = 'delivered', delivered_at = @at, attempts = attempts + 1, last_status = @status,
  last_error = NULL, claim = NULL, claimed_until = NULL WHERE id = @id AND state = 'pending'`;
const RETRY = `UPDATE webhook_outbox SET attempts = attempts + 1, last_status = @status, last_error = @error, next_attempt_at = @next,
  claim = NULL, claimed_until = NULL WHERE id = @id AND claim = @claim AND state = 'pending'`;
const GIVEN_UP = `UPDATE webhook_outbox SET state = 'given_up', given_up_at = @at, attempts = attempts + 1, last_status = @status,
  last_error = @error, claim = NULL, claimed_until = NULL WHERE id = @id AND claim = @claim AND state = 'pending'`;

/**
 * The webhook tables in SQLite (WebhookStore). Every write is one transaction on this connection;
 * a claim is one UPDATE under SQLite's write lock, so two processes never claim one row while its
 * lease runs. The license aggregate runs on the reader thread when there is one.
 */
export class SqliteWebhookTables implements WebhookStore {
  readonly #db: Database.Database;
  readonly #counts: LicenseCounter;
  readonly #claim: Database.Transaction<(request: ClaimRequest) => ClaimedRow[]>;
  readonly #fire: Database.Transaction<(mark: AlertMark, event: NewWebhookEvent) => boolean>;
  readonly #enqueue: Database.Transaction<(event: NewWebhookEvent, endpointIds: readonly number[]) => number>;
  readonly #record: Database.Transaction<(result: AttemptResult) => void>;

  constructor(db: Database.Database, counts: LicenseCounter) {
    this.#db = db;
    this.#counts = counts;
    const claim = db.prepare(CLAIM);
    const claimed = db.prepare<[string], ClaimedRow>(CLAIMED);
    this.#claim = db.transaction((request: ClaimRequest) => {
      const token = randomUUID();
      claim.run({ claim: token, until: request.nowUs + request.leaseUs, now: request.nowUs, limit: request.limit });
      return claimed.all(token);
    });
    const enqueue = db.prepare(ENQUEUE);
    const enqueueAll = (event: NewWebhookEvent, endpointIds: readonly number[]): number => {
      let rows = 0;
      const { event_id, type, body, created_at_us: created_at } = event;
      for (const id of endpointIds) rows += enqueue.run({ event_id, type, body, created_at, endpoint_id: id }).changes;
      return rows;
    };
    this.#enqueue = db.transaction(enqueueAll);
    const mark = db.prepare('INSERT INTO alert_marks (type, subject, period, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
    const endpoints = db.prepare<[], EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY id`);
    this.#fire = db.transaction((alert: AlertMark, event: NewWebhookEvent) => {
      if (mark.run(alert.type, alert.subject, alert.period, event.created_at_us).changes === 0) return false;
      enqueueAll(event, subscribers(endpoints.all().map(toEndpoint), alert.type));
      return true;
    });
    const log = db.prepare(`INSERT INTO webhook_attempts (outbox_id, endpoint_id, attempted_at, status, error, duration_ms)
      SELECT id, endpoint_id, @at, @status, @error, @duration FROM webhook_outbox WHERE id = @id`);
    const delivered = db.prepare(DELIVERED);
    const retry = db.prepare(RETRY);
    const givenUp = db.prepare(GIVEN_UP);
    this.#record = db.transaction((result: AttemptResult) => {
      const base = { id: result.outbox_id, at: result.attempted_at_us, status: result.status, error: result.error };
      log.run({ ...base, duration: result.duration_ms });
      const { outcome } = result;
      if (outcome.kind === 'delivered') delivered.run({ id: base.id, at: base.at, status: base.status });
      else if (outcome.kind === 'retry') retry.run({ id: base.id, status: base.status, error: base.error, next: outcome.next_attempt_at_us, claim: result.claim });
      else givenUp.run({ ...base, claim: result.claim });
    });
  }

  async createEndpoint(input: { url: string; events: readonly WebhookEventType[]; secret: string }): Promise<WebhookEndpointWithSecret> {
    const row = this.#db.prepare<[string, string, string, string], EndpointRow>(
      `INSERT INTO webhook_endpoints (url, events, secret, created_at) VALUES (?, ?, ?, ?) RETURNING ${ENDPOINT_COLUMNS}`,
    ).get(input.url, JSON.stringify(input.events), input.secret, new Date().toISOString());
    if (row === undefined) throw new Error('INSERT … RETURNING gave no webhook endpoint');
    return { ...toEndpoint(row), secret: input.secret };
  }

  async listEndpoints(): Promise<WebhookEndpoint[]> {
    return this.#db.prepare<[], EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY id`).all().map(toEndpoint);
  }

  async getEndpoint(id: number): Promise<WebhookEndpoint | null> {
    const row = this.#db.prepare<[number], EndpointRow>(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = ?`).get(id);
    return row === undefined ? null : toEndpoint(row);
  }

  async removeEndpoint(id: number): Promise<boolean> {
    return this.#db.prepare('DELETE FROM webhook_endpoints WHERE id = ?').run(id).changes > 0;
  }

  async enqueue(event: NewWebhookEvent, endpointIds: readonly number[]): Promise<number> {
    return this.#enqueue.immediate(event, endpointIds);
  }

  async fireOnce(mark: AlertMark, event: NewWebhookEvent): Promise<boolean> {
    return this.#fire.immediate(mark, event);
  }

  async isMarked(mark: AlertMark): Promise<boolean> {
    return this.#db.prepare('SELECT 1 FROM alert_marks WHERE type = ? AND subject = ? AND period = ?').get(mark.type, mark.subject, mark.period) !== undefined;
  }

  async claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]> {
    return this.#claim.immediate(request).map(toClaimed);
  }

  async recordAttempt(result: AttemptResult): Promise<void> {
    this.#record.immediate(result);
  }

  async deliveryLog(endpointId: number, limit: number): Promise<DeliveryLog> {
    const events = this.#db.prepare<[number, number], DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_outbox WHERE endpoint_id = ? ORDER BY id DESC LIMIT ?`,
    ).all(endpointId, limit);
    const attempts = this.#db.prepare<[number, number], AttemptRow>(
      `SELECT ${ATTEMPT_COLUMNS} FROM webhook_attempts a JOIN webhook_outbox o ON o.id = a.outbox_id WHERE a.endpoint_id = ? ORDER BY a.id DESC LIMIT ?`,
    ).all(endpointId, limit);
    return { events: events.map(toDelivery), attempts: attempts.map(toAttempt) };
  }

  async pruneFinished(beforeUs: number): Promise<number> {
    return this.#db.prepare("DELETE FROM webhook_outbox WHERE state <> 'pending' AND created_at < ?").run(beforeUs).changes;
  }

  async licenseAlertCounts(request: LicenseAlertRequest): Promise<LicenseAlertAnswer> {
    return this.#counts.count(request);
  }
}
