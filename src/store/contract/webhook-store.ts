import type {
  AlertMark, AttemptResult, ClaimedDelivery, DeliveryLog, LicenseAlertAnswer, LicenseAlertRequest, NewWebhookEvent,
  WebhookEndpoint, WebhookEndpointWithSecret, WebhookEventType,
} from '../../model/webhooks.js';

/** A claim of due outbox rows: rows due at `nowUs`, unclaimed or with an expired lease, at most `limit`. */
export interface ClaimRequest {
  nowUs: number;
  /** How long the claim keeps other workers off the rows; a crashed worker's rows are due again after it. */
  leaseUs: number;
  limit: number;
}

/**
 * Webhook endpoints, their durable outbox and delivery log, and the alert marks
 * (docs/webhooks.md, docs/decisions/0024-webhook-outbox.md). Times are µs since the epoch.
 */
export interface WebhookStore {
  createEndpoint(input: { url: string; events: readonly WebhookEventType[]; secret: string }): Promise<WebhookEndpointWithSecret>;
  /** Every endpoint, by id, without secrets. */
  listEndpoints(): Promise<WebhookEndpoint[]>;
  getEndpoint(id: number): Promise<WebhookEndpoint | null>;
  /** Removes an endpoint with its outbox rows and delivery log; false when there is none. */
  removeEndpoint(id: number): Promise<boolean>;
  /** Puts one event in the outbox of each endpoint named (unknown ids are skipped); returns the rows written. */
  enqueue(event: NewWebhookEvent, endpointIds: readonly number[]): Promise<number>;
  /**
   * In ONE transaction: records the mark unless it is recorded already (UNIQUE type, subject,
   * period), and when it was new puts the event in the outbox of every endpoint subscribed to its
   * type. Returns true when this call recorded the mark: however many processes race, exactly
   * one does.
   */
  fireOnce(mark: AlertMark, event: NewWebhookEvent): Promise<boolean>;
  /** True when the mark is recorded. */
  isMarked(mark: AlertMark): Promise<boolean>;
  /**
   * Claims pending rows due at `nowUs` (never two workers the same row while a lease runs), oldest
   * due first, and gives them with their endpoint's URL and secret.
   */
  claimDue(request: ClaimRequest): Promise<ClaimedDelivery[]>;
  /**
   * Logs an attempt and applies its outcome. Delivered: the row is marked delivered whoever holds
   * its claim now. Retry or given up: applied only while `claim` is still the row's claim (a
   * worker whose lease ran out and was re-claimed only logs its attempt).
   */
  recordAttempt(result: AttemptResult): Promise<void>;
  /** An endpoint's newest `limit` events and newest `limit` attempts, newest first. */
  deliveryLog(endpointId: number, limit: number): Promise<DeliveryLog>;
  /** Deletes delivered and given-up rows (and their attempts) created before `beforeUs`; returns the rows deleted. */
  pruneFinished(beforeUs: number): Promise<number>;
  /**
   * Per (product_id, license_key), over records whose record time is ≥ fromUs: distinct machines,
   * flagged reports and the count per piracy flag at 0, whether the license is registered and its
   * seats. With `afterId`, only licenses that have a record with a larger id.
   */
  licenseAlertCounts(request: LicenseAlertRequest): Promise<LicenseAlertAnswer>;
}
