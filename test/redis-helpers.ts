import { it } from 'node:test';
import { Redis } from 'ioredis';

/** The Redis tests use (CI: Redis at 127.0.0.1:6379). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** CI sets this: there a Redis test that skips is a failure. */
export const REDIS_REQUIRED = process.env.TALLY_TEST_REQUIRE_REDIS === '1';

/** A client for inspecting what Tally wrote; the caller disconnects it. */
export function testRedisClient(): Redis {
  return new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
}

/** Null when Redis answers PING at TEST_REDIS_URL; otherwise why not. */
export async function redisUnreachableReason(): Promise<string | null> {
  const client = testRedisClient();
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (error) {
    return `no Redis answers at TEST_REDIS_URL (${(error as Error).message})`;
  } finally {
    client.disconnect();
  }
}

/**
 * Registers the tests `describeTests` declares when Redis answers. Otherwise one test that fails
 * (TALLY_TEST_REQUIRE_REDIS=1, as in CI) or is skipped with the reason.
 */
export async function describeWithRedis(what: string, describeTests: () => void): Promise<void> {
  const reason = await redisUnreachableReason();
  if (reason === null) {
    describeTests();
  } else if (REDIS_REQUIRED) {
    it(`Redis is reachable for ${what} (TALLY_TEST_REQUIRE_REDIS=1)`, () => {
      throw new Error(reason);
    });
  } else {
    it(`runs ${what} against Redis`, { skip: `${reason}; set TEST_REDIS_URL to run it` }, () => undefined);
  }
}
