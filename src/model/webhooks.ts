/**
 * Webhook alerts (docs/webhooks.md): the endpoints Tally posts events to, the events, the durable
 * outbox that delivers them at least once, and the marks that make each alert fire once per
 * subject per window.
 */

/** The alerts an endpoint can subscribe to (CONTRACT §6, "Webhooks"); an endpoint made without a list gets all three. */
export const WEBHOOK_EVENT_TYPES = ['license.shared', 'license.suspicious', 'version.unreleased'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The event `tally webhook test` sends one endpoint; no endpoint subscribes to it. */
export const TEST_EVENT_TYPE = 'webhook.test';
export type AnyWebhookEventType = WebhookEventType | typeof TEST_EVENT_TYPE;

/** An endpoint as listed: never its secret. `created_at` is ISO-8601 (`toISOString` form). */
export interface WebhookEndpoint {
  id: number;
  url: string;
  events: WebhookEventType[];
  created_at: string;
}

/** An endpoint with the secret its deliveries are signed with (shown to a person once, when made). */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

/** One event about to be put in the outbox: `body` is the exact JSON posted (its `id` is `event_id`). */
export interface NewWebhookEvent {
  event_id: string;
  type: AnyWebhookEventType;
  body: string;
  created_at_us: number;
}

/** What makes an alert fire once: its type, its subject (e.g. `["1","2.1.0-beta"]`) and its window's number. */
export interface AlertMark {
  type: WebhookEventType;
  subject: string;
  period: number;
}

export type DeliveryState = 'pending' | 'delivered' | 'given_up';

/** One outbox row (an event for one endpoint) as the delivery log shows it; times ISO-8601 with microseconds. */
export interface WebhookDelivery {
  event_id: string;
  type: AnyWebhookEventType;
  created_at: string;
  state: DeliveryState;
  attempts: number;
  /** When the next attempt is due; null once delivered or given up. */
  next_attempt_at: string | null;
  delivered_at: string | null;
  given_up_at: string | null;
  last_status: number | null;
  last_error: string | null;
}

/** One attempt to deliver an event to an endpoint. */
export interface DeliveryAttempt {
  event_id: string;
  type: AnyWebhookEventType;
  attempted_at: string;
  /** The HTTP status answered, or null when there was no answer (see `error`). */
  status: number | null;
  error: string | null;
  duration_ms: number;
}

/** An endpoint's delivery log: its newest events and its newest attempts, newest first. */
export interface DeliveryLog {
  events: WebhookDelivery[];
  attempts: DeliveryAttempt[];
}

/** An outbox row claimed by one delivery worker until `claimed_until_us` (its lease). */
export interface ClaimedDelivery {
  outbox_id: number;
  claim: string;
  event_id: string;
  type: AnyWebhookEventType;
  endpoint_id: number;
  url: string;
  secret: string;
  body: string;
  created_at_us: number;
  /** Attempts made before this one. */
  attempts: number;
}

/** What became of an attempt: delivered (a 2xx), to be retried at a time, or given up. */
export type AttemptOutcome =
  | { kind: 'delivered' }
  | { kind: 'retry'; next_attempt_at_us: number }
  | { kind: 'given_up' };

/** An attempt to record: its log line and what it means for the outbox row. */
export interface AttemptResult {
  outbox_id: number;
  claim: string;
  attempted_at_us: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
  outcome: AttemptOutcome;
}

/** The flags a license's reports are counted by when at 0 (every flag but is_correct_format and the summary). */
export const PIRACY_FLAG_NAMES = ['product_exists', 'license_key_exists', 'product_version_exists', 'activation_exists', 'license_active'] as const;
export type PiracyFlagCounts = Record<(typeof PIRACY_FLAG_NAMES)[number], number>;

/** A license's reports within the alert window, as the license alerts read them. */
export interface LicenseAlertCounts {
  product_id: number;
  license_key: string;
  /** True when the license is registered for that product (only those can be shared). */
  registered: boolean;
  /** Its allowance of machines (the default seats until licenses carry their own). */
  seats: number;
  /** Distinct activation_identifier values. */
  machines: number;
  /** Reports with any piracy flag at 0. */
  flagged_reports: number;
  flags: PiracyFlagCounts;
}

/** Which licenses to count: those with a report whose id is above `afterId` (null: all), over records of time ≥ `fromUs`. */
export interface LicenseAlertRequest {
  fromUs: number;
  afterId: number | null;
  defaultSeats: number;
}

export interface LicenseAlertAnswer {
  licenses: LicenseAlertCounts[];
  /** The highest record id there is (0 when none): the next pass's `afterId`. */
  lastId: number;
}
