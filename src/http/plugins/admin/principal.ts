import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../../model/accounts.js';
import type { AuditActor } from '../../../model/audit.js';

/** The pre-accounts admin token: an owner of everything (CONTRACT §1). */
export const ADMIN_TOKEN_PRINCIPAL: Principal = { kind: 'admin-token', accountId: null, name: 'admin-token', role: 'owner', products: null };

/** Who each authenticated admin request comes from, set by the admin scope's auth hook. */
const principals = new WeakMap<FastifyRequest, Principal>();

/** Records who a request comes from (the admin auth hook, once it has authenticated it). */
export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  principals.set(request, principal);
}

/**
 * Who an admin request comes from. Every request past the admin scope's auth hook has one; a
 * request that somehow has none is treated as a viewer with no products, the least it could be.
 */
export function principalOf(request: FastifyRequest): Principal {
  return principals.get(request) ?? { kind: 'session', accountId: null, name: 'unknown', role: 'viewer', products: [] };
}

/** The audit log's view of who made a change through the admin API: the principal and its IP. */
export function actorOf(request: FastifyRequest): AuditActor {
  const { kind, accountId, name } = principalOf(request);
  return { kind, accountId, name, ip: request.ip };
}
