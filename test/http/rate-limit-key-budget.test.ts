import assert from 'node:assert/strict';
import { NO_AUDIT } from '../audit-helpers.js';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createApiKey } from '../../src/registry/api-keys.js';
import { form, post, startTestServer, type TestServer } from './test-server.js';

const PER_KEY = 5;
const PER_KEY_AND_IP = 3;

describe('a shipped key\'s per-key budget', () => {
  let server: TestServer;
  let sendOnly: string;
  before(async () => {
    // 127.0.0.1 is a trusted proxy, so X-Forwarded-For names the client; the registry is read afresh.
    server = await startTestServer({
      rateLimitPerKey: PER_KEY, rateLimitPerKeyAndIp: PER_KEY_AND_IP, rateLimitWindowMs: 86_400_000, trustedProxies: '127.0.0.1', registryCacheMs: 0,
    });
    sendOnly = (await createApiKey(server.store.registry, { name: 'shipped in the app', capabilities: ['send_telemetry'] }, NO_AUDIT)).secret;
  });
  after(() => server.close());

  it('is not used up by 50 get-telemetry requests with the send-only key from 10 IPs (all 102): its real clients still report', async () => {
    const codes = new Set<number>();
    for (let ip = 1; ip <= 10; ip++) {
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${server.url}/api/v1/get-telemetry-data`, { headers: { authorization: `Bearer ${sendOnly}`, 'x-forwarded-for': `203.0.113.${ip}` } });
        codes.add(((await res.json()) as { response: { code: number } }).response.code);
      }
    }
    assert.deepEqual([...codes], [102]);
    const before = await server.store.telemetry.count();
    const fields = {
      api_key: sendOnly, product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE',
      activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'g', marker: randomUUID(),
    };
    const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded', { 'x-forwarded-for': '203.0.113.1' });
    assert.equal(answer.response.code, 830);
    assert.equal(await server.store.telemetry.count(), before + 1);
    assert.equal(answer.headers.get('x-ratelimit-remaining'), String(PER_KEY_AND_IP - 1), 'the first request that counted, against the tighter per-key-and-IP limit');
  });

  it('is not used up by requests with the key that are refused before authentication (unreadable body), nor by guessed or overlong keys', async () => {
    for (let i = 0; i < PER_KEY; i++) {
      const res = await fetch(`${server.url}/api/v1/send-telemetry-data`, {
        method: 'POST', body: '{not json', headers: { 'content-type': 'application/json', authorization: `Bearer ${sendOnly}`, 'x-forwarded-for': '203.0.113.50' },
      });
      assert.equal(((await res.json()) as { response: { code: number } }).response.code, 400);
    }
    for (const guess of [`tly_guess-${randomUUID()}`, sendOnly + 'x', 'k'.repeat(15_000)]) {
      const res = await fetch(`${server.url}/api/v1/send-telemetry-data`, { method: 'POST', headers: { authorization: `Bearer ${guess}`, 'x-forwarded-for': '203.0.113.50' } });
      assert.equal(((await res.json()) as { response: { code: number } }).response.code, 100);
    }
    const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form({
      api_key: sendOnly, product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE',
      activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'g', marker: randomUUID(),
    }), 'application/x-www-form-urlencoded', { 'x-forwarded-for': '203.0.113.50' });
    assert.equal(answer.response.code, 830);
    assert.equal(answer.headers.get('x-ratelimit-remaining'), String(PER_KEY_AND_IP - 1));
  });
});
