import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './test-server.js';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

async function adminGet(path: string, authorization?: string) {
  const res = await fetch(`${server.url}${path}`, { headers: authorization === undefined ? {} : { authorization } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const summaryPath = (): string => `/admin/api/summary?product_id=${server.seed.productA}&data_group=g`;

describe('admin API authentication', () => {
  const refused: [string, () => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['a wrong admin token', () => 'Bearer test-admin-token-wrong-0000'],
    ['the right token under another scheme', () => `Basic ${server.adminToken}`],
    ['the scheme without a token', () => 'Bearer'],
    ['an API key instead of the admin token', () => `Bearer ${server.seed.keys.full}`],
    ['the right token with something appended', () => `Bearer ${server.adminToken}x`],
  ];
  for (const [name, header] of refused) {
    it(`answers 401 with a JSON error for ${name}`, async () => {
      const answer = await adminGet(summaryPath(), header());
      assert.equal(answer.status, 401);
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(typeof answer.body['error'], 'string');
      assert.equal(answer.headers.get('www-authenticate'), 'Bearer realm="tally-admin"');
      assert.equal(answer.body['response'], undefined, 'plain JSON, not the signed envelope');
    });
  }

  it('answers 200 with the summary for the right token', async () => {
    const answer = await adminGet(summaryPath(), `Bearer ${server.adminToken}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body['product_id'], server.seed.productA);
  });

  it('takes the scheme in any case', async () => {
    assert.equal((await adminGet(summaryPath(), `bearer ${server.adminToken}`)).status, 200);
  });

  it('refuses an unknown admin path without the token, so that routes cannot be probed', async () => {
    assert.equal((await adminGet('/admin/api/no-such-thing')).status, 401);
  });

  it('answers an unknown admin path with a JSON 404 once authenticated', async () => {
    const answer = await adminGet('/admin/api/no-such-thing', `Bearer ${server.adminToken}`);
    assert.equal(answer.status, 404);
    assert.equal(typeof answer.body['error'], 'string');
  });
});
