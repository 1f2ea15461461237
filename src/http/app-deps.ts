import type { Config } from '../config/config.js';
import type { EnvelopeSigner } from '../envelope/envelope.js';
import type { GroupCommitter } from '../ingest/group-commit.js';
import type { IngestDeps } from '../ingest/ingest-report.js';
import type { UnreleasedVersionAlerts } from '../jobs/unreleased-version-alerts.js';
import type { Metrics } from '../observability/metrics.js';
import type { ApiKeyUsage } from '../registry/api-key-usage.js';
import type { CachedBlocklist } from '../registry/cached-blocklist.js';
import type { RegistryStore, Store } from '../store/contract/store.js';

/** Everything the HTTP app needs, made by the caller (server.ts or a test). */
export interface AppDeps {
  config: Config;
  store: Store;
  /** The registry as requests read it (cached in front of store.registry). */
  registry: RegistryStore;
  signer: EnvelopeSigner;
  committer: GroupCommitter;
  /** What the ingest use cases need, built once at start (runtime.ts). */
  ingest: IngestDeps;
  /** Null when `/metrics` is switched off. */
  metrics: Metrics | null;
  /** Last-use times of API keys, kept in memory and flushed by server.ts (src/jobs/api-key-usage-job.ts). */
  keyUsage: ApiKeyUsage;
  /** Where the log goes (default stdout); tests capture it. */
  logStream?: { write(line: string): void };
  /** The blocklist as requests read it (compiled, cached for the registry cache TTL). */
  blocklist: CachedBlocklist;
  /** `version.unreleased` alerts, told of every stored record (also `ingest.observer`). */
  versionAlerts: UnreleasedVersionAlerts;
  /** Said once at start when client IPs are kept in full by the database's remembered mode (privacy/client-ip-setting.ts); else null. */
  clientIpNotice?: string | null;
}
