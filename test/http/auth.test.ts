import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { form, post, startTestServer, type TestServer } from './test-server.js';

let server: TestServer;
let endpoint: string;

before(async () => {
  server = await startTestServer();
  endpoint = `${server.url}/api/v1/send-telemetry-data`;
});
after(() => server.close());

async function sendWith(apiKey: string | null) {
  const fields: Record<string, string> = { product_id: String(server.seed.productA), data_type: 'text', text_data: 'x', data_group: 'g' };
  if (apiKey !== null) fields['api_key'] = apiKey;
  const before = await server.store.telemetry.count();
  const answer = await post(endpoint, form(fields), 'application/x-www-form-urlencoded');
  return { answer, stored: (await server.store.telemetry.count()) - before };
}

describe('API key checks on send-telemetry-data', () => {
  const cases: [string, (s: TestServer) => string | null, number, string][] = [
    ['no key at all', () => null, 100, 'Invalid API Key'],
    ['an unknown key', () => 'tly_made-up', 100, 'Invalid API Key'],
    ['a revoked key', (s) => s.seed.keys.revoked, 100, 'Invalid API Key'],
    ['an inactive key', (s) => s.seed.keys.inactive, 101, 'Inactive API Key'],
    ['a key without the send_telemetry capability', (s) => s.seed.keys.getOnly, 102, "The used API key doesn't have the required capability to access this endpoint"],
    ['a key used from an address outside its allowed IPs', (s) => s.seed.keys.otherIp, 103, "API key can't be used from this IP address"],
  ];
  for (const [name, key, code, message] of cases) {
    it(`answers ${code} with HTTP 401 for ${name}, and stores nothing`, async () => {
      const { answer, stored } = await sendWith(key(server));
      assert.equal(answer.status, 401);
      assert.deepEqual(Object.keys(answer.response), ['code', 'message', 'timestamp'], 'same shape as the published auth answers');
      assert.equal(answer.response.code, code);
      assert.equal(answer.response.message, message);
      assert.equal(stored, 0);
    });
  }

  it('prefers the Bearer header over a body field', async () => {
    const answer = await post(endpoint, form({ api_key: 'tly_wrong' }), 'application/x-www-form-urlencoded', { authorization: `Bearer ${server.seed.keys.full}` });
    assert.equal(answer.status, 200);
  });

  it('answers 100 for a Bearer header with an unknown key', async () => {
    const answer = await post(endpoint, form({ data_group: 'g' }), 'application/x-www-form-urlencoded', { authorization: 'Bearer nope' });
    assert.equal(answer.response.code, 100);
  });
});
