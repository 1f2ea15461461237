import type Database from 'better-sqlite3';
import type { ReadReplicaStatus } from '../contract/read-replicas.js';
import type { TelemetryMaintenanceOptions, TelemetryMaintenanceReport } from '../contract/maintenance.js';
import type { MigrationReport } from '../contract/migrations.js';
import type { BlocklistStore, RegistryStore, SecretStore, Store, TelemetryStore } from '../contract/store.js';
import type { WebhookStore } from '../contract/webhook-store.js';
import type { PrivacyStore } from '../contract/privacy-store.js';
import { SqlitePrivacyTable } from './privacy/privacy-table.js';
import type { AuditStore } from '../contract/audit-store.js';
import { SqliteAuditTable } from './audit/audit-table.js';
import type { AccountStore } from '../contract/account-store.js';
import { SqliteAccountTables } from './accounts/account-tables.js';
import { openSqliteDatabase, type SqliteSynchronous } from './database/connection.js';
import { applyMigrations } from './database/migrate.js';
import { SQLITE_MIGRATIONS } from './database/migrations.js';
import { SqliteBlocklistTable } from './tables/blocklist-table.js';
import { createSqliteRegistry } from './tables/registry-tables.js';
import { SqliteSecretTables } from './tables/secret-tables.js';
import { SqliteRetention } from './telemetry/retention.js';
import { sqliteTelemetryStore, type Threads } from './telemetry-store.js';
import { SqliteReaderThread } from './threads/reader-thread.js';
import { SqliteWriterThread } from './threads/writer-thread.js';
import { SqliteLicenseAlertCounts } from './webhooks/license-alert-counts.js';
import { SqliteWebhookTables } from './webhooks/webhook-tables.js';
import { SqliteAccessTokensTable } from './access-tokens/access-tokens-table.js';
import type { AccessTokenStore } from '../contract/access-token-store.js';
import type { RollupStore } from '../contract/rollup-store.js';
import { SqliteRollupStore } from './rollups/rollup-check-store.js';

interface Tables {
  telemetry: TelemetryStore;
  registry: RegistryStore;
  secrets: SecretStore;
  blocklist: BlocklistStore;
  webhooks: WebhookStore;
  audit: AuditStore;
  accounts: AccountStore;
  accessTokens: AccessTokenStore;
  retention: SqliteRetention;
  privacy: PrivacyStore;
  rollups: RollupStore;
}

/**
 * The embedded backend: one SQLite file, and in each process up to three connections to it: this
 * one (registry, settings, small commits, and every read and write when there are no threads),
 * the reader thread's (queries and summaries) and the writer thread's (large commits); WAL lets
 * them read while another writes. Statements can only be prepared once their tables exist, so
 * they are prepared by the first `migrate()`; using the store before that is a programming error
 * (openStore always migrates first).
 */
export class SqliteStore implements Store {
  readonly backend = 'sqlite';
  /** The writer thread commits one group while the next is handed over (decision 0017). */
  readonly commitsInFlight: number;
  readonly nextGroupFirst = false;
  readonly #db: Database.Database;
  readonly #threads: Threads;
  #tables: Tables | null = null;

  /**
   * With a reader thread, queries and summaries run on their own connection, off the caller's
   * event loop; with a writer thread, so do the commits of large groups (batch requests).
   */
  constructor(db: Database.Database, threads: Threads) {
    this.#db = db;
    this.#threads = threads;
    this.commitsInFlight = threads.writer === null ? 1 : 2;
  }

  get telemetry(): TelemetryStore {
    return this.#ready().telemetry;
  }

  get registry(): RegistryStore {
    return this.#ready().registry;
  }

  get secrets(): SecretStore {
    return this.#ready().secrets;
  }

  get blocklist(): BlocklistStore {
    return this.#ready().blocklist;
  }

  get webhooks(): WebhookStore {
    return this.#ready().webhooks;
  }

  get privacy(): PrivacyStore {
    return this.#ready().privacy;
  }

  get audit(): AuditStore {
    return this.#ready().audit;
  }

  get accounts(): AccountStore {
    return this.#ready().accounts;
  }

  get accessTokens(): AccessTokenStore {
    return this.#ready().accessTokens;
  }

  get rollups(): RollupStore {
    return this.#ready().rollups;
  }

  async migrate(): Promise<MigrationReport> {
    const report = applyMigrations(this.#db, SQLITE_MIGRATIONS);
    this.#tables ??= prepareTables(this.#db, this.#threads);
    return report;
  }

  /** No partitions here: only retention (telemetry/retention.ts). */
  async maintainTelemetry(options: TelemetryMaintenanceOptions): Promise<TelemetryMaintenanceReport> {
    return this.#ready().retention.apply(options);
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  /** SQLite has no read replicas (its reader thread is in process). */
  readReplicas(): readonly ReadReplicaStatus[] {
    return [];
  }

  /**
   * SQLite's online backup API. After the first step the rest is copied in one step, i.e. in one
   * read transaction: in WAL mode writers go on meanwhile, and the copy cannot be restarted
   * forever by a server that keeps writing (which small steps would risk).
   */
  async backup(destination: string): Promise<{ pages: number }> {
    const { totalPages } = await this.#db.backup(destination, { progress: ({ totalPages: total }) => Math.max(total, 100) });
    return { pages: totalPages };
  }

  async close(): Promise<void> {
    await this.#threads.writer?.close();
    await this.#threads.reader?.close();
    if (this.#db.open) this.#db.close();
  }

  #ready(): Tables {
    if (this.#tables === null) throw new Error('The SQLite store was used before migrate()');
    return this.#tables;
  }
}

export interface SqliteThreadOptions {
  readerThread?: boolean;
  writerThread?: boolean;
  /** Default WRITER_THREAD_MIN_RECORDS; the tests set 1 to send every commit through the thread. */
  writerThreadMinRecords?: number;
}

/**
 * Groups of at least this many records commit on the writer thread; smaller ones (single reports)
 * commit on the caller's thread, where a hop to another thread would cost more than it frees
 * (docs/performance.md: a writer thread for single reports measured 3,500 against 20,100 req/s).
 */
export const WRITER_THREAD_MIN_RECORDS = 100;

/** Opens (creating if needed) the SQLite file; call `migrate()` before using the store. A `:memory:` database gets no threads. */
export function openSqliteStore(file: string, synchronous: SqliteSynchronous, options: SqliteThreadOptions = {}): SqliteStore {
  const shared = file !== ':memory:';
  return new SqliteStore(openSqliteDatabase(file, synchronous), {
    reader: options.readerThread === true && shared ? new SqliteReaderThread({ file }) : null,
    writer: options.writerThread === true && shared ? new SqliteWriterThread({ file, synchronous }) : null,
    writerMinRecords: options.writerThreadMinRecords ?? WRITER_THREAD_MIN_RECORDS,
  });
}

function prepareTables(db: Database.Database, threads: Threads): Tables {
  return {
    telemetry: sqliteTelemetryStore(db, threads),
    registry: createSqliteRegistry(db),
    secrets: new SqliteSecretTables(db),
    blocklist: new SqliteBlocklistTable(db),
    webhooks: new SqliteWebhookTables(db, threads.reader ?? new SqliteLicenseAlertCounts(db)),
    audit: new SqliteAuditTable(db),
    accounts: new SqliteAccountTables(db),
    accessTokens: new SqliteAccessTokensTable(db),
    retention: new SqliteRetention(db),
    privacy: new SqlitePrivacyTable(db),
    rollups: new SqliteRollupStore(db),
  };
}
