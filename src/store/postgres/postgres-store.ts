import type pg from 'pg';
import type { TelemetryMaintenanceOptions, TelemetryMaintenanceReport } from '../contract/maintenance.js';
import type { MigrationReport } from '../contract/migrations.js';
import { type BlocklistStore, type RegistryStore, type SecretStore, type Store, type TelemetryStore } from '../contract/store.js';
import { PgBlocklistTable } from './blocklist-table.js';
import { ensureSchema, openPgPool, type PgConnectionOptions } from './connection.js';
import { maintainPgTelemetry } from './maintain.js';
import { applyPgMigrations } from './migrate.js';
import { PG_MIGRATIONS } from './migrations.js';
import { createPgRegistry } from './registry-tables.js';
import { PgSecretTables } from './secret-tables.js';
import { PgTelemetryTable } from './telemetry-table.js';
import { PgWebhookTables } from './webhook-tables.js';
import { PgAccessTokensTable } from './access-tokens-table.js';
import type { AccessTokenStore } from '../contract/access-token-store.js';
import type { WebhookStore } from '../contract/webhook-store.js';
import type { PrivacyStore } from '../contract/privacy-store.js';
import { PgPrivacyTable } from './privacy-table.js';
import type { AuditStore } from '../contract/audit-store.js';
import { PgAuditTable } from './audit-table.js';
import type { AccountStore } from '../contract/account-store.js';
import { PgAccountTables } from './account-tables.js';
import { UnsupportedByBackendError } from '../../model/errors.js';
import type { ReadReplicaStatus } from '../contract/read-replicas.js';
import { PgReadRouter, primaryReads, type PgReads } from './read-router.js';
import type { RollupStore } from '../contract/rollup-store.js';
import { PgRollupStore } from './rollup-check-store.js';

/**
 * The networked backend: one connection pool per process, shared by every table. Several Tally
 * processes may use one database; migrations serialise themselves (migrate.ts). Nothing is
 * prepared up front, so unlike SQLite the tables are usable before migrate() (they fail until
 * the schema exists).
 */
export class PgStore implements Store {
  readonly backend = 'postgres';
  readonly commitsInFlight = 1;
  readonly nextGroupFirst = true;
  readonly telemetry: TelemetryStore;
  readonly registry: RegistryStore;
  readonly secrets: SecretStore;
  readonly blocklist: BlocklistStore;
  readonly webhooks: WebhookStore;
  readonly privacy: PrivacyStore;
  readonly audit: AuditStore;
  readonly accounts: AccountStore;
  readonly accessTokens: AccessTokenStore;
  readonly rollups: RollupStore;
  readonly #pool: pg.Pool;
  readonly #schema: string | undefined;
  readonly #reads: PgReads;
  #closed = false;

  /**
   * `reads` sends the telemetry reads to replicas (read-router.ts); without it they run on `pool`.
   * `preparedStatements` false sends the ingest insert unnamed (a pooler that cannot keep prepared statements).
   */
  constructor(pool: pg.Pool, schema?: string, reads: PgReads = primaryReads(pool), preparedStatements = true) {
    this.#pool = pool;
    this.#schema = schema;
    this.#reads = reads;
    this.telemetry = new PgTelemetryTable(pool, reads, preparedStatements);
    this.registry = createPgRegistry(pool);
    this.secrets = new PgSecretTables(pool);
    this.blocklist = new PgBlocklistTable(pool);
    this.webhooks = new PgWebhookTables(pool);
    this.privacy = new PgPrivacyTable(pool);
    this.audit = new PgAuditTable(pool);
    this.accounts = new PgAccountTables(pool);
    this.accessTokens = new PgAccessTokensTable(pool);
    this.rollups = new PgRollupStore(pool);
  }

  async migrate(): Promise<MigrationReport> {
    await ensureSchema(this.#pool, this.#schema);
    return applyPgMigrations(this.#pool, PG_MIGRATIONS);
  }

  /** Monthly partitions made ahead, then retention (maintain.ts). */
  async maintainTelemetry(options: TelemetryMaintenanceOptions): Promise<TelemetryMaintenanceReport> {
    return maintainPgTelemetry(this.#pool, options);
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  readReplicas(): readonly ReadReplicaStatus[] {
    return this.#reads.status();
  }

  async backup(): Promise<{ pages: number }> {
    throw new UnsupportedByBackendError('tally backup copies SQLite databases; back up PostgreSQL with pg_dump (docs/operations.md).');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#reads.close();
    await this.#pool.end();
  }
}

/** Read replicas of a PostgreSQL store (`--read-database-url`, `--read-max-lag-ms`; decision 0035). */
export interface PgReplicaOptions {
  readUrls?: readonly string[];
  readMaxLagMs?: number;
  /** How often each replica's lag is measured (ms; default 1000). */
  readCheckIntervalMs?: number;
}

/** How the store talks to the server beyond its URL (`--postgres-prepared-statements`; decision 0048). */
export interface PgStatementOptions {
  /** The ingest insert as a named prepared statement (default true). */
  preparedStatements?: boolean;
}

/**
 * A store over the database the URL names (no connection is made yet); call `migrate()` before
 * use. With read URLs, the replicas' lag checks start at once; until a replica's first check has
 * passed, reads stay on the primary.
 */
export function openPgStore(options: PgConnectionOptions & PgReplicaOptions & PgStatementOptions): PgStore {
  const pool = openPgPool(options);
  const urls = options.readUrls ?? [];
  const prepared = options.preparedStatements ?? true;
  if (urls.length === 0) return new PgStore(pool, options.schema, primaryReads(pool), prepared);
  const reads = new PgReadRouter(pool, {
    urls,
    schema: options.schema,
    maxLagMs: options.readMaxLagMs ?? 1000,
    checkIntervalMs: options.readCheckIntervalMs ?? 1000,
  });
  return new PgStore(pool, options.schema, reads, prepared);
}
