import type { HeldState } from './window-counter.js';

/**
 * The client IPs this process has seen go over their failed-authentication limit, each until
 * the end of the window in which it did. Kept in process even when the failures are counted in
 * Redis: asking Redis on every request would cost every request a round trip, and another
 * instance learns of the IP from its first failure there (which Redis then counts over the limit).
 * Bounded: expired entries are dropped when it is full, then the oldest. Its keys are client IP
 * groups (ipGroup), short whatever the client sent.
 */
export class CutOffList {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Cuts `ip` off for `forMs` from now. */
  add(ip: string, forMs: number): void {
    if (!this.until.has(ip) && this.until.size >= this.maxEntries) this.makeRoom();
    this.until.set(ip, this.now() + forMs);
  }

  /** Milliseconds until `ip` may try again (at least 1), or null when it is not cut off. */
  remainingMs(ip: string): number | null {
    const until = this.until.get(ip);
    if (until === undefined) return null;
    const left = until - this.now();
    if (left > 0) return left;
    this.until.delete(ip);
    return null;
  }

  /** IPs cut off now or not yet forgotten (for tests). */
  get size(): number {
    return this.until.size;
  }

  held(): HeldState {
    let bytes = 0;
    for (const ip of this.until.keys()) bytes += ip.length + UNTIL_BYTES;
    return { entries: this.until.size, bytes };
  }

  private makeRoom(): void {
    const now = this.now();
    for (const [ip, until] of this.until) if (until <= now) this.until.delete(ip);
    // Still full: forget the IP cut off longest ago (a Map keeps insertion order).
    if (this.until.size >= this.maxEntries) {
      const oldest = this.until.keys().next().value;
      if (oldest !== undefined) this.until.delete(oldest);
    }
  }
}

/** A time, as a number. */
const UNTIL_BYTES = 8;
