/** What one counted hit learned: whether it fits, and the numbers for the X-RateLimit-* headers. */
export interface WindowHit {
  allowed: boolean;
  limit: number;
  /** Hits left in this window after this one (0 when over the limit). */
  remaining: number;
  /** Milliseconds until the current window ends (at least 1). */
  resetMs: number;
}

/** Counts hits per key in fixed windows; in this process or shared through Redis. */
export interface RateCounter {
  readonly limit: number;
  hit(key: string): WindowHit | Promise<WindowHit>;
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
 * and never more than maxKeys of them.
 */
export class WindowCounter {
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
    let count = this.counts.get(key);
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
    this.counts.set(key, count);
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
}
