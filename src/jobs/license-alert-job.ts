import { DAY_US } from '../model/clock.js';
import type { AlertMark, LicenseAlertCounts } from '../model/webhooks.js';
import { newWebhookEvent } from '../registry/webhook-events.js';
import type { WebhookStore } from '../store/contract/webhook-store.js';
import { AlertFiring } from './alert-marks.js';

/**
 * Records a pass re-reads below the last one's highest id: PostgreSQL hands out ids before
 * commit, so a transaction with a smaller id may commit after a pass read a larger one.
 */
const ID_SLACK = 10_000;

export interface LicenseAlertOptions {
  windowDays: number;
  defaultSeats: number;
  suspiciousReports: number;
  intervalMs: number;
  log: (line: string) => void;
  /** The clock, in µs; tests move it. */
  nowUs?: () => number;
}

export interface LicenseAlertJob {
  /** Runs a pass now (after the one running, if any) and resolves when it is done. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

/** The window a time falls in: floor(t / window length), counted from the Unix epoch. */
export function alertPeriod(nowUs: number, windowDays: number): number {
  return Math.floor(nowUs / (windowDays * DAY_US));
}

/**
 * `license.shared` and `license.suspicious` (docs/webhooks.md): now and every `intervalMs`, one
 * aggregate over the last `windowDays` of records per license (the first pass every license in
 * the window, then only licenses with new records) and an alert for each crossing not yet marked
 * in this window: shared when a registered license's distinct machines exceed its seats,
 * suspicious when its flagged reports reach `suspiciousReports`. Never two passes at once in a
 * process; other processes are kept from firing twice by the marks.
 */
export function startLicenseAlertJob(webhooks: WebhookStore, options: LicenseAlertOptions): LicenseAlertJob {
  const nowUs = options.nowUs ?? ((): number => Date.now() * 1000);
  const firing = new AlertFiring(webhooks);
  let lastId: number | null = null;
  const pass = async (): Promise<void> => {
    const now = nowUs();
    const afterId = lastId === null ? null : Math.max(0, lastId - ID_SLACK);
    const answer = await webhooks.licenseAlertCounts({ fromUs: now - options.windowDays * DAY_US, afterId, defaultSeats: options.defaultSeats });
    const period = alertPeriod(now, options.windowDays);
    for (const license of answer.licenses) await check(firing, license, period, now, options);
    lastId = answer.lastId;
  };
  let running: Promise<void> = Promise.resolve();
  const tick = (): Promise<void> => (running = running.then(pass).catch((error: unknown) => options.log(`alerts: license pass failed: ${String(error)}`)));
  void tick();
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return {
    runNow: tick,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

async function check(firing: AlertFiring, license: LicenseAlertCounts, period: number, nowUs: number, options: LicenseAlertOptions): Promise<void> {
  const subject = JSON.stringify([license.product_id, license.license_key]);
  const { product_id, license_key } = license;
  if (license.registered && license.machines > license.seats) {
    const mark: AlertMark = { type: 'license.shared', subject, period };
    const data = { product_id, license_key, machines: license.machines, seats: license.seats, window_days: options.windowDays };
    await firing.fire(mark, () => newWebhookEvent('license.shared', data, nowUs));
  }
  if (license.flagged_reports >= options.suspiciousReports) {
    const mark: AlertMark = { type: 'license.suspicious', subject, period };
    const data = { product_id, license_key, flagged_reports: license.flagged_reports, flags: license.flags, window_days: options.windowDays };
    await firing.fire(mark, () => newWebhookEvent('license.suspicious', data, nowUs));
  }
}
