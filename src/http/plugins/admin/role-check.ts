import type { FastifyReply, FastifyRequest } from 'fastify';
import { roleAllows } from '../../../model/accounts.js';
import { roleWithArticle } from '../../../model/product-access.js';
import { principalOf } from './principal.js';
import { neededRole, routeName } from './route-access.js';

/**
 * onRequest, after the admin auth hook: a principal whose role is weaker than the route needs
 * (route-access.ts) gets 403 `{"error": "POST /admin/api/products needs the admin role; you are a
 * viewer."}`. Unknown paths are left to the 404 handler, so a viewer learns no more than anyone.
 */
export async function refuseWeakerRole(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.is404) return undefined;
  const needed = neededRole(request);
  const { role } = principalOf(request);
  if (roleAllows(role, needed)) return undefined;
  return reply.code(403).send({ error: `${routeName(request)} needs the ${needed} role; you are ${roleWithArticle(role)}.` });
}
