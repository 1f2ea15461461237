import type { TelemetryMaintenanceOptions, TelemetryMaintenanceReport } from './maintenance.js';
import type { SummaryOptions, TelemetrySummary } from '../query/summary.js';
import type { PageRequest, TelemetryFilter } from '../query/telemetry-filter.js';
import type { NewTelemetryRecord, TelemetryRecord } from '../telemetry/record.js';
import type {
  Activation,
  ApiKey,
  Capability,
  License,
  LicenseStatus,
  Product,
  ProductStatus,
  ReportFacts,
  ReportLookup,
} from '../registry/types.js';

/**
 * The storage contract Tally owns. Backends live in one folder each (`sqlite/`, later
 * `postgres/`) and are chosen in exactly one place (`open-store.ts`). No driver types here.
 * Every method is async so that a networked backend fits the same contract.
 */
export interface Store {
  readonly backend: 'sqlite' | 'postgres';
  readonly telemetry: TelemetryStore;
  readonly registry: RegistryStore;
  readonly secrets: SecretStore;
  /** Applies pending migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /**
   * Housekeeping of the telemetry table, run on start and periodically by the server; idempotent
   * and safe when several processes run it at once. PostgreSQL: makes the monthly partitions
   * `telemetry_YYYY_MM` (UTC months, created_at in µs) for the current month and
   * `monthsAhead` more, moving any rows of those months out of the DEFAULT partition first. With
   * `retentionDays` > 0, removes records created before `nowUs - retentionDays` days: SQLite
   * deletes exactly those, in small transactions; PostgreSQL drops each partition whose whole
   * month is before the cutoff and deletes the older rows of the DEFAULT partition, so a record
   * in a partition may outlive the cutoff by up to a month. A record created at or after the
   * cutoff is never removed.
   */
  maintainTelemetry(options: TelemetryMaintenanceOptions): Promise<TelemetryMaintenanceReport>;
  /** Resolves when the database answers a trivial query (readiness checks); rejects otherwise. */
  ping(): Promise<void>;
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
}

export interface NewApiKey {
  name: string;
  secret_hash: string;
  capabilities: Capability[];
  products: number[];
  allowed_ips: string[];
}

export interface NewLicense {
  product_id: number;
  key: string;
  status: LicenseStatus;
  expires_at: string | null;
}

export interface RegistryStore {
  createProduct(input: { name: string; versions: string[] }): Promise<Product>;
  getProduct(id: number): Promise<Product | null>;
  listProducts(): Promise<Product[]>;
  /** Adds a released version; adding one that exists is a no-op. Returns false when the product does not exist. */
  addProductVersion(productId: number, version: string): Promise<boolean>;
  /** An inactive product's reports are flagged `product_exists: 0`. Returns false when the product does not exist. */
  setProductStatus(productId: number, status: ProductStatus): Promise<boolean>;

  /** Throws DuplicateError when (product, key) exists. */
  createLicense(input: NewLicense): Promise<License>;
  /** Inserts or updates (by product + key) all licenses in one transaction; returns how many were written. */
  importLicenses(inputs: readonly NewLicense[]): Promise<number>;
  findLicenses(key: string): Promise<License[]>;

  /** Records an activation of a license (by id); recording one twice is a no-op returning the existing row. */
  createActivation(licenseId: number, identifier: string): Promise<Activation>;

  createApiKey(input: NewApiKey): Promise<ApiKey>;
  findApiKeyByHash(secretHash: string): Promise<ApiKey | null>;
  listApiKeys(): Promise<ApiKey[]>;
  /** Returns false when no such key. */
  setApiKeyActive(id: number, active: boolean): Promise<boolean>;
  /** Revoked keys are kept (for audit) but never authenticate again. Returns false when no such key. */
  revokeApiKey(id: number): Promise<boolean>;

  /** Everything needed to flag a report, in one call (one round trip on a networked backend). */
  lookupReportFacts(lookup: ReportLookup): Promise<ReportFacts>;
}

export interface StoredSigningKey {
  /** 'global', or `product:<id>` for a product's own key pair. */
  scope: string;
  algorithm: string;
  private_pem: string;
  public_pem: string;
  created_at: string;
}

export interface SecretStore {
  getSigningKey(scope: string): Promise<StoredSigningKey | null>;
  /** Keeps the first key saved for a scope: when two processes race, both end up using the same key. Returns the stored key. */
  saveSigningKeyIfAbsent(key: StoredSigningKey): Promise<StoredSigningKey>;
  getSetting(name: string): Promise<string | null>;
  setSetting(name: string, value: string): Promise<void>;
}

/** Raised when an operation exists only on another backend; the message says what to use instead. */
export class UnsupportedByBackendError extends Error {
  override readonly name = 'UnsupportedByBackendError';
}

/** Raised by a store when a unique entity already exists. */
export class DuplicateError extends Error {
  override readonly name = 'DuplicateError';
}
