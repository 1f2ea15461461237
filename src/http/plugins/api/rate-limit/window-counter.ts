import { createHash } from 'node:crypto';

/** What one counted hit learned: whether it fits, and the numbers for the X-RateLimit-* headers. */
export interface WindowHit {
  allowed: boolean;
  limit: number;
  /** Hits left in this window after this one (0 when over the limit). */
  remaining: number;
  /** Milliseconds until the current window ends (at least 1). */
  resetMs: number;
}

/** What a piece of per-client state holds in this process: entries, and bytes of their keys and values. */
export interface HeldState {
  entries: number;
  bytes: number;
}

/** Counts hits per key in fixed windows; in this process or shared through Redis. */
export interface RateCounter {
  readonly limit: number;
  hit(key: string): WindowHit | Promise<WindowHit>;
  /** What it holds in this process (the in-process fallback's, for a shared counter). */
  held(): HeldState;
}

export interface WindowCounterOptions {
  /** Hits allowed per key per window (at least 1; a limit of 0 is "no counter" for the caller). */
  limit: number;
  windowMs: number;
  /** Most keys tracked in one window; past it the oldest-tracked key is forgotten. */
  maxKeys?: number;
  /** Clock in ms (tests inject one). */
  now?: () => number;
}

/**
 * A fixed-window counter: windows start at multiples of windowMs, and every count is dropped
 * when its window passes (the whole map is cleared), so memory holds one window's keys at most,
 * and never more than maxKeys of them. A key is held as its fixed-size digest (keyDigest), never
 * as given, so an entry costs the same whatever the client sent.
 */
export class WindowCounter implements RateCounter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private windowStart = -Infinity;
  private readonly counts = new Map<string, number>();

  constructor(options: WindowCounterOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts one hit for key and says whether it is within the limit. */
  hit(key: string): WindowHit {
    const now = this.now();
    const start = Math.floor(now / this.windowMs) * this.windowMs;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.counts.clear();
    }
    const digest = keyDigest(key);
    let count = this.counts.get(digest);
    if (count === undefined) {
      // Full: forget the key tracked longest (Map keeps insertion order), never grow past maxKeys.
      if (this.counts.size >= this.maxKeys) {
        const oldest = this.counts.keys().next().value;
        if (oldest !== undefined) this.counts.delete(oldest);
      }
      count = 0;
    }
    // Stop counting once past the limit + 1, so a flood cannot overflow anything.
    count = Math.min(count + 1, this.limit + 1);
    this.counts.set(digest, count);
    return {
      allowed: count <= this.limit,
      limit: this.limit,
      remaining: Math.max(0, this.limit - count),
      resetMs: Math.max(1, start + this.windowMs - now),
    };
  }

  /** Keys tracked in the current window (for tests). */
  get size(): number {
    return this.counts.size;
  }

  held(): HeldState {
    return { entries: this.counts.size, bytes: this.counts.size * (DIGEST_CHARS + COUNT_BYTES) };
  }
}

/** Characters of a key's digest: 128 bits of SHA-256, base64url. */
const DIGEST_CHARS = 22;
/** A count, as a small integer. */
const COUNT_BYTES = 8;

/** A key's fixed-size stand-in in the counter's map. */
function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, DIGEST_CHARS);
}
