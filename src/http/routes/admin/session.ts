import type { FastifyInstance } from 'fastify';
import { sessionOf } from '../../plugins/admin/auth.js';
import { clearSessionCookie } from '../../plugins/admin/session-cookie.js';
import type { SessionStore } from '../../plugins/admin/sessions.js';
import { logoutSchema, sessionSchema } from '../../schemas/session.js';

/**
 * `GET /admin/api/session`: how the caller is authenticated, and for a dashboard session its
 * CSRF token (the dashboard's script sends it back in X-Tally-CSRF) and expiry.
 * `DELETE /admin/api/session`: logs the dashboard session out (the cookie is cleared and the
 * session forgotten). Register through `adminApi`.
 */
export function adminSessionRoutes(admin: FastifyInstance, sessions: SessionStore, publicUrl: string | null): void {
  admin.get('/session', { schema: sessionSchema, config: { productScope: 'none' } }, async (request, reply) => {
    const current = sessionOf(request);
    if (current === null) return reply.send({ authenticated_by: 'token' });
    const { csrfToken, expiresAtMs } = current.session;
    return reply.header('cache-control', 'no-store').send({ authenticated_by: 'session', csrf_token: csrfToken, expires_at: new Date(expiresAtMs).toISOString() });
  });
  admin.delete('/session', { schema: logoutSchema, config: { minRole: 'viewer', productScope: 'none' } }, async (request, reply) => {
    const current = sessionOf(request);
    if (current !== null) sessions.delete(current.id);
    clearSessionCookie(publicUrl, request, reply);
    return reply.code(204).send();
  });
}
