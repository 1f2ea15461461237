import { describeWhenReachable } from './service-gate.js';
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

/** Registers the Redis tests `describeTests` declares when Redis answers (see service-gate.ts). */
export function describeWithRedis(what: string, describeTests: () => void): Promise<void> {
  return describeWhenReachable(`${what} against Redis`, redisUnreachableReason(), REDIS_REQUIRED, 'set TEST_REDIS_URL to run it (TALLY_TEST_REQUIRE_REDIS=1 makes this a failure)', describeTests);
}
