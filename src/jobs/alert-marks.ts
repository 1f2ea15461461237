import type { AlertMark, NewWebhookEvent } from '../model/webhooks.js';
import type { WebhookStore } from '../store/contract/webhook-store.js';

/** Most marks one process remembers; past it the memo starts again (the database still says no twice). */
const MAX_REMEMBERED = 100_000;

/**
 * Fires alerts once per mark (type, subject, period) through `WebhookStore.fireOnce`, whose
 * UNIQUE mark makes it once across restarts and instances. A per-process memo of the marks it has
 * seen keeps a flood of reports about one subject at one database write.
 */
export class AlertFiring {
  readonly #webhooks: WebhookStore;
  readonly #seen = new Set<string>();

  constructor(webhooks: WebhookStore) {
    this.#webhooks = webhooks;
  }

  /** True when the mark is known to this process already (fired or found marked): no need to ask the database. */
  remembers(mark: AlertMark): boolean {
    return this.#seen.has(keyOf(mark));
  }

  /** Fires unless already marked; true when this call fired it. A failure forgets the mark so that a later call tries again. */
  async fire(mark: AlertMark, event: () => NewWebhookEvent): Promise<boolean> {
    const key = keyOf(mark);
    if (this.#seen.has(key)) return false;
    if (this.#seen.size >= MAX_REMEMBERED) this.#seen.clear();
    this.#seen.add(key);
    try {
      return await this.#webhooks.fireOnce(mark, event());
    } catch (error) {
      this.#seen.delete(key);
      throw error;
    }
  }
}

function keyOf(mark: AlertMark): string {
  return JSON.stringify([mark.type, mark.subject, mark.period]);
}
