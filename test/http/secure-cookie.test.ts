import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './cli-runner.js';
import { startTestServer } from './test-server.js';

async function logIn(url: string, token: string): Promise<Response> {
  return fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual',
    // What a TLS-terminating proxy sends; not believed here, since no trusted proxy is configured.
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
    body: new URLSearchParams({ token }).toString(),
  });
}

describe('the session cookie behind a TLS-terminating proxy', () => {
  it('is Secure when the public URL is https, with no trusted proxy configured, and so is the logout that clears it', async () => {
    const server = await startTestServer({ publicUrl: 'https://tally.example.com' });
    try {
      const res = await logIn(server.url, server.adminToken);
      assert.equal(res.status, 303);
      const setCookie = res.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /^tally_session=[^;]+;.*; Secure/);
      const cookie = setCookie.split(';')[0] ?? '';
      const csrf = ((await (await fetch(`${server.url}/admin/api/session`, { headers: { cookie } })).json()) as { csrf_token: string }).csrf_token;
      const logout = await fetch(`${server.url}/admin/api/session`, { method: 'DELETE', headers: { cookie, 'x-tally-csrf': csrf } });
      assert.equal(logout.status, 204);
      assert.match(logout.headers.get('set-cookie') ?? '', /; Secure/);
    } finally {
      await server.close();
    }
  });

  it('is not Secure when the public URL is http, whatever the proxy says', async () => {
    const server = await startTestServer({ publicUrl: 'http://tally.internal:8080', trustedProxies: '127.0.0.1' });
    try {
      const res = await logIn(server.url, server.adminToken);
      assert.doesNotMatch(res.headers.get('set-cookie') ?? '', /Secure/);
    } finally {
      await server.close();
    }
  });
});

describe('the warning at start', () => {
  const failFast = ['--data-dir', '/dev/null/tally-data', '--port', '0'];

  it('warns when listening beyond loopback over plain HTTP with no trusted proxy', async () => {
    const result = await runCli(['serve', '--host', '0.0.0.0', ...failFast]);
    assert.match(result.stderr, /warning: listening on 0\.0\.0\.0 over plain HTTP .* no --trusted-proxies/);
    assert.match(result.stderr, /not marked Secure \(set --public-url https/);
  });

  it('does not warn on loopback or behind a trusted proxy', async () => {
    for (const args of [['--host', '127.0.0.1'], ['--host', '0.0.0.0', '--trusted-proxies', '10.0.0.5']]) {
      const result = await runCli(['serve', ...args, ...failFast]);
      assert.doesNotMatch(result.stderr, /warning:/);
    }
  });
});
