/**
 * A map that forgets everything every `ttlMs` (and when it grows past `maxEntries`), so a
 * value read from it is never older than `ttlMs`. Clearing wholesale costs one check per read,
 * where per-entry expiry would cost a timestamp per entry.
 */
export class TtlCache<V> {
  /** Each value as the settled promise `get` hands out, made once: a hit allocates nothing. */
  private entries = new Map<string, Promise<V>>();
  private clearAt = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  /** The cached value, or the loader's (which is then remembered). A rejected load is not. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    if (now >= this.clearAt || this.entries.size >= this.maxEntries) {
      this.entries.clear();
      this.clearAt = now + this.ttlMs;
    }
    return this.entries.get(key) ?? this.load(key, load);
  }

  clear(): void {
    this.entries.clear();
  }

  private async load(key: string, load: () => Promise<V>): Promise<V> {
    const value = await load();
    this.entries.set(key, Promise.resolve(value));
    return value;
  }
}
