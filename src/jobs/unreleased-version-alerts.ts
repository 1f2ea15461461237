import type { NewTelemetryRecord } from '../model/record.js';
import type { StoredReportsObserver } from '../ingest/ingest-report.js';
import { eventTime, newWebhookEvent } from '../registry/webhook-events.js';
import type { WebhookStore } from '../store/contract/webhook-store.js';
import { AlertFiring } from './alert-marks.js';

/**
 * `version.unreleased` (docs/webhooks.md): the first stored report naming a version its product
 * never registered (product_exists 1, product_version_exists 0). Told of each commit after the
 * answer's commit, never on its path: a report costs a Set lookup, and each new (product, version)
 * one database write, whose mark (period 0: forever) makes it fire once across restarts and instances.
 */
export class UnreleasedVersionAlerts implements StoredReportsObserver {
  readonly #firing: AlertFiring;
  readonly #log: (line: string) => void;
  readonly #pending = new Set<Promise<void>>();

  constructor(webhooks: WebhookStore, log: (line: string) => void) {
    this.#firing = new AlertFiring(webhooks);
    this.#log = log;
  }

  stored(records: readonly NewTelemetryRecord[]): void {
    for (const record of records) {
      const { product_id: productId, product_version: version } = record;
      if (productId === null || version === null || record.product_exists !== 1 || record.product_version_exists !== 0) continue;
      const mark = { type: 'version.unreleased' as const, subject: JSON.stringify([productId, version]), period: 0 };
      if (this.#firing.remembers(mark)) continue;
      const data = { product_id: productId, product_version: version, first_seen: eventTime(record.created_at_us) };
      const firing: Promise<void> = this.#firing.fire(mark, () => newWebhookEvent('version.unreleased', data, Date.now() * 1000))
        .then(() => undefined, (error: unknown) => this.#log(`alerts: version.unreleased for product ${productId} failed: ${String(error)}`))
        .finally(() => this.#pending.delete(firing));
      this.#pending.add(firing);
    }
  }

  /** Resolves when every alert started so far is written (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }
}
