import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashPassword } from '../../src/registry/accounts/passwords.js';
import { newSetupCode } from '../../src/registry/accounts/first-owner.js';
import { startTestServer, type TestServer } from './test-server.js';
import { clientOf, cookieOf, logInAs, postLogin, type DashboardClient } from './account-client.js';
import { TEST_PASSWORD_COST } from '../password-cost.js';

const OWNER = { name: 'Owner@Example.com', password: 'owner password 1' };

let server: TestServer;
let owner: DashboardClient;

before(async () => {
  server = await startTestServer();
  await server.store.accounts.create({ name: OWNER.name, role: 'owner', products: null, password_hash: await hashPassword(OWNER.password, TEST_PASSWORD_COST) });
  owner = await logInAs(server.url, OWNER.name, OWNER.password);
});
after(() => server.close());

interface Made { account: { id: number; name: string; role: string; products: number[] | null; disabled: boolean }; password: string | null }

async function createAccount(body: Record<string, unknown>): Promise<Made> {
  const res = await owner.send('POST', '/admin/api/accounts', body);
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as Made;
}

describe('password login', () => {
  it('starts a session for the right name (any case) and password; the session says who and what role', async () => {
    const res = await postLogin(server.url, { name: 'owner@example.COM', password: OWNER.password });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    assert.match(res.headers.get('set-cookie') ?? '', /^tally_session=[A-Za-z0-9_-]{43};.*HttpOnly/);
    const session = (await (await fetch(`${server.url}/admin/api/session`, { headers: { cookie: cookieOf(res) } })).json()) as Record<string, unknown>;
    assert.equal(session['authenticated_by'], 'session');
    assert.equal(session['role'], 'owner');
    assert.deepEqual(session['account'], { id: 1, name: OWNER.name, role: 'owner', products: null });
    assert.equal(typeof session['csrf_token'], 'string');
    const [account] = (await (await owner.get('/admin/api/accounts')).json() as { accounts: { last_login_at: string | null }[] }).accounts;
    assert.notEqual(account?.last_login_at, null, 'the login is recorded');
  });

  it('refuses a wrong password, an unknown name and an empty field alike, without a cookie', async () => {
    for (const fields of [{ name: OWNER.name, password: 'wrong password!' }, { name: 'nobody', password: OWNER.password }, { name: OWNER.name, password: '' }]) {
      const res = await postLogin(server.url, fields);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/?login=failed');
      assert.equal(res.headers.get('set-cookie'), null);
    }
  });

  it('still opens a session with the admin token, as an owner without an account', async () => {
    const res = await postLogin(server.url, { token: server.adminToken });
    assert.equal(res.headers.get('location'), '/');
    const session = (await (await fetch(`${server.url}/admin/api/session`, { headers: { cookie: cookieOf(res) } })).json()) as Record<string, unknown>;
    assert.equal(session['account'], null);
    assert.equal(session['role'], 'owner');
  });

  it('a viewer limited to a product gets a session whose principal carries the role and products', async () => {
    const made = await createAccount({ name: 'viewer@example.com', role: 'viewer', products: [server.seed.productB] });
    assert.equal(typeof made.password, 'string', 'a generated password is answered once');
    const viewer = await logInAs(server.url, 'viewer@example.com', made.password ?? '');
    const session = (await (await viewer.get('/admin/api/session')).json()) as Record<string, unknown>;
    assert.deepEqual(session['account'], { id: made.account.id, name: 'viewer@example.com', role: 'viewer', products: [server.seed.productB] });
    assert.equal(session['role'], 'viewer');
  });
});

describe('accounts through the admin API', () => {
  it('creates, lists, updates, disables and enables an account; a taken name is 409, an unknown id 404', async () => {
    const made = await createAccount({ name: 'ada@example.com', role: 'admin', password: 'ada password 1' });
    assert.equal(made.password, null, 'a password given is not echoed');
    assert.deepEqual({ ...made.account, id: 0 }, { ...made.account, id: 0, name: 'ada@example.com', role: 'admin', products: null, disabled: false });
    assert.equal((await owner.send('POST', '/admin/api/accounts', { name: 'ADA@example.com' })).status, 409);
    const listed = (await (await owner.get('/admin/api/accounts')).json()) as { accounts: { name: string }[] };
    assert.ok(listed.accounts.some((a) => a.name === 'ada@example.com'));
    assert.ok(!JSON.stringify(listed).includes('scrypt'), 'no hash is ever answered');
    const patched = await owner.send('PATCH', `/admin/api/accounts/${made.account.id}`, { role: 'viewer', products: [server.seed.productA] });
    assert.equal(patched.status, 200);
    assert.deepEqual(((await patched.json()) as Made['account']).products, [server.seed.productA]);
    assert.equal((await owner.send('PATCH', `/admin/api/accounts/${made.account.id}`, { products: [999_999] })).status, 400);
    assert.equal((await owner.send('POST', `/admin/api/accounts/${made.account.id}/disable`)).status, 200);
    assert.equal((await postLogin(server.url, { name: 'ada@example.com', password: 'ada password 1' })).headers.get('location'), '/?login=disabled');
    assert.equal((await owner.send('POST', `/admin/api/accounts/${made.account.id}/enable`)).status, 200);
    await logInAs(server.url, 'ada@example.com', 'ada password 1');
    assert.equal((await owner.send('POST', '/admin/api/accounts/99999/disable')).status, 404);
  });

  it('refuses a short password and an unknown role with 400', async () => {
    assert.equal((await owner.send('POST', '/admin/api/accounts', { name: 'short@example.com', password: 'short' })).status, 400);
    assert.equal((await owner.send('POST', '/admin/api/accounts', { name: 'role@example.com', role: 'root' })).status, 400);
  });

  it('disabling an account ends its sessions at once', async () => {
    const made = await createAccount({ name: 'ends@example.com', role: 'admin', password: 'ends password 1' });
    const client = await logInAs(server.url, 'ends@example.com', 'ends password 1');
    assert.equal((await client.get('/admin/api/session')).status, 200);
    await owner.send('POST', `/admin/api/accounts/${made.account.id}/disable`);
    assert.equal((await client.get('/admin/api/session')).status, 401);
  });

  it('reset-password answers a new password once, ends the sessions, and the new password logs in', async () => {
    const made = await createAccount({ name: 'reset@example.com', role: 'viewer', password: 'first password 1' });
    const client = await logInAs(server.url, 'reset@example.com', 'first password 1');
    const res = await owner.send('POST', `/admin/api/accounts/${made.account.id}/reset-password`, {});
    assert.equal(res.status, 200);
    const { password } = (await res.json()) as Made;
    assert.equal(typeof password, 'string');
    assert.equal((await client.get('/admin/api/session')).status, 401);
    assert.equal((await postLogin(server.url, { name: 'reset@example.com', password: 'first password 1' })).headers.get('location'), '/?login=failed');
    await logInAs(server.url, 'reset@example.com', password ?? '');
  });

  it('refuses demoting or disabling the last enabled owner, with a message that says so', async () => {
    const res = await owner.send('PATCH', '/admin/api/accounts/1', { role: 'admin' });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { error: string }).error, /last enabled owner/);
    assert.equal((await owner.send('POST', '/admin/api/accounts/1/disable')).status, 400);
  });

  it('changes need the CSRF token', async () => {
    const res = await fetch(`${server.url}/admin/api/accounts`, { method: 'POST', headers: { cookie: owner.cookie, 'content-type': 'application/json' }, body: '{"name":"x@example.com"}' });
    assert.equal(res.status, 403);
  });
});

describe('first owner through the setup page', () => {
  it('serves the page, makes the owner with a valid code once, and refuses the code again', async () => {
    const fresh = await startTestServer();
    try {
      assert.equal((await fetch(`${fresh.url}/setup?code=x`)).status, 200);
      const code = await newSetupCode(fresh.store.accounts);
      const post = (fields: Record<string, string>): Promise<Response> => fetch(`${fresh.url}/setup`, {
        method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
      });
      const typo = await post({ code, name: 'first@example.com', password: 'first owner pw', password2: 'first owner pX' });
      assert.match(typo.headers.get('location') ?? '', /failed=input/, 'a typo does not use the code up');
      const made = await post({ code, name: 'first@example.com', password: 'first owner pw', password2: 'first owner pw' });
      assert.equal(made.headers.get('location'), '/');
      const client = await clientOf(fresh.url, cookieOf(made));
      const session = (await (await client.get('/admin/api/session')).json()) as { role: string; account: { name: string } };
      assert.deepEqual([session.role, session.account.name], ['owner', 'first@example.com']);
      const again = await post({ code, name: 'second@example.com', password: 'second owner pw', password2: 'second owner pw' });
      assert.equal(again.headers.get('location'), '/setup?failed=code');
      assert.equal(await fresh.store.accounts.count(), 1);
    } finally {
      await fresh.close();
    }
  });
});

describe('failed-login throttling', () => {
  it('per account: past the limit, logins to that name get 429 with Retry-After from any IP, right password included; other names do not', async () => {
    const throttled = await startTestServer({ adminAuthFailuresPerIp: 0, loginFailuresPerAccount: 3 });
    try {
      await throttled.store.accounts.create({ name: 'target', role: 'owner', products: null, password_hash: await hashPassword('target password', TEST_PASSWORD_COST) });
      await throttled.store.accounts.create({ name: 'other', role: 'admin', products: null, password_hash: await hashPassword('other password', TEST_PASSWORD_COST) });
      for (let i = 0; i < 3; i += 1) assert.equal((await postLogin(throttled.url, { name: 'TARGET', password: `wrong ${i} password` })).status, 303);
      const refused = await postLogin(throttled.url, { name: 'target', password: 'target password' });
      assert.equal(refused.status, 429);
      assert.match(refused.headers.get('retry-after') ?? '', /^\d+$/);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal(refused.headers.get('set-cookie'), null);
      assert.equal((await postLogin(throttled.url, { name: 'other', password: 'other password' })).headers.get('location'), '/');
    } finally {
      await throttled.close();
    }
  });

  it('per IP: wrong passwords to many names from one IP get it 429 with Retry-After, whatever name comes next', async () => {
    const throttled = await startTestServer({ adminAuthFailuresPerIp: 3, loginFailuresPerAccount: 0 });
    try {
      await throttled.store.accounts.create({ name: 'someone', role: 'owner', products: null, password_hash: await hashPassword('someone password', TEST_PASSWORD_COST) });
      for (let i = 0; i < 3; i += 1) assert.equal((await postLogin(throttled.url, { name: `guess-${i}`, password: 'wrong password' })).status, 303);
      const refused = await postLogin(throttled.url, { name: 'someone', password: 'someone password' });
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    } finally {
      await throttled.close();
    }
  });
});
