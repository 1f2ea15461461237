import { Type, type StaticDecode } from '@sinclair/typebox';
import { TEST_EVENT_TYPE, WEBHOOK_EVENT_TYPES } from '../../model/webhooks.js';
import { WEBHOOK_FIELD_MESSAGES } from '../../registry/webhooks.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, ErrorBody } from './error-answers.js';
import { Closed, Count, IdParams, IsoMicros, IsoMillis, Nullable, OneOf } from './primitives.js';

/**
 * `GET|POST /admin/api/webhooks`, `DELETE /admin/api/webhooks/:id`, `POST …/:id/test`,
 * `GET …/:id/deliveries` (docs/webhooks.md). The body's shape is checked here; its values (the
 * URL, the event types) by src/registry/webhooks.ts, as for `tally webhook create`.
 */

export const WebhookBody = Type.Object({
  url: Type.String({ errorMessage: WEBHOOK_FIELD_MESSAGES.url, description: 'the http:// or https:// URL Tally posts to; redirects are not followed' }),
  events: Type.Optional(Nullable(Type.Array(Type.String()), {
    errorMessage: WEBHOOK_FIELD_MESSAGES.events, description: `some of ${WEBHOOK_EVENT_TYPES.join(', ')}; absent or null = all`,
  })),
}, { additionalProperties: false, errorMessage: 'Send a JSON object: {"url": "https://…", "events": ["license.shared", …]}.' });

export type WebhookBody = StaticDecode<typeof WebhookBody>;

const EventType = OneOf(WEBHOOK_EVENT_TYPES);
const AnyEventType = OneOf([...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE]);

/** An endpoint as listed: never its secret. */
export const WebhookEndpoint = Closed({ id: Type.Integer(), url: Type.String(), events: Type.Array(EventType), created_at: IsoMillis() });
/** A new endpoint, with its signing secret shown this once. */
export const CreatedWebhook = Closed({ ...WebhookEndpoint.properties, secret: Type.String() });

export const WebhookDelivery = Closed({
  event_id: Type.String(),
  type: AnyEventType,
  created_at: IsoMicros(),
  state: OneOf(['pending', 'delivered', 'given_up']),
  attempts: Count(),
  next_attempt_at: Nullable(IsoMicros()),
  delivered_at: Nullable(IsoMicros()),
  given_up_at: Nullable(IsoMicros()),
  last_status: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
});

export const DeliveryAttempt = Closed({
  event_id: Type.String(),
  type: AnyEventType,
  attempted_at: IsoMicros(),
  status: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  duration_ms: Count(),
});

export const listSchema = { response: adminResponses({ 200: Closed({ webhooks: Type.Array(WebhookEndpoint) }) }) };
export const createSchema = { body: WebhookBody, response: adminResponses({ 201: CreatedWebhook, 400: ErrorBody }, { changes: true }) };
export const removeSchema = {
  params: IdParams,
  response: adminResponses({ 200: Closed({ id: Type.Integer(), removed: Type.Literal(true) }), 400: ErrorBody, 404: ErrorBody }, { changes: true }),
};
export const testSchema = {
  params: IdParams,
  response: adminResponses({ 202: Closed({ id: Type.Integer(), event_id: Type.String() }), 400: ErrorBody, 404: ErrorBody }, { changes: true }),
};
export const deliveriesSchema = {
  params: IdParams,
  response: adminResponses({
    200: Closed({ endpoint: WebhookEndpoint, events: Type.Array(WebhookDelivery), attempts: Type.Array(DeliveryAttempt) }), 404: ErrorBody,
  }),
};

/** An id that names no endpoint, or is not an id at all, is not found. */
export const webhookRefusals: AdminRefusals = { id: ({ text }) => ({ status: 404, error: `No webhook endpoint ${text}.` }) };
