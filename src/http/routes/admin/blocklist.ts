import type { FastifyInstance, FastifyReply } from 'fastify';
import { addBlockEntry, removeBlockEntry } from '../../../registry/blocklist.js';
import { DuplicateError, RegistryInputError } from '../../../model/errors.js';
import type { AppDeps } from '../../app-deps.js';

/**
 * `GET|POST /admin/api/blocklist` and `DELETE /admin/api/blocklist/:id` (docs/admin-api.md):
 * register them through `adminApi`, which puts them behind the admin token. Changes apply to
 * this process at once; other processes see them within the registry cache TTL.
 */
export function adminBlocklistRoute(admin: FastifyInstance, deps: AppDeps): void {
  admin.get('/blocklist', async () => ({ entries: await deps.store.blocklist.list() }));

  admin.post('/blocklist', async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return reply.code(400).send({ error: 'Send a JSON object: {"kind": "ip"|"user_identifier"|"license_key", "value": …, "product_id"?: …, "reason"?: …}.' });
    }
    const fields = body as Record<string, unknown>;
    return answer(reply, deps, async () => {
      const entry = await addBlockEntry(deps.store.blocklist, deps.store.registry, {
        kind: fields['kind'], value: fields['value'], product_id: fields['product_id'], reason: fields['reason'],
      });
      return reply.code(201).send(entry);
    });
  });

  admin.delete<{ Params: { id: string } }>('/blocklist/:id', async (request, reply) => {
    const text = request.params.id;
    const id = /^\d{1,15}$/.test(text) ? Number(text) : 0;
    if (id < 1) return reply.code(400).send({ error: 'The id must be a positive integer.' });
    return answer(reply, deps, async () => {
      await removeBlockEntry(deps.store.blocklist, id);
      return reply.send({ id, removed: true });
    });
  });
}

/** Runs a change, then makes this process see it; input errors become 400, duplicates 409, a missing entry 404. */
async function answer(reply: FastifyReply, deps: AppDeps, change: () => Promise<FastifyReply>): Promise<FastifyReply> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof DuplicateError) return reply.code(409).send({ error: 'This entry is already on the blocklist.' });
    if (error instanceof RegistryInputError) {
      return reply.code(error.message.startsWith('No blocklist entry') ? 404 : 400).send({ error: error.message });
    }
    throw error;
  } finally {
    deps.blocklist.invalidate();
  }
}
