import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../../src/model/accounts.js';
import { runCli } from './cli-runner.js';
import { SQLITE_ONLY, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function account(name: string, role: Role, products: number[] | null = null): Promise<number> {
  return (await server.store.accounts.create({ name, role, products, password_hash: 'unused: token tests' })).id;
}

async function api(method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** A token made by the admin token (an owner) for an account; its secret. */
async function tokenFor(accountId: number, extra: Record<string, unknown> = {}): Promise<string> {
  const made = await api('POST', '/tokens', server.adminToken, { account_id: accountId, name: 'test', ...extra });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  return String(made.json['token']);
}

describe('personal API tokens', () => {
  it('are shown once at create, listed without their secret, and open the admin API for their account', async () => {
    const id = await account('ada@example.com', 'admin');
    const secret = await tokenFor(id);
    assert.match(secret, /^tly_pat_[A-Za-z0-9_-]{43}$/);
    const listed = await api('GET', '/tokens', secret);
    assert.equal(listed.status, 200);
    const tokens = listed.json['tokens'] as Record<string, unknown>[];
    assert.deepEqual(tokens.map((t) => t['account_id']), [id]);
    assert.equal(JSON.stringify(listed.json).includes(secret), false);
    assert.equal('token' in (tokens[0] ?? {}), false);
    assert.equal((await api('POST', '/products', secret, { name: 'made by a token' })).status, 201);
  });

  it('stop working when revoked, expired, or their account is disabled (401)', async () => {
    const id = await account('bob@example.com', 'admin');
    const revoked = await tokenFor(id);
    const tokenId = Number(((await api('GET', '/tokens', revoked)).json['tokens'] as { id: number }[])[0]?.id);
    assert.equal((await api('DELETE', `/tokens/${tokenId}`, revoked)).status, 200);
    const refused = await api('GET', '/products', revoked);
    assert.equal(refused.status, 401);
    assert.match(String(refused.json['error']), /revoked or expired personal API token/);

    const expiring = await tokenFor(id, { expires_at: new Date(Date.now() + 1500).toISOString() });
    assert.equal((await api('GET', '/products', expiring)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal((await api('GET', '/products', expiring)).status, 401);

    const disabledAccount = await account('carl@example.com', 'admin');
    const ofDisabled = await tokenFor(disabledAccount);
    assert.equal((await api('GET', '/products', ofDisabled)).status, 200);
    await server.store.accounts.update(disabledAccount, { disabled: true }, new Date().toISOString());
    assert.equal((await api('GET', '/products', ofDisabled)).status, 401);
  });

  it('act with the account\'s current role and products, not those it had when the token was made', async () => {
    const id = await account('dora@example.com', 'viewer');
    const secret = await tokenFor(id);
    const refused = await api('POST', '/products', secret, { name: 'by a viewer' });
    assert.equal(refused.status, 403);
    assert.equal(refused.json['error'], 'POST /admin/api/products needs the admin role; you are a viewer.');
    await server.store.accounts.update(id, { role: 'admin' }, new Date().toISOString());
    assert.equal((await api('POST', '/products', secret, { name: 'by a new admin' })).status, 201);
    await server.store.accounts.update(id, { products: [server.seed.productB] }, new Date().toISOString());
    const products = (await api('GET', '/products', secret)).json['products'] as { id: number }[];
    assert.deepEqual(products.map((p) => p.id), [server.seed.productB]);
  });

  it('limit an account to its products: its own answer, others 403 with what to do', async () => {
    const id = await account('eve@example.com', 'viewer', [server.seed.productB]);
    const secret = await tokenFor(id);
    assert.equal((await api('GET', `/overview?product_id=${server.seed.productB}`, secret)).status, 200);
    const other = await api('GET', `/overview?product_id=${server.seed.productA}`, secret);
    assert.equal(other.status, 403);
    assert.equal(other.json['error'], `Product ${server.seed.productA} is not yours: your account is limited to product ${server.seed.productB}.`);
    const none = await api('GET', '/overview', secret);
    assert.equal(none.status, 403);
    assert.match(String(none.json['error']), /unless you pass product_id/);
    const licenses = (await api('GET', '/licenses?key=LIC-B', secret)).json['licenses'] as unknown[];
    assert.equal(licenses.length, 1);
    assert.deepEqual((await api('GET', '/licenses?key=LIC-ACTIVE', secret)).json['licenses'], []);
  });

  it('are each account\'s own: others\' tokens are an owner\'s to list and revoke', async () => {
    const ownerId = await account('olga@example.com', 'owner');
    const adminId = await account('finn@example.com', 'admin');
    const ownerToken = await tokenFor(ownerId);
    const adminToken = await tokenFor(adminId);
    const adminTokenId = Number(((await api('GET', '/tokens', adminToken)).json['tokens'] as { id: number }[])[0]?.id);
    assert.equal((await api('GET', `/tokens?account_id=${ownerId}`, adminToken)).status, 403);
    assert.equal((await api('POST', '/tokens', adminToken, { name: 'for olga', account_id: ownerId })).status, 403);
    const ownersView = await api('GET', `/tokens?account_id=${adminId}`, ownerToken);
    assert.deepEqual((ownersView.json['tokens'] as { id: number }[]).map((t) => t.id), [adminTokenId]);
    const ownerTokenId = Number(((await api('GET', '/tokens', ownerToken)).json['tokens'] as { id: number }[])[0]?.id);
    const refused = await api('DELETE', `/tokens/${ownerTokenId}`, adminToken);
    assert.equal(refused.status, 403);
    assert.match(String(refused.json['error']), /belongs to another account/);
    const revoked = await api('DELETE', `/tokens/${adminTokenId}`, ownerToken);
    assert.equal(revoked.status, 200);
    assert.match(String(revoked.json['revoked_at']), /^\d{4}-/);
  });

  it('leave the old admin token working as an owner, which must name the account a new token is for', async () => {
    const answer = await api('POST', '/tokens', server.adminToken, { name: 'nobody' });
    assert.equal(answer.status, 400);
    assert.match(String(answer.json['error']), /pass account_id/);
    assert.equal((await api('GET', '/tokens', server.adminToken)).status, 200);
  });

  it('are made, listed and revoked by tally token, the secret printed once', { skip: SQLITE_ONLY }, async () => {
    await account('gus@example.com', 'viewer');
    const made = await runCli(['token', 'create', '--account', 'GUS@example.com', '--name', 'ci', '--json', ...server.cliStoreArgs]);
    assert.equal(made.code, 0, made.stderr);
    const created = JSON.parse(made.stdout) as { id: number; token: string; account_id: number };
    assert.match(created.token, /^tly_pat_/);
    assert.equal((await api('GET', '/session', created.token)).status, 200);
    const listed = await runCli(['token', 'list', '--account', String(created.account_id), '--json', ...server.cliStoreArgs]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual((JSON.parse(listed.stdout) as { id: number }[]).map((t) => t.id), [created.id]);
    assert.equal(listed.stdout.includes(created.token), false);
    const revoked = await runCli(['token', 'revoke', String(created.id), ...server.cliStoreArgs]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await api('GET', '/session', created.token)).status, 401);
    const unknown = await runCli(['token', 'create', '--account', 'nobody', '--name', 'x', ...server.cliStoreArgs]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No account named "nobody"/);
  });
});
