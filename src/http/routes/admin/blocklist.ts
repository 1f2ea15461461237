import type { FastifyInstance } from 'fastify';
import { addBlockEntry, removeBlockEntry } from '../../../registry/blocklist.js';
import type { AppDeps } from '../../app-deps.js';
import { addSchema, blocklistRefusals, listSchema, removeSchema, type BlockBody } from '../../schemas/blocklist.js';
import type { IdParams } from '../../schemas/primitives.js';
import { requestAudit } from '../../plugins/admin/request-audit.js';

/**
 * `GET|POST /admin/api/blocklist` and `DELETE /admin/api/blocklist/:id` (docs/admin-api.md):
 * register them through `adminApi`, which puts them behind the admin token. Changes apply to
 * this process at once, whether they succeeded or not; other processes see them within the
 * registry cache TTL. Refusals (400, a duplicate 409, an unknown id 404) are the admin error
 * handler's.
 */
export function adminBlocklistRoute(admin: FastifyInstance, deps: AppDeps): void {
  const { blocklist, registry, audit } = deps.store;
  const changing = async <T>(change: () => Promise<T>): Promise<T> => {
    try {
      return await change();
    } finally {
      deps.blocklist.invalidate();
    }
  };
  admin.get('/blocklist', { schema: listSchema }, async () => ({ entries: await blocklist.list() }));
  admin.post<{ Body: BlockBody }>('/blocklist', { schema: addSchema, config: { adminRefusals: blocklistRefusals } }, async (request, reply) =>
    changing(async () => reply.code(201).send(await addBlockEntry(blocklist, registry, request.body, requestAudit(audit, request)))),
  );
  admin.delete<{ Params: IdParams }>('/blocklist/:id', { schema: removeSchema, config: { adminRefusals: blocklistRefusals } }, async (request) =>
    changing(async () => {
      await removeBlockEntry(blocklist, request.params.id, requestAudit(audit, request));
      return { id: request.params.id, removed: true };
    }),
  );
}
