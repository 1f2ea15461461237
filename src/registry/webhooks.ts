import { randomBytes } from 'node:crypto';
import { NotFoundError, RegistryInputError } from '../model/errors.js';
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES, type DeliveryLog, type WebhookEndpoint, type WebhookEndpointWithSecret, type WebhookEventType } from '../model/webhooks.js';
import type { WebhookStore } from '../store/contract/webhook-store.js';
import { newWebhookEvent } from './webhook-events.js';
import type { AuditContext } from '../model/audit.js';
import { createdFields, removedFields } from './audit/field-changes.js';
import { recordChange } from './audit/record-change.js';

/** Longest URL an endpoint may have. */
const MAX_URL_LENGTH = 2048;
/** Most events and attempts a delivery log shows. */
export const DELIVERY_LOG_LIMIT = 100;

/** What a field of a webhook request that is not of its kind is told (the admin API's body schema says the same). */
export const WEBHOOK_FIELD_MESSAGES = {
  url: 'url must be an http:// or https:// URL.',
  events: `events must be a list of ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
} as const;

/** A new endpoint's request as the CLI or the admin API receives it: nothing checked yet. */
export interface WebhookRequest {
  url: unknown;
  /** A list of event types; absent or null = all three. */
  events?: unknown;
}

/**
 * Checks and stores an endpoint with a new secret (`whsec_` + 32 random bytes, base64url),
 * returned this once. The URL is the operator's choice: any http(s) URL, no check of where it
 * points (docs/webhooks.md, "Where Tally posts"). Throws RegistryInputError for bad input.
 */
export async function createWebhook(webhooks: WebhookStore, request: WebhookRequest, audit: AuditContext): Promise<WebhookEndpointWithSecret> {
  const url = checkUrl(request.url);
  const events = checkEvents(request.events);
  const endpoint = await webhooks.createEndpoint({ url, events, secret: `whsec_${randomBytes(32).toString('base64url')}` });
  await recordChange(audit, { action: 'webhook.create', targetType: 'webhook', targetId: endpoint.id, changes: createdFields(endpoint, ['url', 'events']) });
  return endpoint;
}

export function listWebhooks(webhooks: WebhookStore): Promise<WebhookEndpoint[]> {
  return webhooks.listEndpoints();
}

/** Removes an endpoint with its pending events and log; NotFoundError when there is none. */
export async function removeWebhook(webhooks: WebhookStore, id: number, audit: AuditContext): Promise<void> {
  const endpoint = await webhooks.getEndpoint(id);
  if (endpoint === null || !(await webhooks.removeEndpoint(id))) throw new NotFoundError(`No webhook endpoint ${id}.`);
  await recordChange(audit, { action: 'webhook.remove', targetType: 'webhook', targetId: id, changes: removedFields(endpoint, ['url', 'events']) });
}

/**
 * Puts a `webhook.test` event in one endpoint's outbox; the delivery worker of a running server
 * sends it. Returns its id. Recorded as `webhook.test` with the event's id: it makes Tally post.
 */
export async function testWebhook(webhooks: WebhookStore, id: number, nowUs: number, audit: AuditContext): Promise<string> {
  const endpoint = await endpointOrThrow(webhooks, id);
  const event = newWebhookEvent(TEST_EVENT_TYPE, { endpoint_id: endpoint.id, url: endpoint.url }, nowUs);
  await webhooks.enqueue(event, [endpoint.id]);
  await recordChange(audit, { action: 'webhook.test', targetType: 'webhook', targetId: id, changes: { event_id: { before: null, after: event.event_id } } });
  return event.event_id;
}

/** An endpoint's newest events and attempts; NotFoundError when there is no such endpoint. */
export async function webhookDeliveries(webhooks: WebhookStore, id: number): Promise<DeliveryLog & { endpoint: WebhookEndpoint }> {
  const endpoint = await endpointOrThrow(webhooks, id);
  return { endpoint, ...(await webhooks.deliveryLog(id, DELIVERY_LOG_LIMIT)) };
}

async function endpointOrThrow(webhooks: WebhookStore, id: number): Promise<WebhookEndpoint> {
  const endpoint = await webhooks.getEndpoint(id);
  if (endpoint === null) throw new NotFoundError(`No webhook endpoint ${id}.`);
  return endpoint;
}

function checkUrl(raw: unknown): string {
  if (typeof raw !== 'string') throw new RegistryInputError(WEBHOOK_FIELD_MESSAGES.url);
  const text = raw.trim();
  if (text.length > MAX_URL_LENGTH) throw new RegistryInputError(`url must not be longer than ${MAX_URL_LENGTH} characters.`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RegistryInputError(WEBHOOK_FIELD_MESSAGES.url);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') throw new RegistryInputError(WEBHOOK_FIELD_MESSAGES.url);
  if (url.username !== '' || url.password !== '') throw new RegistryInputError('url must not carry a user name or password; put a token in its path or query instead.');
  return url.href;
}

function checkEvents(raw: unknown): WebhookEventType[] {
  if (raw === undefined || raw === null) return [...WEBHOOK_EVENT_TYPES];
  if (!Array.isArray(raw) || raw.length === 0) throw new RegistryInputError(WEBHOOK_FIELD_MESSAGES.events);
  const chosen = new Set<WebhookEventType>();
  for (const item of raw) {
    if (typeof item !== 'string' || !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(item.trim())) {
      throw new RegistryInputError(`"${String(item)}" is not an event type; use ${WEBHOOK_EVENT_TYPES.join(', ')}.`);
    }
    chosen.add(item.trim() as WebhookEventType);
  }
  // In the documented order, whatever order they were given in.
  return WEBHOOK_EVENT_TYPES.filter((type) => chosen.has(type));
}
