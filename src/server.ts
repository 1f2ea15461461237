import { startApiKeyUsageJob } from './jobs/api-key-usage-job.js';
import { buildApp } from './app.js';
import { auditRetentionDays, type Config } from './config/config.js';
import { applyConfiguredAdminToken } from './registry/admin-token.js';
import { firstOwnerHint } from './registry/accounts/first-start.js';
import { startMaintenanceJob } from './jobs/maintenance-job.js';
import { startAlertJobs } from './jobs/alert-jobs.js';
import { createAppDeps } from './runtime.js';
import { serverActor } from './registry/audit/server-actor.js';
import { openStore } from './store/open-store.js';

export interface RunningServer {
  url: string;
  /** Stops accepting, lets in-flight requests finish (their reports commit), then closes the store. */
  close(): Promise<void>;
}

/**
 * Runs Tally: opens the store (migrating it), makes the signing key on first start, listens,
 * tells how to make the first owner while there is no account, and on SIGTERM/SIGINT drains before exiting. Tests build the app with
 * `buildApp` instead; this is the only place that listens and owns signals.
 */
export async function startServer(config: Config, options: { handleSignals?: boolean } = {}): Promise<RunningServer> {
  const store = await openStore(config);
  const deps = await createAppDeps(config, store);
  if (deps.clientIpNotice) process.stderr.write(`${deps.clientIpNotice}\n`);
  const app = await buildApp(deps);
  const url = await app.listen({ port: config.port, host: config.host });
  process.stdout.write(`Tally listening on ${url} (${store.backend})\n`);
  // Partitions made ahead and retention, now and every retentionIntervalMs (docs/retention.md).
  const maintenance = startMaintenanceJob(store, {
    retentionDays: config.retentionDays,
    partitionInterval: config.partitionInterval,
    maxReportAgeDays: config.maxReportAgeDays,
    auditRetentionDays: auditRetentionDays(config),
    intervalMs: config.retentionIntervalMs,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  // API key last-use times: written every 30 s and on shutdown, never per request.
  const keyUsage = startApiKeyUsageJob(deps.keyUsage, { log: (line) => process.stdout.write(`${line}\n`) });
  // Webhook alerts: the license alerts every alertIntervalMs, the delivery worker every webhookPollMs (docs/webhooks.md).
  const alerts = startAlertJobs(store.webhooks, config, (line) => process.stdout.write(`${line}\n`));
  // A configured admin token replaces the stored hash; a new install makes none (docs/accounts.md).
  await applyConfiguredAdminToken(store.secrets, config.adminToken, { log: store.audit, actor: serverActor() });
  // A setup link only on an interactive terminal: no secret ever goes to a log.
  const hint = await firstOwnerHint(store.accounts, config.publicUrl ?? url, process.stdout.isTTY === true);
  if (hint !== null) process.stdout.write(`${hint}\n`);

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await app.close();
      await maintenance.stop();
      await keyUsage.stop();
      await deps.committer.drain();
      await deps.versionAlerts.idle();
      await alerts.stop();
      await store.close();
    })());
  if (options.handleSignals !== false) handleSignals(close, config.shutdownTimeoutMs);
  return { url, close };
}

function handleSignals(close: () => Promise<void>, timeoutMs: number): void {
  // A closed stdout (the parent went away) must not turn a status line into a crash mid-drain.
  process.stdout.on('error', () => undefined);
  const stop = (signal: string): void => {
    process.stdout.write(`${signal}: draining in-flight requests\n`);
    const timer = setTimeout(() => process.exit(1), timeoutMs);
    timer.unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
