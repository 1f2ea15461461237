import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function logIn(token: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ token }).toString(),
  });
}

/** Logs in and returns the `Cookie` header value and the session's CSRF token. */
async function session(): Promise<{ cookie: string; csrf: string }> {
  const res = await logIn(server.adminToken);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const answer = await fetch(`${server.url}/admin/api/session`, { headers: { cookie } });
  const body = (await answer.json()) as { csrf_token: string };
  return { cookie, csrf: body.csrf_token };
}

function createProduct(headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}/admin/api/products`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'From the dashboard' }),
  });
}

describe('dashboard login', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie for the right admin token and redirects to the dashboard', async () => {
    const res = await logIn(server.adminToken);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/');
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^tally_session=[A-Za-z0-9_-]{43};/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /Secure/, 'plain HTTP: a Secure cookie would never come back');
    assert.ok(!cookie.includes(server.adminToken), 'the cookie is a session id, not the token');
  });

  it('marks the cookie Secure when a trusted proxy says the request came over HTTPS', async () => {
    const behindProxy = await startTestServer({ trustedProxies: '127.0.0.1' });
    try {
      const res = await fetch(`${behindProxy.url}/login`, {
        method: 'POST', redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
        body: new URLSearchParams({ token: behindProxy.adminToken }).toString(),
      });
      assert.match(res.headers.get('set-cookie') ?? '', /; Secure/);
    } finally {
      await behindProxy.close();
    }
  });

  it('redirects a wrong or empty token back to the login form without a cookie', async () => {
    for (const token of ['test-admin-token-wrong-0000', '']) {
      const res = await logIn(token);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('location'), '/?login=failed');
      assert.equal(res.headers.get('set-cookie'), null);
    }
  });

  it('refuses a login posted from another site', async () => {
    assert.equal((await logIn(server.adminToken, { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await logIn(server.adminToken, { origin: 'https://evil.example' })).status, 403);
  });

  it('gives every login its own session id and CSRF token', async () => {
    const [a, b] = [await session(), await session()];
    assert.notEqual(a.cookie, b.cookie);
    assert.notEqual(a.csrf, b.csrf);
    assert.match(a.csrf, /^[A-Za-z0-9_-]{43}$/);
  });
});

describe('the admin API with a session cookie', () => {
  it('answers reads with the cookie alone', async () => {
    const { cookie } = await session();
    const res = await fetch(`${server.url}/admin/api/products`, { headers: { cookie } });
    assert.equal(res.status, 200);
  });

  it('refuses a change without the CSRF header, or with a wrong one', async () => {
    const { cookie } = await session();
    assert.equal((await createProduct({ cookie })).status, 403);
    assert.equal((await createProduct({ cookie, 'x-tally-csrf': 'not-the-token' })).status, 403);
  });

  it('accepts a change with the session\'s CSRF token from the same origin', async () => {
    const { cookie, csrf } = await session();
    const res = await createProduct({ cookie, 'x-tally-csrf': csrf, origin: server.url, 'sec-fetch-site': 'same-origin' });
    assert.equal(res.status, 201);
  });

  it('refuses a cross-site POST even with the right CSRF token', async () => {
    const { cookie, csrf } = await session();
    assert.equal((await createProduct({ cookie, 'x-tally-csrf': csrf, 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await createProduct({ cookie, 'x-tally-csrf': csrf, 'sec-fetch-site': 'same-site' })).status, 403);
    assert.equal((await createProduct({ cookie, 'x-tally-csrf': csrf, origin: 'https://evil.example' })).status, 403);
    assert.equal((await createProduct({ cookie, 'x-tally-csrf': csrf, origin: 'null' })).status, 403);
  });

  it('does not take another session\'s CSRF token', async () => {
    const mine = await session();
    const theirs = await session();
    assert.equal((await createProduct({ cookie: mine.cookie, 'x-tally-csrf': theirs.csrf })).status, 403);
  });

  it('refuses a made-up session id', async () => {
    const res = await fetch(`${server.url}/admin/api/products`, { headers: { cookie: 'tally_session=made-up' } });
    assert.equal(res.status, 401);
  });

  it('still takes the Bearer token without a CSRF header (scripts)', async () => {
    assert.equal((await createProduct({ authorization: `Bearer ${server.adminToken}` })).status, 201);
  });

  it('tells a token caller it is not in a session', async () => {
    const res = await fetch(`${server.url}/admin/api/session`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    assert.deepEqual(await res.json(), { authenticated_by: 'token', account: null, role: 'owner', csrf_token: null, expires_at: null });
  });

  it('logs out: the cookie is cleared and the session no longer authenticates', async () => {
    const { cookie, csrf } = await session();
    assert.equal((await fetch(`${server.url}/admin/api/session`, { method: 'DELETE', headers: { cookie } })).status, 403, 'logout needs the CSRF token too');
    const res = await fetch(`${server.url}/admin/api/session`, { method: 'DELETE', headers: { cookie, 'x-tally-csrf': csrf } });
    assert.equal(res.status, 204);
    assert.match(res.headers.get('set-cookie') ?? '', /^tally_session=;.*Expires=Thu, 01 Jan 1970/);
    assert.equal((await fetch(`${server.url}/admin/api/products`, { headers: { cookie } })).status, 401);
  });
});

describe('the dashboard page', () => {
  it('is served at / with a strict Content-Security-Policy, and its script and styles come from Tally', async () => {
    const res = await fetch(`${server.url}/`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'; script-src 'self'/);
    assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    const html = await res.text();
    assert.match(html, /<form method="post" action="\/login">/);
    assert.doesNotMatch(html, /https?:\/\//, 'nothing is loaded from another host');
    for (const asset of ['/app.js', '/app.css']) {
      const file = await fetch(`${server.url}${asset}`);
      assert.equal(file.status, 200, asset);
      assert.ok((await file.text()).length > 1000, asset);
    }
  });

  it('serves the favicon it links as an SVG image that its Content-Security-Policy allows', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    assert.match(html, /<link rel="icon" href="\/favicon.svg" type="image\/svg\+xml">/);
    const res = await fetch(`${server.url}/favicon.svg`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.match(res.headers.get('content-security-policy') ?? '', /img-src 'self'/, 'a same-origin image may be shown');
    assert.match(await res.text(), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('leaves the public API\'s answers alone: an unknown /api path is still a signed 404', async () => {
    const res = await fetch(`${server.url}/api/v1/nothing-here`);
    assert.equal(res.status, 404);
    assert.ok('response' in ((await res.json()) as object));
  });
});
