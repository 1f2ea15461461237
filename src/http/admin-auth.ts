import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.js';
import { adminTokenMatches } from '../registry/admin-token.js';

/** Where the admin API lives; everything under it needs the admin token. */
export const ADMIN_API_PREFIX = '/admin/api';

const BEARER = /^Bearer +(\S+) *$/i;

/** The token of an `Authorization: Bearer <token>` header; null for no header or another scheme. */
export function bearerToken(header: string | undefined): string | null {
  return header === undefined ? null : (BEARER.exec(header)?.[1] ?? null);
}

async function requireAdminToken(deps: AppDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const token = bearerToken(request.headers.authorization);
  if (token !== null && (await adminTokenMatches(deps.store.secrets, token))) return undefined;
  const error = token === null ? 'Send the admin token as Authorization: Bearer <admin token>.' : 'Invalid admin token.';
  return reply.code(401).header('www-authenticate', 'Bearer realm="tally-admin"').send({ error });
}

/**
 * Registers admin routes under `/admin/api`, behind the admin token: every request there,
 * unknown paths included (so that nobody can probe which routes exist), must carry
 * `Authorization: Bearer <admin token>`, compared with the stored hash in constant time;
 * anything else gets 401 with a JSON `{"error": …}`. The admin API answers plain JSON, not
 * the signed envelope. `register` adds its routes to the scoped instance (paths relative to
 * the prefix, e.g. `/summary`).
 */
export async function adminApi(app: FastifyInstance, deps: AppDeps, register: (admin: FastifyInstance) => void): Promise<void> {
  await app.register(
    async (admin) => {
      admin.addHook('onRequest', (request, reply) => requireAdminToken(deps, request, reply));
      admin.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ error: 'No such admin endpoint.' }));
      register(admin);
    },
    { prefix: ADMIN_API_PREFIX },
  );
}
