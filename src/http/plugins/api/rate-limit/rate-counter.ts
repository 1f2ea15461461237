import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../../../config/config.js';
import { SharedWindowCounter } from './shared-window-counter.js';
import { WindowCounter, type RateCounter } from './window-counter.js';

/** What each counter of a server counts (null = that limit is off). */
export interface Counters {
  /** Every /api/v1 request, per client IP (`rateLimitPerIp`). */
  perIp: RateCounter | null;
  /** Every request presenting a key, per key (`rateLimitPerKey`). */
  perKey: RateCounter | null;
  /** Every request presenting a key, per key and client IP (`rateLimitPerKeyAndIp`). */
  perKeyAndIp: RateCounter | null;
  /** Failed authentications (100–103), per client IP (`rateLimitFailedAuthPerIp`). */
  failedAuth: RateCounter | null;
}

/** The rate-limit counters of a server and how to let go of them. */
export interface RateCounters extends Counters {
  /** Resolves once shared counters can be used (Redis connected), or after 2 s without it. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const REDIS_START_WAIT_MS = 2000;

/** Each counter's setting, and the name in its Redis keys (`<prefix>rl:<name>:…`). */
const LIMITS = {
  perIp: { setting: 'rateLimitPerIp', name: 'ip' },
  perKey: { setting: 'rateLimitPerKey', name: 'key' },
  perKeyAndIp: { setting: 'rateLimitPerKeyAndIp', name: 'key-ip' },
  failedAuth: { setting: 'rateLimitFailedAuthPerIp', name: 'auth-fail' },
} as const satisfies Record<keyof Counters, { setting: keyof Config; name: string }>;

type CounterName = keyof Counters;
const NAMES = Object.keys(LIMITS) as CounterName[];

/**
 * Makes the counters the config asks for: in-process WindowCounters, or, with `redisUrl`,
 * counters shared through Redis that fall back to in-process counting while Redis is
 * unreachable. Requests never wait on a Redis that is down: commands are not queued while
 * disconnected and time out after 250 ms.
 */
export function createRateCounters(config: Config, log: FastifyBaseLogger): RateCounters {
  const local = mapCounters((name) => {
    const limit = config[LIMITS[name].setting];
    return limit > 0 ? new WindowCounter({ limit, windowMs: config.rateLimitWindowMs }) : null;
  });
  if (config.redisUrl === null || NAMES.every((name) => local[name] === null)) {
    return { ...local, ready: async () => undefined, close: async () => undefined };
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
  const shared = mapCounters((name) => {
    const fallback = local[name];
    if (fallback === null) return null;
    const keyPrefix = `${config.redisKeyPrefix}rl:${LIMITS[name].name}:`;
    return new SharedWindowCounter({ redis, keyPrefix, fallback, onError: warn });
  });
  return {
    ...shared,
    // Until Redis is connected, hits are counted in process; waiting a moment at start keeps the
    // first requests of a new instance on the shared count.
    ready: () => redisReady(redis),
    close: async () => {
      redis.disconnect();
    },
  };
}

function mapCounters<T extends RateCounter>(make: (name: CounterName) => T | null): { [K in CounterName]: T | null } {
  return { perIp: make('perIp'), perKey: make('perKey'), perKeyAndIp: make('perKeyAndIp'), failedAuth: make('failedAuth') };
}

function redisReady(redis: Redis): Promise<void> {
  return new Promise<void>((resolve) => {
    if (redis.status === 'ready') return resolve();
    const timer = setTimeout(done, REDIS_START_WAIT_MS);
    timer.unref();
    function done(): void {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
    redis.once('ready', done);
  });
}
