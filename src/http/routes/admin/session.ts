import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../../plugins/admin/auth.js';
import { principalOf } from '../../plugins/admin/principal.js';
import { clearSessionCookie } from '../../plugins/admin/session-cookie.js';
import type { SessionStore } from '../../plugins/admin/sessions.js';
import { logoutSchema, sessionSchema } from '../../schemas/session.js';

/**
 * `GET /admin/api/session`: who the caller is (the account, or null for the admin token), its role,
 * how it authenticated, and for a dashboard session its CSRF token (the dashboard's script sends it
 * back in X-Tally-CSRF) and expiry. `DELETE /admin/api/session`: logs the dashboard session out
 * (the cookie is cleared and the session deleted, on every instance). Register through `adminApi`.
 */
export function adminSessionRoutes(admin: FastifyInstance, sessions: SessionStore, publicUrl: string | null): void {
  admin.get('/session', { schema: sessionSchema, config: { productScope: 'none' } }, async (request, reply) => {
    const current = sessionOf(request);
    const { accountId, name, role, products } = principalOf(request);
    const account = accountId === null ? null : { id: accountId, name, role, products: products === null ? null : [...products] };
    if (current === null) return reply.send({ authenticated_by: 'token', account, role, csrf_token: null, expires_at: null });
    const { csrfToken, expiresAtMs } = current.session;
    return reply.header('cache-control', 'no-store').send({
      authenticated_by: 'session', account, role, csrf_token: csrfToken, expires_at: new Date(expiresAtMs).toISOString(),
    });
  });
  admin.delete('/session', { schema: logoutSchema, config: { minRole: 'viewer', productScope: 'none' } }, async (request, reply) => {
    const current = sessionOf(request);
    if (current !== null) await sessions.delete(current.id);
    clearSessionCookie(publicUrl, request, reply);
    return reply.code(204).send();
  });
}
