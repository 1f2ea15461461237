import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Account } from '../../model/account-record.js';
import { RegistryInputError } from '../../model/errors.js';
import { checkRepeated, createFirstOwner } from '../../registry/accounts/first-owner.js';
import { checkLogin } from '../../registry/accounts/login.js';
import { passwordCost } from '../../registry/accounts/passwords.js';
import { adminTokenMatches } from '../../registry/admin-token.js';
import type { AdminAuthThrottle } from '../plugins/admin/auth-throttle.js';
import { isCrossSite } from '../plugins/admin/cross-site.js';
import type { AccountLoginThrottle } from '../plugins/admin/login-throttle.js';
import { setSessionCookie } from '../plugins/admin/session-cookie.js';
import type { SessionStore } from '../plugins/admin/sessions.js';
import type { AppDeps } from '../app-deps.js';
import { loginDocs, setupDocs, setupPageDocs } from '../schemas/dashboard-pages.js';

/**
 * Where `npm run build` puts the bundled dashboard (web/ → dist/web/), seen from this module:
 * dist/src/http/routes/ when run as compiled, dist/app/ when run from the server's bundle.
 */
const WEB_ROOTS = [new URL('../../../web/', import.meta.url), new URL('../web/', import.meta.url)].map((url) => fileURLToPath(url));
const WEB_ROOT = WEB_ROOTS.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? WEB_ROOTS[0] ?? '';

/** Scripts, styles and data come from Tally alone; no framing, no inline script. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/** What guards the login: sessions, and the failed-login throttles per IP and per account. */
export interface LoginGuards {
  sessions: SessionStore;
  throttle: AdminAuthThrottle;
  accountThrottle: AccountLoginThrottle;
}

function field(request: FastifyRequest, name: string, trim = true): string {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const value = body[name];
  if (typeof value !== 'string') return '';
  return trim ? value.trim() : value;
}

/**
 * `POST /login` (docs/accounts.md): a name and password, or (for installs from before accounts)
 * the admin token in `token`. Right: a session cookie and a redirect to `/`; wrong:
 * `/?login=failed` (a disabled account: `/?login=disabled`); cross-site: 403; past the failed-login
 * limit per IP or per account name: 429 with Retry-After.
 */
async function login(deps: AppDeps, guards: LoginGuards, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (isCrossSite(request)) return reply.code(403).send({ error: 'Cross-site requests are refused.' });
  const token = field(request, 'token');
  const name = field(request, 'name');
  const password = field(request, 'password', false);
  if (token === '' && (name === '' || password === '')) return reply.redirect('/?login=failed', 303);
  const throttled = guards.throttle.refuseIfThrottled(request, reply) ?? (token === '' ? guards.accountThrottle.refuseIfThrottled(name, reply) : null);
  if (throttled !== null) return throttled;
  let account: Account | null = null;
  if (token !== '') {
    if (!(await adminTokenMatches(deps.store.secrets, token))) return failed(guards, request, reply, null);
  } else {
    const outcome = await checkLogin(deps.store.accounts, name, password, passwordCost(deps.config.passwordHashCost));
    if (!outcome.ok && outcome.reason === 'disabled') return reply.redirect('/?login=disabled', 303);
    if (!outcome.ok) return failed(guards, request, reply, name);
    account = outcome.account;
  }
  const { id } = await guards.sessions.create(account);
  setSessionCookie(deps.config.publicUrl, request, reply, id);
  return reply.redirect('/', 303);
}

function failed(guards: LoginGuards, request: FastifyRequest, reply: FastifyReply, name: string | null): FastifyReply {
  guards.throttle.failed(request);
  if (name !== null) guards.accountThrottle.failed(name);
  return reply.redirect('/?login=failed', 303);
}

/**
 * `POST /setup`: the first owner, made with the one-time code the server printed to its terminal
 * (docs/accounts.md, "First owner"). Made: a session and a redirect to `/`; a bad name or
 * password: back to the form with the code (not used up); a wrong, used or expired code, or an
 * account already there: `/setup?failed=code`.
 */
async function setup(deps: AppDeps, guards: LoginGuards, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  if (isCrossSite(request)) return reply.code(403).send({ error: 'Cross-site requests are refused.' });
  const throttled = guards.throttle.refuseIfThrottled(request, reply);
  if (throttled !== null) return throttled;
  const code = field(request, 'code');
  const back = (why: string): FastifyReply => reply.redirect(`/setup?code=${encodeURIComponent(code)}&failed=${why}`, 303);
  let account: Account | null;
  try {
    checkRepeated(field(request, 'password', false), field(request, 'password2', false));
    account = await createFirstOwner(deps.store.accounts, code, { name: field(request, 'name'), password: field(request, 'password', false) }, {
      log: deps.store.audit, actor: { kind: 'session', accountId: null, name: 'setup', ip: request.ip },
    }, passwordCost(deps.config.passwordHashCost));
  } catch (error) {
    if (error instanceof RegistryInputError) return back('input');
    throw error;
  }
  if (account === null) {
    guards.throttle.failed(request);
    return reply.redirect('/setup?failed=code', 303);
  }
  const { id } = await guards.sessions.create(account);
  setSessionCookie(deps.config.publicUrl, request, reply, id);
  return reply.redirect('/', 303);
}

/**
 * The dashboard (docs/dashboard.md): its static files at `/` (index.html, app.js, app.css), the
 * same page at `/setup` (the first owner's form), `POST /login` and `POST /setup`.
 */
export async function dashboardRoutes(app: FastifyInstance, deps: AppDeps, guards: LoginGuards): Promise<void> {
  await app.register(async (dashboard) => {
    await dashboard.register(cookie);
    dashboard.addHook('onSend', async (_request, reply, payload) => {
      reply.headers(SECURITY_HEADERS);
      return payload;
    });
    await dashboard.register(fastifyStatic, { root: WEB_ROOT, wildcard: false, index: 'index.html', cacheControl: false });
    dashboard.get('/setup', { config: { openapi: setupPageDocs } }, async (_request, reply) => reply.header('cache-control', 'no-store').sendFile('index.html'));
    dashboard.post('/login', { config: { openapi: loginDocs } }, async (request, reply) => login(deps, guards, request, reply));
    dashboard.post('/setup', { config: { openapi: setupDocs } }, async (request, reply) => setup(deps, guards, request, reply));
  });
}
