import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { FailureCounter } from '../../src/http/plugins/admin/failure-counter.js';
import { runCli } from './cli-runner.js';
import { startTestServer, type TestServer } from './test-server.js';

const WRONG_TOKEN = 'wrong-admin-token-0123456789abcdef';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function adminGet(url: string, token: string): Promise<Response> {
  return fetch(`${url}/admin/api/products`, { headers: { authorization: `Bearer ${token}` } });
}

function logIn(url: string, token: string): Promise<Response> {
  return fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
  });
}

function assertThrottled(res: Response, windowSeconds: number): void {
  assert.equal(res.status, 429);
  const retryAfter = Number(res.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= windowSeconds, `Retry-After ${retryAfter}`);
}

describe('failed admin authentication', () => {
  it('answers 429 with Retry-After to wrong Bearer tokens after 10 failures a minute, the right token included', async () => {
    server = await startTestServer();
    for (let i = 0; i < 10; i++) assert.equal((await adminGet(server.url, WRONG_TOKEN)).status, 401, `attempt ${i + 1}`);
    assertThrottled(await adminGet(server.url, WRONG_TOKEN), 60);
    assertThrottled(await adminGet(server.url, server.adminToken), 60);
  });

  it('answers 429 to logins on the dashboard after 10 wrong tokens a minute, the right token included', async () => {
    server = await startTestServer();
    for (let i = 0; i < 10; i++) assert.equal((await logIn(server.url, WRONG_TOKEN)).headers.get('location'), '/?login=failed');
    assertThrottled(await logIn(server.url, WRONG_TOKEN), 60);
    const right = await logIn(server.url, server.adminToken);
    assertThrottled(right, 60);
    assert.equal(right.headers.get('set-cookie'), null);
  });

  it('counts Bearer and login failures together, and lets the IP in again when the window ends', async () => {
    server = await startTestServer({ adminAuthFailuresPerIp: 2, adminAuthWindowMs: 1000 });
    assert.equal((await adminGet(server.url, WRONG_TOKEN)).status, 401);
    assert.equal((await logIn(server.url, WRONG_TOKEN)).status, 303);
    assertThrottled(await adminGet(server.url, server.adminToken), 1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    assert.equal((await adminGet(server.url, server.adminToken)).status, 200);
  });

  it('counts every address of one IPv6 /64 as one client, as the API limits do', async () => {
    server = await startTestServer({ adminAuthFailuresPerIp: 2, trustedProxies: '127.0.0.1' });
    const from = (ip: string): Record<string, string> => ({ authorization: `Bearer ${WRONG_TOKEN}`, 'x-forwarded-for': ip });
    const get = (ip: string): Promise<Response> => fetch(`${server!.url}/admin/api/products`, { headers: from(ip) });
    assert.equal((await get('2001:db8:1:2::1')).status, 401);
    assert.equal((await get('2001:db8:1:2::2')).status, 401);
    assertThrottled(await get('2001:db8:1:2:ffff::3'), 60);
    assert.equal((await get('2001:db8:1:3::1')).status, 401, 'another /64 is another client');
  });

  it('keeps a bounded number of clients, whatever they send', () => {
    const counter = new FailureCounter({ limit: 3, windowMs: 60_000, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) counter.fail(`10.0.${i >> 8}.${i & 255}${'x'.repeat(i)}`);
    assert.equal(counter.size, 100);
    for (let i = 0; i < 3; i++) counter.fail('192.0.2.1');
    assert.ok(counter.waitMs('192.0.2.1') > 0);
  });
});

describe('the admin token setting', () => {
  it('refuses to start with an admin token shorter than 32 characters, saying so', async () => {
    const result = await runCli(['serve', '--admin-token', 'short-admin-token-0123456789', '--port', '0', '--data-dir', '/dev/null/tally-short-token']);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /--admin-token \/ TALLY_ADMIN_TOKEN: Expected string length greater or equal to 32/);
  });
});
