import { createHash } from 'node:crypto';

interface Window {
  count: number;
  endsAtMs: number;
}

/**
 * Failures per client in fixed windows, in this process. Each client is kept under the SHA-256
 * of its name (a fixed 43 characters, whatever it sends), and at most `maxEntries` clients are
 * kept: past that, windows that ended go first, then the oldest, so memory stays bounded.
 */
export class FailureCounter {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { limit: number; windowMs: number; maxEntries?: number; now?: () => number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** How long (ms) until `client` may try again: 0 while it has failed fewer than `limit` times this window. */
  waitMs(client: string): number {
    if (this.#limit === 0) return 0;
    const window = this.#live(digest(client));
    return window !== undefined && window.count >= this.#limit ? window.endsAtMs - this.#now() : 0;
  }

  /** Counts one failure of `client`. */
  fail(client: string): void {
    if (this.#limit === 0) return;
    const key = digest(client);
    const window = this.#live(key);
    if (window !== undefined) {
      window.count += 1;
      return;
    }
    if (this.#windows.size >= this.#maxEntries) this.#makeRoom();
    this.#windows.set(key, { count: 1, endsAtMs: this.#now() + this.#windowMs });
  }

  /** How many clients are kept (for tests of the bound). */
  get size(): number {
    return this.#windows.size;
  }

  #live(key: string): Window | undefined {
    const window = this.#windows.get(key);
    if (window === undefined || window.endsAtMs > this.#now()) return window;
    this.#windows.delete(key);
    return undefined;
  }

  #makeRoom(): void {
    const now = this.#now();
    for (const [key, window] of this.#windows) if (window.endsAtMs <= now) this.#windows.delete(key);
    if (this.#windows.size >= this.#maxEntries) this.#windows.delete(this.#windows.keys().next().value ?? '');
  }
}

function digest(client: string): string {
  return createHash('sha256').update(client, 'utf8').digest('base64url');
}
