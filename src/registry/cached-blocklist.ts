import type { BlocklistStore } from '../store/contract/store.js';
import { BlocklistMatcher } from './blocklist-matcher.js';

/**
 * The blocklist as requests read it: loaded whole and compiled once per `ttlMs` (the registry
 * cache TTL, `--registry-cache-ms`), so the hot path pays a promise and a few set lookups, not a
 * query. Changes made by this process (the admin API) call `invalidate()` and apply at once;
 * changes made elsewhere (the CLI, another instance) within `ttlMs`. `ttlMs` 0 = load every time.
 */
export class CachedBlocklist {
  #current: Promise<BlocklistMatcher> | null = null;
  #loadedAt = 0;

  constructor(
    private readonly store: BlocklistStore,
    private readonly ttlMs: number,
  ) {}

  matcher(): Promise<BlocklistMatcher> {
    const now = Date.now();
    if (this.#current !== null && now - this.#loadedAt < this.ttlMs) return this.#current;
    const loading = this.store.list().then((entries) => new BlocklistMatcher(entries));
    this.#current = loading;
    this.#loadedAt = now;
    // A failed load is not remembered: the next request tries again.
    loading.catch(() => {
      if (this.#current === loading) this.#current = null;
    });
    return loading;
  }

  invalidate(): void {
    this.#current = null;
  }
}
