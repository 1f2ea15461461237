import type { SecretStore, StoredSigningKey } from '../store/contract/store.js';
import { GLOBAL_SCOPE, loadOrCreateSigningKey, toSigningKey, type SigningAlgorithm, type SigningKey } from './signing-key.js';

/** Which key signed an answer, as the published API names it. */
export type KeyUsed = 'global' | 'product';

/** The key an answer is signed with, and how the envelope names it. */
export interface ChosenKey {
  key: SigningKey;
  used: KeyUsed;
}

/**
 * The current signing key of every scope, as a running server holds them. Rotations made by
 * the CLI (or another instance) are picked up by reloading the current keys from the store at
 * most every `reloadMs`: the first answer after that window waits for the reload (concurrent
 * answers share it), so no answer is signed with a key retired more than `reloadMs` earlier.
 * A failed reload keeps the keys held and is retried after the next window.
 */
export class KeyRing {
  #global: ChosenKey;
  #products = new Map<number, ChosenKey>();
  #loadedAtMs: number;
  #reloading: Promise<void> | null = null;

  private constructor(
    private readonly secrets: SecretStore | null,
    private readonly reloadMs: number,
    global: SigningKey,
    nowMs: number,
  ) {
    this.#global = { key: global, used: 'global' };
    this.#loadedAtMs = nowMs;
  }

  /** The ring of a store: makes the global key on first start (with `algorithm`), then loads every current key. */
  static async open(secrets: SecretStore, algorithm: SigningAlgorithm, reloadMs: number, nowMs = Date.now()): Promise<KeyRing> {
    const global = await loadOrCreateSigningKey(secrets, GLOBAL_SCOPE, algorithm);
    const ring = new KeyRing(secrets, reloadMs, global, nowMs);
    // On start a key that cannot be used is an error, not something to sign around.
    ring.#replace(await secrets.currentSigningKeys());
    return ring;
  }

  /** A ring of fixed keys that never reloads (tools and unit tests). */
  static fixed(global: SigningKey, products: ReadonlyMap<number, SigningKey> = new Map()): KeyRing {
    const ring = new KeyRing(null, Number.POSITIVE_INFINITY, global, 0);
    for (const [id, key] of products) ring.#products.set(id, { key, used: 'product' });
    return ring;
  }

  /** The product's own current key when it has one, else the global key. */
  choose(productId: number | null): ChosenKey {
    if (productId !== null && this.#products.size > 0) {
      const own = this.#products.get(productId);
      if (own) return own;
    }
    return this.#global;
  }

  /** A promise to await before choosing when the keys are due for a reload; undefined while they are fresh. */
  refreshIfDue(nowMs = Date.now()): Promise<void> | undefined {
    if (nowMs - this.#loadedAtMs < this.reloadMs) return undefined;
    this.#reloading ??= this.reload(nowMs).finally(() => {
      this.#reloading = null;
    });
    return this.#reloading;
  }

  /**
   * Reads the current keys; a key whose id is unchanged keeps its parsed form. When the store
   * cannot be read or holds a key that cannot be used, the held keys stay and the next window retries.
   */
  async reload(nowMs = Date.now()): Promise<void> {
    if (this.secrets === null) return;
    try {
      this.#replace(await this.secrets.currentSigningKeys());
    } catch {
      // Keep signing with the held keys (see the class comment).
    }
    this.#loadedAtMs = nowMs;
  }

  #replace(rows: readonly StoredSigningKey[]): void {
    const held = new Map<string, SigningKey>([[this.#global.key.keyId, this.#global.key]]);
    for (const chosen of this.#products.values()) held.set(chosen.key.keyId, chosen.key);
    const products = new Map<number, ChosenKey>();
    let global = this.#global;
    for (const row of rows) {
      const key = held.get(row.key_id) ?? toSigningKey(row);
      if (row.scope === GLOBAL_SCOPE) global = { key, used: 'global' };
      else {
        const id = productIdOfScope(row.scope);
        if (id !== null) products.set(id, { key, used: 'product' });
      }
    }
    this.#global = global;
    this.#products = products;
  }
}

function productIdOfScope(scope: string): number | null {
  const match = /^product:(\d+)$/.exec(scope);
  return match ? Number(match[1]) : null;
}
