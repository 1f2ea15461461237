import type {
  AnyWebhookEventType, ClaimedDelivery, DeliveryAttempt, DeliveryState, LicenseAlertCounts, WebhookDelivery, WebhookEndpoint, WebhookEventType,
} from '../../model/webhooks.js';

/**
 * What both backends compute alike for the webhook tables (webhook-store.ts): column lists and
 * the mapping of their rows. PostgreSQL gives bigint as text and json parsed; SQLite numbers and
 * text; both are read here.
 */

type Int = number | string;

export const ENDPOINT_COLUMNS = 'id, url, events, created_at';
export const DELIVERY_COLUMNS = 'event_id, type, created_at, state, attempts, next_attempt_at, delivered_at, given_up_at, last_status, last_error';
export const ATTEMPT_COLUMNS = 'o.event_id, o.type, a.attempted_at, a.status, a.error, a.duration_ms';

export interface EndpointRow {
  id: Int;
  url: string;
  events: string | WebhookEventType[];
  created_at: string;
}

export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  const events = typeof row.events === 'string' ? (JSON.parse(row.events) as WebhookEventType[]) : row.events;
  return { id: Number(row.id), url: row.url, events, created_at: row.created_at };
}

/** The ids of the endpoints subscribed to a type. */
export function subscribers(endpoints: readonly WebhookEndpoint[], type: WebhookEventType): number[] {
  return endpoints.filter((endpoint) => endpoint.events.includes(type)).map((endpoint) => endpoint.id);
}

export interface DeliveryRow {
  event_id: string;
  type: AnyWebhookEventType;
  created_at: Int;
  state: DeliveryState;
  attempts: Int;
  next_attempt_at: Int;
  delivered_at: Int | null;
  given_up_at: Int | null;
  last_status: Int | null;
  last_error: string | null;
}

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    event_id: row.event_id, type: row.type, created_at: isoMicros(row.created_at), state: row.state, attempts: Number(row.attempts),
    next_attempt_at: row.state === 'pending' ? isoMicros(row.next_attempt_at) : null,
    delivered_at: isoOrNull(row.delivered_at), given_up_at: isoOrNull(row.given_up_at),
    last_status: row.last_status === null ? null : Number(row.last_status), last_error: row.last_error,
  };
}

export interface AttemptRow {
  event_id: string;
  type: AnyWebhookEventType;
  attempted_at: Int;
  status: Int | null;
  error: string | null;
  duration_ms: Int;
}

export function toAttempt(row: AttemptRow): DeliveryAttempt {
  return {
    event_id: row.event_id, type: row.type, attempted_at: isoMicros(row.attempted_at),
    status: row.status === null ? null : Number(row.status), error: row.error, duration_ms: Number(row.duration_ms),
  };
}

export interface ClaimedRow {
  outbox_id: Int;
  claim: string;
  event_id: string;
  type: AnyWebhookEventType;
  endpoint_id: Int;
  url: string;
  secret: string;
  body: string;
  created_at: Int;
  attempts: Int;
}

export function toClaimed(row: ClaimedRow): ClaimedDelivery {
  return {
    outbox_id: Number(row.outbox_id), claim: row.claim, event_id: row.event_id, type: row.type, endpoint_id: Number(row.endpoint_id),
    url: row.url, secret: row.secret, body: row.body, created_at_us: Number(row.created_at), attempts: Number(row.attempts),
  };
}

export interface LicenseCountsRow {
  product_id: Int;
  license_key: string;
  registered: Int | boolean;
  seats: Int;
  machines: Int;
  flagged_reports: Int;
  product_exists: Int;
  license_key_exists: Int;
  product_version_exists: Int;
  activation_exists: Int;
  license_active: Int;
}

export function toLicenseCounts(row: LicenseCountsRow): LicenseAlertCounts {
  return {
    product_id: Number(row.product_id), license_key: row.license_key, registered: row.registered === true || Number(row.registered) === 1,
    seats: Number(row.seats), machines: Number(row.machines), flagged_reports: Number(row.flagged_reports),
    flags: {
      product_exists: Number(row.product_exists), license_key_exists: Number(row.license_key_exists),
      product_version_exists: Number(row.product_version_exists), activation_exists: Number(row.activation_exists),
      license_active: Number(row.license_active),
    },
  };
}

/**
 * The per-license aggregate of the license alerts, over `telemetry t` restricted by the caller's
 * WHERE: distinct machines, reports with any piracy flag at 0, and the count per flag at 0.
 */
export const LICENSE_COUNT_COLUMNS = `t.product_id, t.license_key,
  COUNT(DISTINCT t.activation_identifier) AS machines,
  SUM(CASE WHEN t.product_exists = 0 OR t.license_key_exists = 0 OR t.product_version_exists = 0
    OR t.activation_exists = 0 OR t.license_active = 0 THEN 1 ELSE 0 END) AS flagged_reports,
  SUM(1 - t.product_exists) AS product_exists, SUM(1 - t.license_key_exists) AS license_key_exists,
  SUM(1 - t.product_version_exists) AS product_version_exists, SUM(1 - t.activation_exists) AS activation_exists,
  SUM(1 - t.license_active) AS license_active`;

/** µs since the epoch as ISO-8601 with six fractional digits, as src/query/iso-micros.ts writes them (the store may not import query). */
function isoMicros(value: Int): string {
  const us = Number(value);
  const micros = us - Math.floor(us / 1_000_000) * 1_000_000;
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(micros).padStart(6, '0')}Z`;
}

function isoOrNull(value: Int | null): string | null {
  return value === null ? null : isoMicros(value);
}
