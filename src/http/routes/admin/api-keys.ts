import type { FastifyInstance, FastifyReply } from 'fastify';
import { rotateApiKey, listApiKeys, revokeApiKey, setApiKeyActive, visibleApiKey } from '../../../registry/api-key-lifecycle.js';
import { apiKeyRequestFromJson, graceSecondsFromJson } from '../../../registry/api-key-json.js';
import { createApiKey } from '../../../registry/api-keys.js';
import { ApiKeyNotFoundError, RegistryInputError } from '../../../model/errors.js';
import type { AppDeps } from '../../app-deps.js';

interface IdParams {
  id: string;
}

/** The `:id` of a path, or null when it is not a positive integer. */
function idOf(params: IdParams): number | null {
  return /^[1-9]\d{0,15}$/.test(params.id) && Number.isSafeInteger(Number(params.id)) ? Number(params.id) : null;
}

/** Input errors become 400, an unknown id 404; anything else is the app's 500. */
async function answer(reply: FastifyReply, work: () => Promise<unknown>, status = 200): Promise<FastifyReply> {
  try {
    return await reply.code(status).send(await work());
  } catch (error) {
    if (error instanceof ApiKeyNotFoundError) return reply.code(404).send({ error: error.message });
    if (error instanceof RegistryInputError) return reply.code(400).send({ error: error.message });
    throw error;
  }
}

/**
 * API key management under `/admin/api/api-keys` (docs/admin-api.md): list, create, deactivate,
 * activate, revoke, rotate. Register through `adminApi` (admin token). Thin over the same
 * registry functions as `tally api-key`; writes go through deps.registry, so this instance's
 * key cache is cleared at once. Secrets appear only in the answers of create and rotate.
 */
export function adminApiKeysRoutes(admin: FastifyInstance, deps: AppDeps): void {
  const registry = deps.registry;
  admin.get('/api-keys', async (_request, reply) =>
    answer(reply, async () => ({ api_keys: (await listApiKeys(registry)).map((key) => visibleApiKey(key)) })),
  );
  admin.post('/api-keys', async (request, reply) =>
    answer(reply, async () => {
      const { key, secret } = await createApiKey(registry, apiKeyRequestFromJson(request.body));
      return { ...visibleApiKey(key), key: secret };
    }, 201),
  );
  const byId = (path: string, act: (id: number, body: unknown) => Promise<unknown>): void => {
    admin.post<{ Params: IdParams }>(`/api-keys/:id/${path}`, async (request, reply) => {
      const id = idOf(request.params);
      if (id === null) return reply.code(404).send({ error: `No API key with id ${request.params.id}.` });
      return answer(reply, () => act(id, request.body));
    });
  };
  byId('deactivate', async (id) => visibleApiKey(await setApiKeyActive(registry, id, false)));
  byId('activate', async (id) => visibleApiKey(await setApiKeyActive(registry, id, true)));
  byId('revoke', async (id) => visibleApiKey(await revokeApiKey(registry, id)));
  byId('rotate', async (id, body) => {
    const rotated = await rotateApiKey(registry, id, graceSecondsFromJson(body));
    return { ...visibleApiKey(rotated.key), key: rotated.secret, rotated_from: id, old: visibleApiKey(rotated.old) };
  });
}
