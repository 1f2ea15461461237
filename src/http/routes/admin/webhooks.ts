import type { FastifyInstance } from 'fastify';
import { nowMicros } from '../../../model/clock.js';
import { createWebhook, listWebhooks, removeWebhook, testWebhook, webhookDeliveries } from '../../../registry/webhooks.js';
import type { WebhookStore } from '../../../store/contract/webhook-store.js';
import type { IdParams } from '../../schemas/primitives.js';
import type { AuditLog } from '../../../model/audit.js';
import { requestAudit } from '../../plugins/admin/request-audit.js';
import { createSchema, deliveriesSchema, listSchema, removeSchema, testSchema, webhookRefusals, type WebhookBody } from '../../schemas/webhooks.js';

type Id = { Params: IdParams };

/**
 * Webhook endpoints under `/admin/api/webhooks` (docs/webhooks.md, docs/admin-api.md): list,
 * create (the secret in this answer only), remove, test (queues a `webhook.test` event) and the
 * delivery log. Register through `adminApi`. Thin over the same functions as `tally webhook`;
 * refusals (400 for a bad URL or event type, 404 for an unknown id) are the admin error handler's.
 */
export function adminWebhookRoutes(admin: FastifyInstance, webhooks: WebhookStore, log: AuditLog): void {
  const options = { config: { adminRefusals: webhookRefusals } };
  admin.get('/webhooks', { schema: listSchema }, async () => ({ webhooks: await listWebhooks(webhooks) }));
  admin.post<{ Body: WebhookBody }>('/webhooks', { schema: createSchema }, async (request, reply) =>
    reply.code(201).send(await createWebhook(webhooks, { url: request.body.url, events: request.body.events }, requestAudit(log, request))));
  admin.delete<Id>('/webhooks/:id', { schema: removeSchema, ...options }, async (request) => {
    await removeWebhook(webhooks, request.params.id, requestAudit(log, request));
    return { id: request.params.id, removed: true };
  });
  admin.post<Id>('/webhooks/:id/test', { schema: testSchema, ...options }, async (request, reply) =>
    reply.code(202).send({ id: request.params.id, event_id: await testWebhook(webhooks, request.params.id, nowMicros(), requestAudit(log, request)) }));
  admin.get<Id>('/webhooks/:id/deliveries', { schema: deliveriesSchema, ...options }, async (request) => webhookDeliveries(webhooks, request.params.id));
}
