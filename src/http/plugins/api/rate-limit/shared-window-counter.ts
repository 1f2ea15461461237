import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HeldState, RateCounter, WindowCounter, WindowHit } from './window-counter.js';

/** INCR the window's key and give it an expiry on its first hit: one atomic round trip. */
const INCREMENT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

export interface SharedWindowCounterOptions {
  redis: Redis;
  /** Full key prefix of this counter, e.g. `tally:rl:ip:`. */
  keyPrefix: string;
  /** Counts here while Redis cannot answer, so limits still hold per process. */
  fallback: WindowCounter;
  /** Called with the error when Redis fails to answer a hit (the hit is then counted locally). */
  onError?: (error: unknown) => void;
  now?: () => number;
}

/**
 * The fixed-window counter of WindowCounter, kept in Redis so every instance pointing at the same
 * Redis shares one count: a key per (counter, window start, hashed client key) incremented
 * atomically and expiring after its window. Windows start at multiples of windowMs on each
 * instance's clock, so instances agree on windows as far as their clocks agree. Client keys
 * (API key secrets among them) are hashed before they leave the process. When Redis is not
 * connected or does not answer in time, the hit is counted by the in-process fallback instead
 * of failing the request.
 */
export class SharedWindowCounter implements RateCounter {
  readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(private readonly options: SharedWindowCounterOptions) {
    this.limit = options.fallback.limit;
    this.windowMs = options.fallback.windowMs;
    this.now = options.now ?? Date.now;
  }

  held(): HeldState {
    return this.options.fallback.held();
  }

  async hit(key: string): Promise<WindowHit> {
    const { redis, fallback } = this.options;
    if (redis.status !== 'ready') return fallback.hit(key);
    const now = this.now();
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    const redisKey = `${this.options.keyPrefix}${start}:${createHash('sha256').update(key).digest('base64url')}`;
    let count: number;
    try {
      count = Number(await redis.eval(INCREMENT_SCRIPT, 1, redisKey, String(this.windowMs + 1000)));
    } catch (error) {
      this.options.onError?.(error);
      return fallback.hit(key);
    }
    return {
      allowed: count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - count),
      resetMs: Math.max(1, start + this.windowMs - now),
    };
  }
}
