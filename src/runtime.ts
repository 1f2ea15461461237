import type { Config } from './config/config.js';
import { EnvelopeSigner } from './envelope/envelope.js';
import { KeyRing } from './envelope/key-ring.js';
import { Metrics } from './observability/metrics.js';
import { ApiKeyUsage } from './registry/api-key-usage.js';
import { CachedBlocklist } from './registry/cached-blocklist.js';
import { CachedRegistry } from './registry/cached-registry.js';
import { GroupCommitter } from './ingest/group-commit.js';
import type { Store } from './store/contract/store.js';
import { sqliteDirectory } from './store/open-store.js';
import { DiskFloor } from './ingest/disk-floor.js';
import { KeyQuota } from './ingest/key-quota.js';
import { WriteAdmission } from './ingest/write-admission.js';
import type { AppDeps } from './http/app-deps.js';
import { UnreleasedVersionAlerts } from './jobs/unreleased-version-alerts.js';
import { openClientIpPolicy } from './privacy/client-ip-setting.js';

/**
 * Everything the HTTP app needs around an open store: the signing keys (global made on first use),
 * the group committer and the cached registry view. server.ts and the tests wire the app
 * the same way through this.
 */
export async function createAppDeps(config: Config, store: Store): Promise<AppDeps> {
  const signer = new EnvelopeSigner(await KeyRing.open(store.secrets, config.signingAlgorithm, signingKeyReloadMs(config)));
  let queueDepth = (): number => 0;
  const metrics = config.metrics ? new Metrics({ queueDepth: () => queueDepth(), replicas: () => store.readReplicas() }) : null;
  const committer = new GroupCommitter(store.telemetry, {
    maxBatch: config.commitMaxBatch,
    windowMs: config.commitWindowMs,
    // A store that commits in the background in order (the SQLite writer thread) takes the next group while it commits one.
    maxCommitsInFlight: store.commitsInFlight,
    // PostgreSQL works on the next group while this process writes the answers of the last.
    nextGroupFirst: store.nextGroupFirst,
    ...(metrics ? { observer: metrics } : {}),
  });
  queueDepth = () => committer.depth;
  const registry = config.registryCacheMs > 0 ? new CachedRegistry(store.registry, config.registryCacheMs) : store.registry;
  const blocklist = new CachedBlocklist(store.blocklist, config.registryCacheMs);
  const versionAlerts = new UnreleasedVersionAlerts(store.webhooks, (line) => process.stdout.write(`${line}\n`));
  const clientIp = await openClientIpPolicy(config.clientIpMode, store);
  const ingest = {
    registry, committer, blocklist: () => blocklist.matcher(), admission: writeAdmission(config, store), observer: versionAlerts,
    maxReportAgeDays: config.maxReportAgeDays, clientIp: clientIp.policy,
  };
  return {
    config, store, registry, signer, committer, ingest, metrics, keyUsage: new ApiKeyUsage(store.registry), blocklist, versionAlerts,
    clientIpNotice: clientIp.notice,
  };
}

/**
 * The free-disk floor (SQLite: the database file's disk; PostgreSQL's disk is not visible from
 * here) and the per-key daily quotas, each only when configured.
 */
function writeAdmission(config: Config, store: Store): WriteAdmission | undefined {
  const directory = store.backend === 'sqlite' && config.minFreeDiskMb > 0 ? sqliteDirectory(config) : null;
  const disk = directory === null ? null : new DiskFloor(directory, config.minFreeDiskMb * 1024 * 1024);
  const { quotaReportsPerKeyPerDay: reportsPerDay, quotaBytesPerKeyPerDay: bytesPerDay } = config;
  const quota = reportsPerDay > 0 || bytesPerDay > 0 ? new KeyQuota({ reportsPerDay, bytesPerDay }) : null;
  return disk === null && quota === null ? undefined : new WriteAdmission(disk, quota);
}

/**
 * How often a running server re-reads the current signing keys, so that `tally keys rotate`
 * (from any process) takes effect without a restart: `--registry-cache-ms`, the staleness the
 * operator already accepts for the registry, or 1 s when that cache is off.
 */
export function signingKeyReloadMs(config: Config): number {
  return config.registryCacheMs > 0 ? config.registryCacheMs : 1000;
}
