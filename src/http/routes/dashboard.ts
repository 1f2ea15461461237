import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import { adminTokenMatches } from '../../registry/admin-token.js';
import type { AdminAuthThrottle } from '../plugins/admin/auth-throttle.js';
import { isCrossSite } from '../plugins/admin/cross-site.js';
import { setSessionCookie } from '../plugins/admin/session-cookie.js';
import type { SessionStore } from '../plugins/admin/sessions.js';
import type { AppDeps } from '../app-deps.js';

/** Where `npm run build` puts the bundled dashboard (web/ → dist/web/). */
const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));

/** Scripts, styles and data come from Tally alone; no framing, no inline script. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/**
 * The dashboard (docs/dashboard.md): its static files at `/` (index.html, app.js, app.css) and
 * `POST /login`, which takes the admin token from a form, starts a session (session cookie) and
 * redirects to `/`; a wrong token redirects to `/?login=failed`, a cross-site post is 403, and
 * after too many wrong tokens from one IP the answer is 429 (AdminAuthThrottle).
 */
export async function dashboardRoutes(app: FastifyInstance, deps: AppDeps, sessions: SessionStore, throttle: AdminAuthThrottle): Promise<void> {
  await app.register(async (dashboard) => {
    await dashboard.register(cookie);
    dashboard.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(SECURITY_HEADERS);
      return payload;
    });
    await dashboard.register(fastifyStatic, { root: WEB_ROOT, wildcard: false, index: 'index.html', cacheControl: false });
    dashboard.post('/login', async (request, reply) => {
      if (isCrossSite(request)) return reply.code(403).send({ error: 'Cross-site requests are refused.' });
      const body = (request.body ?? {}) as Record<string, unknown>;
      const token = typeof body['token'] === 'string' ? body['token'].trim() : '';
      if (token === '') return reply.redirect('/?login=failed', 303);
      const throttled = throttle.refuseIfThrottled(request, reply);
      if (throttled !== null) return throttled;
      if (!(await adminTokenMatches(deps.store.secrets, token))) {
        throttle.failed(request);
        return reply.redirect('/?login=failed', 303);
      }
      const { id } = sessions.create();
      setSessionCookie(deps.config.publicUrl, request, reply, id);
      return reply.redirect('/', 303);
    });
  });
}
