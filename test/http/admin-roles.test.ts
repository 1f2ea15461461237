import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { roleAllows, type Role } from '../../src/model/accounts.js';
import { createAccessToken } from '../../src/registry/accounts/access-tokens.js';
import { adminRoutesOf } from './admin-route-list.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * Role checks for every admin route (issue 18; docs/accounts.md "Roles"): the routes are read from
 * the built app, each must be in TABLE (a new route fails here until it is classified), and each
 * is called over real HTTP with personal API tokens of an owner, an admin, a viewer, and an admin
 * and a viewer limited to another product than the one the request names: allowed (neither 401
 * nor 403) or 403 with a message.
 *
 * One line per route: its weakest role; `anyProduct` when an account limited to products may call
 * it whatever it names (it answers only about their products, or is about no product); a request
 * that passes the route's schema (so the role and product checks are what decide), where `{A}` is
 * a product the limited accounts do not have and `{n}` a number unique to the request.
 */
interface Case {
  role: Role;
  anyProduct?: boolean;
  query?: string;
  body?: unknown;
  /**
   * What `:id` is; default 999999 (no such thing: an allowed request answers 404). `{L}`: a license
   * of product A made for this call, `{V}`: an activation of one (so a limited account meets a thing of
   * another product, and a change by one caller does not leave the next a 404).
   */
  id?: string;
}

/** A line of TABLE: `needs('owner')`, `needs('admin', { body: … })`. */
const needs = (role: Role, c: Omit<Case, 'role'> = {}): Case => ({ role, ...c });
const A = 'product_id={A}';

const TABLE: Readonly<Record<string, Case>> = {
  'GET /admin/api/summary': needs('viewer', { query: `${A}&data_group=g` }),
  'GET /admin/api/summary/text-patterns': needs('viewer', { query: `${A}&data_group=g` }),
  'GET /admin/api/summary/versions': needs('viewer', { query: `${A}&data_group=g` }),
  'GET /admin/api/export': needs('viewer', { query: `format=ndjson&${A}` }),
  'GET /admin/api/records': needs('viewer', { query: A }),
  'GET /admin/api/overview': needs('viewer', { query: A }),
  'GET /admin/api/piracy': needs('viewer', { query: A }),
  'GET /admin/api/installs': needs('viewer', { query: A }),
  'GET /admin/api/licenses/:id': needs('viewer', { id: '{L}' }),
  'PATCH /admin/api/licenses/:id': needs('admin', { id: '{L}', body: { notes: 'note {n}' } }),
  'POST /admin/api/licenses/:id/block': needs('admin', { id: '{L}' }),
  'POST /admin/api/licenses/:id/unblock': needs('admin', { id: '{L}' }),
  'POST /admin/api/licenses/:id/revoke': needs('admin', { id: '{L}' }),
  'DELETE /admin/api/licenses/:id': needs('admin', { id: '{L}' }),
  'POST /admin/api/licenses/bulk': needs('admin', { body: { ids: [999999], action: 'block' } }),
  'GET /admin/api/licenses/:id/activations': needs('viewer', { id: '{L}' }),
  'GET /admin/api/activations': needs('viewer', { query: A }),
  'POST /admin/api/activations/import': needs('admin', { body: { text: 'license_key,identifier,product_id\n' } }),
  'POST /admin/api/activations/:id/deactivate': needs('admin', { id: '{V}' }),
  'GET /admin/api/licenses/insights': needs('viewer', { query: A }),
  'GET /admin/api/users/insights': needs('viewer', { query: A }),
  'GET /admin/api/products': needs('viewer', { anyProduct: true }),
  'POST /admin/api/products': needs('admin', { body: { name: 'product {n}' } }),
  'POST /admin/api/products/:id/versions': needs('admin', { id: '{A}', body: { version: '9.{n}.0' } }),
  'GET /admin/api/licenses': needs('viewer', { anyProduct: true, query: 'key=LIC-ACTIVE' }),
  'POST /admin/api/licenses': needs('admin', { body: { product_id: '{A}', key: 'KEY-{n}' } }),
  'POST /admin/api/licenses/import': needs('admin', { body: { text: 'product_id,key\n' } }),
  'POST /admin/api/activations': needs('admin', { body: { license_key: 'LIC-ACTIVE', identifier: 'machine-{n}', product_id: '{A}' } }),
  'GET /admin/api/api-keys': needs('viewer'),
  'POST /admin/api/api-keys': needs('admin', { body: { name: 'key {n}' } }),
  'POST /admin/api/api-keys/:id/activate': needs('admin'),
  'POST /admin/api/api-keys/:id/deactivate': needs('admin'),
  'POST /admin/api/api-keys/:id/revoke': needs('admin'),
  'POST /admin/api/api-keys/:id/rotate': needs('admin', { body: {} }),
  'POST /admin/api/api-keys/:id/update': needs('admin', { body: { signature_scheme: 'auto' } }),
  'GET /admin/api/blocklist': needs('viewer'),
  'POST /admin/api/blocklist': needs('admin', { body: { kind: 'user_identifier', value: 'user-{n}', product_id: '{A}' } }),
  'DELETE /admin/api/blocklist/:id': needs('admin'),
  'GET /admin/api/webhooks': needs('viewer'),
  'POST /admin/api/webhooks': needs('admin', { body: { url: 'http://127.0.0.1:9/hook-{n}' } }),
  'DELETE /admin/api/webhooks/:id': needs('admin'),
  'POST /admin/api/webhooks/:id/test': needs('admin'),
  'GET /admin/api/webhooks/:id/deliveries': needs('viewer'),
  'GET /admin/api/accounts': needs('owner'),
  'POST /admin/api/accounts': needs('owner', { body: { name: 'person-{n}@example.com' } }),
  'PATCH /admin/api/accounts/:id': needs('owner', { body: { role: 'viewer' } }),
  'POST /admin/api/accounts/:id/reset-password': needs('owner', { body: {} }),
  'POST /admin/api/accounts/:id/disable': needs('owner'),
  'POST /admin/api/accounts/:id/enable': needs('owner'),
  'GET /admin/api/audit': needs('admin'),
  'GET /admin/api/audit/export': needs('admin', { query: 'format=ndjson' }),
  'POST /admin/api/privacy/export': needs('owner', { body: { user_identifier: 'nobody-{n}', product_id: '{A}' } }),
  'POST /admin/api/privacy/erase': needs('owner', { body: { user_identifier: 'nobody-{n}', product_id: '{A}' } }),
  'GET /admin/api/session': needs('viewer', { anyProduct: true }),
  'DELETE /admin/api/session': needs('viewer', { anyProduct: true }),
  'GET /admin/api/tokens': needs('viewer', { anyProduct: true }),
  'POST /admin/api/tokens': needs('viewer', { anyProduct: true, body: { name: 'token {n}' } }),
  'DELETE /admin/api/tokens/:id': needs('viewer', { anyProduct: true }),
};

/** The callers: an account per role, plus an admin and a viewer limited to product B (the requests name A). */
const CALLERS: readonly { label: string; role: Role; limited: boolean }[] = [
  { label: 'owner', role: 'owner', limited: false },
  { label: 'admin', role: 'admin', limited: false },
  { label: 'viewer', role: 'viewer', limited: false },
  { label: 'admin limited to another product', role: 'admin', limited: true },
  { label: 'viewer limited to another product', role: 'viewer', limited: true },
];

let server: TestServer;
const tokens = new Map<string, string>();
let counter = 0;

before(async () => {
  server = await startTestServer();
  for (const caller of CALLERS) {
    const products = caller.limited ? [server.seed.productB] : null;
    const account = await server.store.accounts.create({ name: caller.label, role: caller.role, products, password_hash: 'unused: these accounts use tokens' });
    const deps = { tokens: server.store.accessTokens, accounts: server.store.accounts };
    const { secret } = await createAccessToken(deps, { accountId: account.id, name: 'role test' }, { log: server.store.audit, actor: { kind: 'cli', accountId: null, name: 'test', ip: null } });
    tokens.set(caller.label, secret);
  }
});
after(() => server.close());

function fill(text: string): string {
  return text.replaceAll('{A}', String(server.seed.productA)).replaceAll('{n}', String(counter));
}

/** The `:id` of a call: made for it when the case asks for a license or activation of product A. */
async function idFor(c: Case): Promise<string> {
  if (c.id !== '{L}' && c.id !== '{V}') return c.id ?? '999999';
  const license = await server.store.registry.createLicense({ product_id: server.seed.productA, key: `ROLE-LIC-${counter}`, status: 'active', expires_at: null });
  if (c.id === '{L}') return String(license.id);
  return String((await server.store.registry.createActivation(license.id, `role-machine-${counter}`)).id);
}

/** Calls the route as the case says, with this token; the answer's status and error. */
async function call(route: string, c: Case, token: string): Promise<{ status: number; error: string | undefined }> {
  counter += 1;
  const [method = 'GET', pattern = ''] = route.split(' ');
  const path = fill(pattern.replace(':id', await idFor(c)));
  const body = c.body === undefined ? (method === 'GET' || method === 'DELETE' ? undefined : '{}') : fill(JSON.stringify(c.body)).replace(`"${server.seed.productA}"`, String(server.seed.productA));
  const response = await fetch(`${server.url}${path}${c.query === undefined ? '' : `?${fill(c.query)}`}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body,
  });
  const text = await response.text();
  let error: string | undefined;
  try {
    error = (JSON.parse(text) as { error?: string }).error;
  } catch {
    error = undefined;
  }
  return { status: response.status, error };
}

describe('admin route roles', () => {
  it('classifies every admin route of the app in the role table (add a line to TABLE for a new route)', () => {
    const routes = adminRoutesOf(server.printedRoutes);
    assert.ok(routes.length > 20, `only ${routes.length} admin routes were read from printRoutes`);
    const missing = routes.filter((route) => TABLE[route] === undefined);
    assert.deepEqual(missing, [], `admin routes without a role in test/http/admin-roles.test.ts TABLE:\n${missing.join('\n')}`);
    const gone = Object.keys(TABLE).filter((route) => !routes.includes(route));
    assert.deepEqual(gone, [], 'TABLE names routes the app does not have');
  });

  for (const [route, c] of Object.entries(TABLE)) {
    it(`${route}: ${c.role} and up${c.anyProduct === true ? ', any product' : ', only their products'}`, async () => {
      for (const caller of CALLERS) {
        const allowed = roleAllows(caller.role, c.role) && (!caller.limited || c.anyProduct === true);
        const { status, error } = await call(route, c, tokens.get(caller.label) ?? '');
        if (process.env['ROLES_DEBUG'] === '1') console.log(`${route} | ${caller.label} | ${status} | ${error ?? ''}`);
        if (allowed) {
          assert.ok(status !== 401 && status !== 403, `${caller.label}: ${route} answered ${status} ${error ?? ''}, expected to be allowed`);
        } else {
          assert.equal(status, 403, `${caller.label}: ${route} answered ${status} ${error ?? ''}, expected 403`);
          assert.match(error ?? '', /needs the (admin|owner) role; you are an? \w+\.|limited to product/, `${caller.label}: ${route}`);
        }
      }
    });
  }
});
