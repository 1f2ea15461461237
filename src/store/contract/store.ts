import type { TelemetryMaintenanceOptions, TelemetryMaintenanceReport } from './maintenance.js';
import type { MigrationReport } from './migrations.js';
import type { ActivityRequest, ActivityRow } from '../../model/activity.js';
import type { InstallsCounts, InstallsRequest } from '../../model/installs.js';
import type { InsightsRequest, InsightsRow } from '../../model/insights.js';
import type { VersionSeries, VersionSeriesRequest } from '../../model/version-series.js';
import type { SummaryOptions, TelemetrySummary } from '../../model/summary.js';
import type { PageRequest, TelemetryFilter } from '../../model/filter.js';
import type { NewTelemetryRecord, TelemetryRecord } from '../../model/record.js';
import type { BlockEntry, NewBlockEntry } from '../../model/blocklist.js';
import type {
  Activation,
  ApiKey,
  ApiKeySignatureScheme,
  Capability,
  License,
  LicenseStatus,
  Product,
  ProductStatus,
  ReportFacts,
  ReportLookup,
} from '../../model/registry.js';
import type { WebhookStore } from './webhook-store.js';
import type { PrivacyStore } from './privacy-store.js';
import type { AuditStore } from './audit-store.js';
import type { AccountStore } from './account-store.js';
import type { AccessTokenStore } from './access-token-store.js';
import type { LicenseLifecycleStore } from './license-store.js';
import type { ReadReplicaStatus } from './read-replicas.js';
import type { RollupStore } from './rollup-store.js';

/**
 * The storage contract Tally owns. Backends live in one folder each (`sqlite/`, `postgres/`)
 * and are chosen in exactly one place (`open-store.ts`). No driver types here. Every method is
 * async so that a networked backend fits the same contract.
 */
export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  /**
   * How many commit groups the store takes at once (the group committer's `maxCommitsInFlight`):
   * 2 for SQLite with a writer thread, which commits one group while the next is handed over
   * (decision 0017); 1 otherwise (PostgreSQL's groups grow with the load while a round trip runs).
   */
  readonly commitsInFlight: number;
  /**
   * Whether the group committer hands the next group to the store before answering the callers
   * of a committed one (GroupCommitOptions.nextGroupFirst): true where the commit runs in another
   * process (PostgreSQL), which then works while this process writes the answers; false for
   * SQLite, whose commit shares this process (measured in docs/performance.md: faster on
   * PostgreSQL, slower on SQLite).
   */
  readonly nextGroupFirst: boolean;
  readonly telemetry: TelemetryStore;
  readonly registry: RegistryStore;
  readonly secrets: SecretStore;
  readonly blocklist: BlocklistStore;
  /** Webhook endpoints, the outbox, the delivery log and the alert marks (webhook-store.ts). */
  readonly webhooks: WebhookStore;
  /** A person's reports erased on request, and settings set once (privacy-store.ts, docs/privacy.md). */
  readonly privacy: PrivacyStore;
  /** Every change to the registry, keys, accounts, webhooks, blocklist and settings (audit-store.ts, docs/audit.md). */
  readonly audit: AuditStore;
  /** People's accounts, their dashboard sessions and setup codes (account-store.ts). */
  readonly accounts: AccountStore;
  /** Personal API tokens of accounts (access-token-store.ts). */
  readonly accessTokens: AccessTokenStore;
  /** Checks the rollups and install sketches against the raw records, and rebuilds them (rollup-store.ts). */
  readonly rollups: RollupStore;
  /** Applies pending migrations and says which; safe to call on every start. */
  migrate(): Promise<MigrationReport>;
  /**
   * Housekeeping of the telemetry table, run on start and periodically by the server; idempotent
   * and safe when several processes run it at once. PostgreSQL: makes the partitions of
   * `partitionInterval` (UTC month `telemetry_YYYY_MM` by default, or week or day
   * `telemetry_YYYY_MM_DD`; created_at in µs) for the current interval and `partitionsAhead` more,
   * starting where existing partitions end so none overlap (decision 0036), moving any rows of
   * those ranges out of the DEFAULT partition first. With
   * `retentionDays` > 0, removes records created before `nowUs - retentionDays` days: SQLite
   * deletes exactly those, in small transactions; PostgreSQL drops each partition whose whole
   * range is before the cutoff and deletes the older rows of the DEFAULT partition, so a record
   * in a partition may outlive the cutoff by up to one partition's span. A record created at or after the
   * cutoff is never removed.
   */
  maintainTelemetry(options: TelemetryMaintenanceOptions): Promise<TelemetryMaintenanceReport>;
  /** Resolves when the database answers a trivial query (readiness checks); rejects otherwise. */
  ping(): Promise<void>;
  /**
   * The read replicas the telemetry reads may go to, as the last checks found them (PostgreSQL
   * with `--read-database-url`; empty otherwise). Never waits on a database.
   */
  readReplicas(): readonly ReadReplicaStatus[];
  /**
   * Writes a consistent copy of the whole database to `destination` (a new file) while the
   * store stays in use. SQLite only: a PostgreSQL store throws UnsupportedByBackendError
   * (back it up with pg_dump; docs/operations.md).
   */
  backup(destination: string): Promise<{ pages: number }>;
  close(): Promise<void>;
}

export interface TelemetryStore {
  /**
   * Inserts all records in ONE transaction, committed durably before the promise resolves.
   * Returns the ids of the stored records in input order (see insertUnique for event_id).
   */
  insertMany(records: readonly NewTelemetryRecord[]): Promise<number[]>;
  /**
   * Like insertMany (one transaction, durable before it resolves), but returns one slot per
   * record: its id, or null when the record was not stored because its `event_id` is already
   * stored (by an earlier call, another process, or an earlier record of this call). Exactly one
   * record per event_id is ever stored, however many writers race (docs/ingest-behaviour.md).
   */
  insertUnique(records: readonly NewTelemetryRecord[]): Promise<(number | null)[]>;
  /** Records ordered by id, starting after `afterId`, unfiltered. */
  list(options: { afterId?: number; limit: number }): Promise<TelemetryRecord[]>;
  /** Records matching the filter with id > page.afterId, ordered by id, at most page.limit. */
  query(filter: TelemetryFilter, page: PageRequest): Promise<TelemetryRecord[]>;
  count(): Promise<number>;
  /**
   * Aggregates of the records matching the filter (counts, exact percentiles, histogram, xy
   * points, top texts, per-day and red-flag tallies), all read from one consistent snapshot.
   * Must stay fast over millions of records: backends answer it with indexed SQL aggregates.
   */
  summarize(filter: TelemetryFilter, options: SummaryOptions): Promise<TelemetrySummary>;
  /**
   * Reports created in [fromUs, toUs] counted per (product_id, data_group, data_type, time
   * bucket), clean and flagged apart; only non-empty combinations, in no particular order. One
   * scan of the range: the dashboard's overview and its list of data groups.
   */
  activity(request: ActivityRequest): Promise<ActivityRow[]>;
  /**
   * Distinct machines and users of one product per (time bucket, key) over a range of record
   * time (docs/admin-api.md, "Installs"), with the machines whose first report ever falls in each,
   * and the totals over the range; exact (COUNT(DISTINCT)), read by one statement. Costs a scan
   * of the product's reports in range, plus one of all its reports up to the range's end (for
   * each machine's first report).
   */
  installs(request: InstallsRequest): Promise<InstallsCounts>;

  /**
   * License or user insights: one row per (product_id, license key or user identifier) with a
   * report whose record time (RECORD_TIME_SQL) is in [fromUs, toUs], with exact
   * distinct counts, in no particular order. One GROUP BY over one indexed scan of the window
   * (SQLite: its id window; PostgreSQL: its partitions); license rows carry their registered
   * license. Records without a product id or without the subject are left out.
   */
  insights(request: InsightsRequest): Promise<InsightsRow[]>;

  /**
   * Exact nearest-rank p50 and p90 of one product's data group's single values (the summary's
   * numeric records) per (time bucket, product version), for the versions asked for or the
   * MAX_CHARTED_VERSIONS most reported, with every version's count; record time (RECORD_TIME_SQL
   * of each backend) in [fromUs, toUs], bucketed by it. One consistent snapshot, one scan.
   */
  versionSeries(request: VersionSeriesRequest): Promise<VersionSeries>;
}

export interface NewApiKey {
  name: string;
  secret_hash: string;
  capabilities: Capability[];
  products: number[];
  allowed_ips: string[];
  /** ISO-8601 UTC (`toISOString` form); absent or null = never expires. Stored as both `expires_at` and `configured_expires_at`. */
  expires_at?: string | null;
  /** How answers to this key are signed; absent = `auto` (chosen per request from the User-Agent). */
  signature_scheme?: ApiKeySignatureScheme;
}

/** One successful use of an API key, for `touchApiKeys`; `at` is ISO-8601 UTC (`toISOString` form). */
export interface ApiKeyUse {
  id: number;
  at: string;
}

export interface NewLicense {
  product_id: number;
  key: string;
  status: LicenseStatus;
  expires_at: string | null;
  /** Seats; absent or null = none set. An import that updates a license sets (or clears) it too. */
  max_activations?: number | null;
}

export interface RegistryStore extends LicenseLifecycleStore {
  createProduct(input: { name: string; versions: string[] }): Promise<Product>;
  getProduct(id: number): Promise<Product | null>;
  listProducts(): Promise<Product[]>;
  /** Adds a released version; adding one that exists is a no-op. Returns false when the product does not exist. */
  addProductVersion(productId: number, version: string): Promise<boolean>;
  /** An inactive product's reports are flagged `product_exists: 0`. Returns false when the product does not exist. */
  setProductStatus(productId: number, status: ProductStatus): Promise<boolean>;

  /** Throws DuplicateError when (product, key) exists. */
  createLicense(input: NewLicense): Promise<License>;
  /**
   * Inserts all licenses in one transaction; an existing product + key pair is updated (status,
   * expires_at, max_activations; a revoked license stays revoked) or, with `update: false`, left
   * untouched. Returns how many were written (inserted or updated).
   */
  importLicenses(inputs: readonly NewLicense[], options?: { update: boolean }): Promise<number>;
  findLicenses(key: string): Promise<License[]>;

  /** Records an activation of a license (by id); recording one twice returns the existing row (activated again if it was deactivated). */
  createActivation(licenseId: number, identifier: string): Promise<Activation>;

  createApiKey(input: NewApiKey): Promise<ApiKey>;
  findApiKeyByHash(secretHash: string): Promise<ApiKey | null>;
  listApiKeys(): Promise<ApiKey[]>;
  /** Returns false when no such key. */
  setApiKeyActive(id: number, active: boolean): Promise<boolean>;
  /** Revoked keys are kept (for audit) but never authenticate again. Returns false when no such key. */
  revokeApiKey(id: number): Promise<boolean>;
  /**
   * Sets (null: clears) when a key stops authenticating: a rotation's grace. The expiry the key was
   * made with (`configured_expires_at`) is left as it is. Returns false when no such key.
   */
  setApiKeyExpiry(id: number, expiresAt: string | null): Promise<boolean>;
  /** Pins (or with `auto` unpins) the scheme answers to this key are signed with. Returns false when no such key. */
  setApiKeySignatureScheme(id: number, scheme: ApiKeySignatureScheme): Promise<boolean>;
  /**
   * Records last-use times in one small write. A key's last_used_at only ever moves forward: an
   * older time (or an older duplicate in `uses`) is ignored; unknown ids are ignored.
   */
  touchApiKeys(uses: readonly ApiKeyUse[]): Promise<void>;

  /** Everything needed to flag a report, in one call (one round trip on a networked backend). */
  lookupReportFacts(lookup: ReportLookup): Promise<ReportFacts>;
}

/** Blocked IPs/CIDRs, user identifiers and license keys (docs/security.md, "Blocklist"). */
export interface BlocklistStore {
  /** Throws DuplicateError when the same kind, value and product scope (null = every product) is already listed. */
  add(entry: NewBlockEntry): Promise<BlockEntry>;
  /** Returns false when there is no entry with that id. */
  remove(id: number): Promise<boolean>;
  /** Every entry, ordered by id. */
  list(): Promise<BlockEntry[]>;
}

/** A signing key pair as stored. A scope has any number of keys, exactly one of them current. */
export interface StoredSigningKey {
  /** First 16 hex chars of the SHA-256 of the public key's SPKI DER (model/key-id.ts). */
  key_id: string;
  /** 'global', or `product:<id>` for a product's own key pair. */
  scope: string;
  algorithm: string;
  private_pem: string;
  public_pem: string;
  created_at: string;
  /** null while the key is the current one of its scope; when it was retired by a rotation otherwise. */
  retired_at: string | null;
}

/** A key about to become current: it has no retired_at yet. */
export type NewSigningKey = Omit<StoredSigningKey, 'retired_at'>;

export interface SecretStore {
  /** The current key of a scope, or null when the scope has none. */
  getSigningKey(scope: string): Promise<StoredSigningKey | null>;
  /** The current key of every scope (what a running server signs with), global first. */
  currentSigningKeys(): Promise<StoredSigningKey[]>;
  /** Every key of one scope (or of all scopes, global first), current first then newest first. */
  listSigningKeys(scope?: string): Promise<StoredSigningKey[]>;
  /**
   * Stores `key` as the scope's current key unless the scope has one already: when two processes
   * race on first start, both end up with the same single current key. Returns the current key.
   */
  saveSigningKeyIfAbsent(key: NewSigningKey): Promise<StoredSigningKey>;
  /**
   * Retires the scope's current key (retired_at = key.created_at) and makes `key` current, in one
   * transaction; concurrent rotations of one scope run one after the other. Returns the new key,
   * or null (nothing changed) when the scope has no current key.
   */
  rotateSigningKey(key: NewSigningKey): Promise<StoredSigningKey | null>;
  getSetting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;
}
