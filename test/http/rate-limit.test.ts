import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { form, post, startTestServer, type Answer, type TestServer } from './test-server.js';

/** A correct report of product A with a unique marker; the key goes in the body unless `via` says otherwise. */
async function send(server: TestServer, apiKey: string, via: 'body' | 'bearer' = 'body', extraHeaders: Record<string, string> = {}): Promise<{ answer: Answer; stored: number }> {
  const fields: Record<string, string> = {
    product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE', activation_identifier: 'act-1',
    product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'g', marker: randomUUID(),
  };
  if (via === 'body') fields['api_key'] = apiKey;
  const headers: Record<string, string> = via === 'bearer' ? { authorization: `Bearer ${apiKey}`, ...extraHeaders } : extraHeaders;
  const before = await server.store.telemetry.count();
  const answer = await post(`${server.url}/api/v1/send-telemetry-data`, form(fields), 'application/x-www-form-urlencoded', headers);
  return { answer, stored: (await server.store.telemetry.count()) - before };
}

describe('rate limit per client IP', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimitPerIp: 5, rateLimitWindowMs: 600_000 });
  });
  after(() => server.close());

  it('answers the first 5 requests normally, counting down in X-RateLimit-*, and the 6th with 104/429 and Retry-After, unstored', async () => {
    for (let i = 1; i <= 5; i++) {
      const { answer, stored } = await send(server, server.seed.keys.full);
      assert.equal(answer.response.code, 830);
      assert.equal(stored, 1);
      assert.equal(answer.headers.get('x-ratelimit-limit'), '5');
      assert.equal(answer.headers.get('x-ratelimit-remaining'), String(5 - i));
      const reset = Number(answer.headers.get('x-ratelimit-reset'));
      assert.ok(Number.isInteger(reset) && reset >= 1 && reset <= 600, `reset ${reset}`);
    }
    const { answer, stored } = await send(server, server.seed.keys.full);
    assert.equal(answer.status, 429);
    assert.equal(answer.response.code, 104);
    assert.equal(answer.response.message, 'Too many requests');
    assert.equal(stored, 0);
    const retryAfter = Number(answer.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 600, `Retry-After ${retryAfter}`);
    assert.equal(answer.headers.get('x-ratelimit-remaining'), '0');
    assert.ok(answer.text.includes('"signature"'), 'the 104 is a signed envelope');
  });

  it('counts guessed keys from the same IP too, and every path under /api/v1/ and /v1/', async () => {
    assert.equal((await send(server, 'tly_guess-' + randomUUID())).answer.response.code, 104);
    assert.equal((await fetch(`${server.url}/api/v1/get-public-key`)).status, 429);
    assert.equal((await fetch(`${server.url}/v1/get-public-key`)).status, 429);
  });

  it('leaves paths outside /api/v1 alone', async () => {
    const res = await fetch(`${server.url}/admin/api/summary`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    assert.notEqual(res.status, 429);
    assert.equal(res.headers.get('x-ratelimit-limit'), null);
  });
});

describe('rate limit per API key', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimitPerKey: 3, rateLimitPerIp: 1000, rateLimitWindowMs: 600_000 });
  });
  after(() => server.close());

  it('limits a key sent in the Bearer header, reporting the tighter (key) limit', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { answer } = await send(server, server.seed.keys.full, 'bearer');
      assert.equal(answer.response.code, 830);
      remaining.push(answer.headers.get('x-ratelimit-remaining') ?? '');
    }
    assert.deepEqual(remaining, ['2', '1', '0']);
    const { answer, stored } = await send(server, server.seed.keys.full, 'bearer');
    assert.equal(answer.response.code, 104);
    assert.equal(answer.status, 429);
    assert.equal(stored, 0);
  });

  it('limits a key sent only in the body the same way, and other keys are not affected', async () => {
    for (let i = 0; i < 3; i++) {
      const { answer, stored } = await send(server, server.seed.keys.scopedToB);
      assert.equal(answer.response.code, 831, 'stored, flagged: the key may not report for product A');
      assert.equal(stored, 1);
    }
    const { answer, stored } = await send(server, server.seed.keys.scopedToB);
    assert.equal(answer.response.code, 104);
    assert.ok(Number(answer.headers.get('retry-after')) >= 1);
    assert.equal(stored, 0);
    assert.equal((await send(server, server.seed.keys.getOnly)).answer.response.code, 102, 'another key still reaches auth');
  });
});

describe('rate limit per API key and client IP', () => {
  let server: TestServer;
  before(async () => {
    // The test client is 127.0.0.1, a trusted proxy here, so X-Forwarded-For names the client.
    server = await startTestServer({ rateLimitPerKeyAndIp: 2, rateLimitWindowMs: 600_000, trustedProxies: '127.0.0.1' });
  });
  after(() => server.close());

  it('throttles one key from one IP after 2, while the same key from another IP and another key from that IP go on', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await send(server, server.seed.keys.full, 'bearer', from('203.0.113.1'))).answer.response.code);
    assert.deepEqual(codes, [830, 830, 104]);
    const other = await send(server, server.seed.keys.full, 'bearer', from('203.0.113.2'));
    assert.equal(other.answer.response.code, 830);
    assert.equal(other.answer.headers.get('x-ratelimit-remaining'), '1');
    assert.equal((await send(server, server.seed.keys.scopedToB, 'body', from('203.0.113.1'))).answer.response.code, 831, 'a key sent in the body is counted apart');
  });
});

describe('rate limits set to 0', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ rateLimitPerKey: 0, rateLimitPerIp: 0, rateLimitPerKeyAndIp: 0, rateLimitFailedAuthPerIp: 0 });
  });
  after(() => server.close());

  it('never throttles and sends no X-RateLimit-* headers', async () => {
    for (let i = 0; i < 20; i++) {
      const { answer } = await send(server, server.seed.keys.full);
      assert.equal(answer.response.code, 830);
      assert.equal(answer.headers.get('x-ratelimit-limit'), null);
    }
  });

  it('answers every failed authentication with its own code when the failure limit is 0 too', async () => {
    const codes = new Set<number>();
    for (let i = 0; i < 40; i++) codes.add((await send(server, 'tly_guess-' + randomUUID())).answer.response.code);
    assert.deepEqual([...codes], [100]);
  });
});

describe('rate limit settings', () => {
  it('default to no limit per key, per IP or per key and IP, and 20 failed authentications per IP per 60 s', () => {
    const defaults = loadConfig({}, {});
    assert.deepEqual(
      [defaults.rateLimitPerKey, defaults.rateLimitPerIp, defaults.rateLimitPerKeyAndIp, defaults.rateLimitFailedAuthPerIp, defaults.rateLimitWindowMs],
      [0, 0, 0, 20, 60_000],
    );
  });

  it('read TALLY_RATE_LIMIT_* and --rate-limit-* (a flag wins)', () => {
    const set = loadConfig({ rateLimitPerKeyAndIp: '7' }, {
      TALLY_RATE_LIMIT_PER_IP: '600', TALLY_RATE_LIMIT_PER_KEY: '10', TALLY_RATE_LIMIT_PER_KEY_AND_IP: '3',
      TALLY_RATE_LIMIT_FAILED_AUTH_PER_IP: '5', TALLY_RATE_LIMIT_WINDOW_MS: '5000',
    });
    assert.deepEqual([set.rateLimitPerKey, set.rateLimitPerIp, set.rateLimitPerKeyAndIp, set.rateLimitFailedAuthPerIp, set.rateLimitWindowMs], [10, 600, 7, 5, 5000]);
  });
});
