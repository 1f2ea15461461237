import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../../../config/config.js';
import { SharedWindowCounter } from './shared-window-counter.js';
import { WindowCounter, type RateCounter } from './window-counter.js';

/** The two rate-limit counters of a server (null = that limit is off) and how to let go of them. */
export interface RateCounters {
  perIp: RateCounter | null;
  perKey: RateCounter | null;
  /** Resolves once shared counters can be used (Redis connected), or after 2 s without it. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const REDIS_START_WAIT_MS = 2000;

/**
 * Makes the per-IP and per-key counters the config asks for: in-process WindowCounters, or,
 * with `redisUrl`, counters shared through Redis that fall back to in-process counting while
 * Redis is unreachable. Requests never wait on a Redis that is down: commands are not queued
 * while disconnected and time out after 250 ms.
 */
export function createRateCounters(config: Config, log: FastifyBaseLogger): RateCounters {
  const local = (limit: number): WindowCounter | null =>
    limit > 0 ? new WindowCounter({ limit, windowMs: config.rateLimitWindowMs }) : null;
  const perIp = local(config.rateLimitPerIp);
  const perKey = local(config.rateLimitPerKey);
  if (config.redisUrl === null || (perIp === null && perKey === null)) {
    return { perIp, perKey, ready: async () => undefined, close: async () => undefined };
  }

  const redis = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let lastWarning = 0;
  const warn = (error: unknown): void => {
    // One line per 30 s at most: a Redis outage must not flood the log.
    if (Date.now() - lastWarning < 30_000) return;
    lastWarning = Date.now();
    log.warn({ err: error }, 'Redis for rate limits is unreachable; counting in this process until it is back');
  };
  redis.on('error', warn);
  const shared = (counter: WindowCounter | null, name: string): RateCounter | null =>
    counter === null
      ? null
      : new SharedWindowCounter({ redis, keyPrefix: `${config.redisKeyPrefix}rl:${name}:`, fallback: counter, onError: warn });
  return {
    perIp: shared(perIp, 'ip'),
    perKey: shared(perKey, 'key'),
    // Until Redis is connected, hits are counted in process; waiting a moment at start keeps the
    // first requests of a new instance on the shared count.
    ready: () =>
      new Promise<void>((resolve) => {
        if (redis.status === 'ready') return resolve();
        const timer = setTimeout(done, REDIS_START_WAIT_MS);
        timer.unref();
        function done(): void {
          clearTimeout(timer);
          redis.off('ready', done);
          resolve();
        }
        redis.once('ready', done);
      }),
    close: async () => {
      redis.disconnect();
    },
  };
}
