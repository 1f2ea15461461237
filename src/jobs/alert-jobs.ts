import type { Config } from '../config/config.js';
import type { WebhookStore } from '../store/contract/webhook-store.js';
import { startLicenseAlertJob } from './license-alert-job.js';
import { startWebhookDelivery } from './webhook-delivery-job.js';

export interface AlertJobs {
  /** Stops the license alerts (after a pass running), then the delivery worker (after the deliveries in flight). */
  stop(): Promise<void>;
}

/** The server's webhook jobs, from the settings (docs/webhooks.md, docs/operations.md). */
export function startAlertJobs(webhooks: WebhookStore, config: Config, log: (line: string) => void): AlertJobs {
  const licenses = startLicenseAlertJob(webhooks, {
    windowDays: config.alertWindowDays, defaultSeats: config.defaultSeats, suspiciousReports: config.alertSuspiciousReports,
    intervalMs: config.alertIntervalMs, log,
  });
  const delivery = startWebhookDelivery(webhooks, {
    timeoutMs: config.webhookTimeoutMs, leaseMs: config.webhookLeaseMs, pollMs: config.webhookPollMs,
    concurrency: config.webhookConcurrency, retryBaseMs: config.webhookRetryBaseMs, log,
  });
  return {
    stop: async () => {
      await licenses.stop();
      await delivery.stop();
    },
  };
}
