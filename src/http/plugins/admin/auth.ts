import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdminAuthThrottle } from './auth-throttle.js';
import { isCrossSite } from './cross-site.js';
import { CSRF_HEADER, csrfTokenMatches, SESSION_COOKIE, type Session, type SessionStore } from './sessions.js';
import type { AppDeps } from '../../app-deps.js';
import { ADMIN_TOKEN_PRINCIPAL, setPrincipal } from './principal.js';
import { bearerPrincipal, refusedBearerMessage } from './bearer-principal.js';
import { refuseOtherProducts } from './product-limits.js';
import { refuseWeakerRole } from './role-check.js';
import { accountPrincipal } from '../../../registry/accounts/account-principal.js';
import type { Principal } from '../../../model/accounts.js';

/** Where the admin API lives; everything under it needs the admin token. */
export const ADMIN_API_PREFIX = '/admin/api';

const BEARER = /^Bearer +(\S+) *$/i;
/** Methods that change nothing, so a session cookie alone is enough for them. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The dashboard session each cookie-authenticated admin request came with (absent for a Bearer token). */
const requestSessions = new WeakMap<FastifyRequest, { id: string; session: Session }>();

/** The dashboard session a request was authenticated by, or null when it used the admin token. */
export function sessionOf(request: FastifyRequest): { id: string; session: Session } | null {
  return requestSessions.get(request) ?? null;
}

/** The token of an `Authorization: Bearer <token>` header; null for no header or another scheme. */
export function bearerToken(header: string | undefined): string | null {
  return header === undefined ? null : (BEARER.exec(header)?.[1] ?? null);
}

/** What guards the admin API besides the admin token: dashboard sessions (when accepted) and the failed-login throttle. */
export interface AdminGuards {
  sessions: SessionStore | null;
  throttle: AdminAuthThrottle;
}

async function requireAdmin(deps: AppDeps, guards: AdminGuards, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const { sessions, throttle } = guards;
  const token = bearerToken(request.headers.authorization);
  if (token !== null) {
    const throttled = throttle.refuseIfThrottled(request, reply);
    if (throttled !== null) return throttled;
    const principal = await bearerPrincipal(deps.store, token);
    if (principal !== null) {
      setPrincipal(request, principal);
      return undefined;
    }
    throttle.failed(request);
  }
  const sessionId = token === null ? request.cookies[SESSION_COOKIE] : undefined;
  const session = sessions !== null && sessionId !== undefined ? await sessions.find(sessionId) : null;
  const principal = session === null ? null : sessionPrincipal(session);
  if (session === null || sessionId === undefined || principal === null) {
    const error = token === null ? 'Send the admin token as Authorization: Bearer <admin token>.' : refusedBearerMessage(token);
    return reply.code(401).header('www-authenticate', 'Bearer realm="tally-admin"').send({ error });
  }
  if (!SAFE_METHODS.has(request.method)) {
    if (isCrossSite(request)) return reply.code(403).send({ error: 'Cross-site requests are refused.' });
    const presented = request.headers[CSRF_HEADER];
    if (!csrfTokenMatches(session, typeof presented === 'string' ? presented : undefined)) {
      return reply.code(403).send({ error: 'Send the session\'s CSRF token in the X-Tally-CSRF header.' });
    }
  }
  requestSessions.set(request, { id: sessionId, session });
  setPrincipal(request, principal);
  return undefined;
}

/** Who a session is: its account (null when the account is disabled), or for one opened with the admin token, an owner. */
function sessionPrincipal(session: Session): Principal | null {
  if (session.account === null) return { ...ADMIN_TOKEN_PRINCIPAL, kind: 'session' };
  return accountPrincipal(session.account, 'session');
}

/**
 * Registers admin routes under `/admin/api`: every request there, unknown paths included (so
 * that nobody can probe which routes exist), must carry `Authorization: Bearer <admin token>`
 * (compared with the stored hash in constant time) or, when `sessions` is given, the dashboard's
 * session cookie; a cookie-authenticated request that is not GET/HEAD/OPTIONS must also come from
 * the same site and carry the session's CSRF token in `X-Tally-CSRF` (403 otherwise). Anything
 * else gets 401 with a JSON `{"error": …}`; after too many wrong tokens from one IP, 429
 * (AdminAuthThrottle). The admin API answers plain JSON, not the signed
 * envelope. `register` adds its routes to the scoped instance (paths relative to the prefix).
 */
export async function adminApi(
  app: FastifyInstance,
  deps: AppDeps,
  register: (admin: FastifyInstance) => void,
  guards: AdminGuards,
): Promise<void> {
  await app.register(
    async (admin) => {
      await admin.register(cookie);
      admin.addHook('onRequest', (request, reply) => requireAdmin(deps, guards, request, reply));
      // Then what the principal may do: its role (role-check.ts), and its products once the input is read (product-limits.ts).
      admin.addHook('onRequest', refuseWeakerRole);
      admin.addHook('preHandler', refuseOtherProducts);
      admin.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ error: 'No such admin endpoint.' }));
      register(admin);
    },
    { prefix: ADMIN_API_PREFIX },
  );
}
