import type { ApiKeyUse, RegistryStore } from '../store/contract/store.js';

/**
 * When each API key last authenticated, kept in memory so that the ingest hot path never
 * writes for it; `flush` writes what changed since the last flush in one small write
 * (`touchApiKeys`, which never moves a time backwards, so several instances may flush in any
 * order). Memory is one entry per key used since the last flush.
 */
export class ApiKeyUsage {
  #pending = new Map<number, number>();
  #flushing: Promise<void> = Promise.resolve();

  constructor(private readonly registry: Pick<RegistryStore, 'touchApiKeys'>) {}

  /** Notes a successful use; cheap (one map write). */
  record(id: number, nowMs: number = Date.now()): void {
    if (nowMs > (this.#pending.get(id) ?? -Infinity)) this.#pending.set(id, nowMs);
  }

  /** Keys with a use not yet written. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Writes the pending uses (nothing when there are none). One flush at a time; a failed write
   * puts its uses back, so they are written by the next flush, and rethrows.
   */
  flush(): Promise<void> {
    const next = this.#flushing.then(() => this.#write());
    this.#flushing = next.catch(() => undefined);
    return next;
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const taken = this.#pending;
    this.#pending = new Map();
    const uses: ApiKeyUse[] = [...taken].map(([id, ms]) => ({ id, at: new Date(ms).toISOString() }));
    try {
      await this.registry.touchApiKeys(uses);
    } catch (error) {
      for (const [id, ms] of taken) this.record(id, ms);
      throw error;
    }
  }
}
