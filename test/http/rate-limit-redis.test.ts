import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { describeWithRedis, testRedisClient, TEST_REDIS_URL } from '../redis-helpers.js';
import { form, post, startTestServer, type Answer, type TestServer } from './test-server.js';

function report(server: TestServer, apiKey: string): string {
  return form({
    api_key: apiKey, product_id: String(server.seed.productA), user_identifier: 'u1', license_key: 'LIC-ACTIVE',
    activation_identifier: 'act-1', product_version: '1.0.1', data_type: 'text', text_data: 'x', data_group: 'g', marker: randomUUID(),
  });
}

function send(server: TestServer): Promise<Answer> {
  return post(`${server.url}/api/v1/send-telemetry-data`, report(server, server.seed.keys.full), 'application/x-www-form-urlencoded');
}

await describeWithRedis('rate limits shared through Redis', () => {
  describe('two instances on one Redis (TALLY_REDIS_URL)', () => {
    const prefix = `tally-test-${randomUUID()}:`;
    const shared = { redisUrl: TEST_REDIS_URL, redisKeyPrefix: prefix, rateLimitWindowMs: 86_400_000 };
    let a: TestServer;
    let b: TestServer;
    before(async () => {
      a = await startTestServer({ ...shared, rateLimitPerIp: 5 });
      b = await startTestServer({ ...shared, rateLimitPerIp: 5 });
    });
    after(async () => {
      await Promise.all([a.close(), b.close()]);
      const redis = testRedisClient();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('counts one client IP across both instances: 5 answered between them, the 6th is 104/429 on either', async () => {
      const answers = [await send(a), await send(b), await send(a), await send(b), await send(a)];
      assert.deepEqual(answers.map((x) => x.response.code), [830, 830, 830, 830, 830]);
      assert.deepEqual(answers.map((x) => x.headers.get('x-ratelimit-remaining')), ['4', '3', '2', '1', '0']);
      const before = (await a.store.telemetry.count()) + (await b.store.telemetry.count());
      const sixth = await send(b);
      assert.equal(sixth.status, 429);
      assert.equal(sixth.response.code, 104);
      assert.ok(Number(sixth.headers.get('retry-after')) >= 1);
      assert.equal((await send(a)).response.code, 104);
      assert.equal((await a.store.telemetry.count()) + (await b.store.telemetry.count()), before, 'throttled reports are not stored');
    });

    it('keeps counts in expiring Redis keys under the prefix, with no client key or IP in clear', async () => {
      const redis = testRedisClient();
      try {
        const keys = await redis.keys(`${prefix}*`);
        assert.ok(keys.length >= 1, 'the shared count lives in Redis');
        for (const key of keys) {
          assert.ok(!key.includes('127.0.0.1') && !key.includes('::1'), `no IP in clear: ${key}`);
          const ttl = await redis.pttl(key);
          assert.ok(ttl > 0 && ttl <= 86_401_000, `expires with its window: ${ttl} ms`);
        }
      } finally {
        redis.disconnect();
      }
    });
  });

  describe('per API key across instances', () => {
    const prefix = `tally-test-${randomUUID()}:`;
    const shared = { redisUrl: TEST_REDIS_URL, redisKeyPrefix: prefix, rateLimitWindowMs: 86_400_000, rateLimitPerKey: 4 };
    let a: TestServer;
    let b: TestServer;
    before(async () => {
      a = await startTestServer(shared);
      b = await startTestServer(shared);
    });
    after(async () => {
      await Promise.all([a.close(), b.close()]);
    });

    it('throttles one key across both instances after 4 requests between them, and never writes the key to Redis', async () => {
      // Both registries were seeded alike, so the full key has the same id on both: as with
      // instances that share one database, they count it as one key.
      const codes: number[] = [];
      for (const server of [a, b, a, b, a, b]) {
        const res = await post(`${server.url}/api/v1/send-telemetry-data`, report(server, ''), 'application/x-www-form-urlencoded', {
          authorization: `Bearer ${server.seed.keys.full}`,
        });
        codes.push(res.response.code);
      }
      assert.deepEqual(codes, [830, 830, 830, 830, 104, 104]);
      const redis = testRedisClient();
      try {
        const keys = await redis.keys(`${prefix}*`);
        assert.ok(keys.length >= 1);
        assert.ok(keys.every((key) => !key.includes(a.seed.keys.full) && !key.includes(b.seed.keys.full)), 'the key is hashed before it reaches Redis');
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });

    it('counts no guessed key against any key budget: no per-key entry is written for it', async () => {
      const codes: number[] = [];
      for (const server of [a, b, a, b, a, b]) {
        const res = await post(`${server.url}/api/v1/send-telemetry-data`, report(server, ''), 'application/x-www-form-urlencoded', {
          authorization: `Bearer tly_guess-${randomUUID()}`,
        });
        codes.push(res.response.code);
      }
      assert.deepEqual(codes, [100, 100, 100, 100, 100, 100]);
      const redis = testRedisClient();
      try {
        assert.deepEqual(await redis.keys(`${prefix}rl:key:*`), []);
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });
  });
});

await describeWithRedis('failed authentication shared through Redis', () => {
  describe('two instances on one Redis, default failure limit', () => {
    const prefix = `tally-test-${randomUUID()}:`;
    const shared = { redisUrl: TEST_REDIS_URL, redisKeyPrefix: prefix, rateLimitWindowMs: 86_400_000 };
    let a: TestServer;
    let b: TestServer;
    before(async () => {
      a = await startTestServer(shared);
      b = await startTestServer(shared);
    });
    after(async () => {
      await Promise.all([a.close(), b.close()]);
      const redis = testRedisClient();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('answers 20 wrong keys between the two with 100, then 104 with Retry-After on either, and a valid key still passes on both', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 30; i++) {
        const server = i % 2 === 0 ? a : b;
        const answer = await post(`${server.url}/api/v1/send-telemetry-data`, report(server, `tly_guess-${randomUUID()}`), 'application/x-www-form-urlencoded');
        codes.push(answer.response.code);
        if (answer.response.code === 104) assert.ok(Number(answer.headers.get('retry-after')) >= 1);
      }
      assert.deepEqual(codes, [...Array<number>(20).fill(100), ...Array<number>(10).fill(104)]);
      assert.deepEqual([(await send(a)).response.code, (await send(b)).response.code], [830, 830]);
      const redis = testRedisClient();
      try {
        const keys = await redis.keys(`${prefix}rl:auth-fail:*`);
        assert.equal(keys.length, 1, 'one shared failure count for the IP');
        assert.ok(!keys.some((key) => key.includes('127.0.0.1')), 'no IP in clear');
      } finally {
        redis.disconnect();
      }
    });
  });
});

describe('rate limits when Redis cannot be reached', () => {
  let server: TestServer;
  before(async () => {
    // Nothing listens on port 1: the counter must fall back to this process at once.
    server = await startTestServer({ redisUrl: 'redis://127.0.0.1:1', rateLimitPerIp: 3, rateLimitWindowMs: 86_400_000 });
  });
  after(() => server.close());

  it('still answers every request (no 5xx) and still limits per process', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await send(server)).response.code);
    assert.deepEqual(codes, [830, 830, 830, 104, 104]);
  });
});
