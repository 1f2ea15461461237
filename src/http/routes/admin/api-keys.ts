import type { FastifyInstance } from 'fastify';
import { rotateApiKey, listApiKeys, revokeApiKey, setApiKeyActive, updateApiKey, visibleApiKey } from '../../../registry/api-key-lifecycle.js';
import { createApiKey } from '../../../registry/api-keys.js';
import type { RegistryStore } from '../../../store/contract/store.js';
import {
  actionSchema, apiKeyRefusals, createSchema, listSchema, rotateSchema, updateSchema, type ApiKeyBody, type RotateBody, type UpdateBody,
} from '../../schemas/api-keys.js';
import type { IdParams } from '../../schemas/primitives.js';
import type { AuditLog } from '../../../model/audit.js';
import { requestAudit } from '../../plugins/admin/request-audit.js';

type Id = { Params: IdParams };

/**
 * API key management under `/admin/api/api-keys` (docs/admin-api.md): list, create, deactivate,
 * activate, revoke, update (the signature scheme), rotate. Register through `adminApi` (admin
 * token). Thin over the same registry functions as `tally api-key`; writes go through the cached
 * registry, so this instance's key cache is cleared at once. Secrets appear only in the answers of create and
 * rotate. Refusals (registry input 400, unknown id 404) are the admin error handler's.
 */
export function adminApiKeysRoutes(admin: FastifyInstance, registry: RegistryStore, log: AuditLog): void {
  admin.get('/api-keys', { schema: listSchema }, async () => ({ api_keys: (await listApiKeys(registry)).map((key) => visibleApiKey(key)) }));
  admin.post<{ Body: ApiKeyBody }>('/api-keys', { schema: createSchema }, async (request, reply) => {
    const { name, capabilities, products, allowed_ips: allowedIps, expires_at: expiresAt, signature_scheme: signatureScheme } = request.body;
    const { key, secret } = await createApiKey(registry, {
      name, capabilities: capabilities ?? undefined, products: products ?? undefined, allowedIps: allowedIps ?? undefined, expiresAt: expiresAt ?? null, signatureScheme,
    }, requestAudit(log, request));
    return reply.code(201).send({ ...visibleApiKey(key), key: secret });
  });
  const options = { schema: actionSchema, config: { adminRefusals: apiKeyRefusals } };
  admin.post<Id>('/api-keys/:id/deactivate', options, async (request) => visibleApiKey(await setApiKeyActive(registry, request.params.id, false, requestAudit(log, request))));
  admin.post<Id>('/api-keys/:id/activate', options, async (request) => visibleApiKey(await setApiKeyActive(registry, request.params.id, true, requestAudit(log, request))));
  admin.post<Id>('/api-keys/:id/revoke', options, async (request) => visibleApiKey(await revokeApiKey(registry, request.params.id, requestAudit(log, request))));
  admin.post<Id & { Body: UpdateBody }>('/api-keys/:id/update', { schema: updateSchema, config: { adminRefusals: apiKeyRefusals } }, async (request) =>
    visibleApiKey(await updateApiKey(registry, request.params.id, { signatureScheme: request.body.signature_scheme }, requestAudit(log, request))));
  admin.post<Id & { Body: RotateBody }>('/api-keys/:id/rotate', { schema: rotateSchema, config: { adminRefusals: apiKeyRefusals } }, async (request) => {
    const { id } = request.params;
    const rotated = await rotateApiKey(registry, id, { graceSeconds: request.body.grace_seconds ?? 0 }, requestAudit(log, request));
    return { ...visibleApiKey(rotated.key), key: rotated.secret, rotated_from: id, old: visibleApiKey(rotated.old) };
  });
}
