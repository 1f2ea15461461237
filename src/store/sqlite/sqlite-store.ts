import type Database from 'better-sqlite3';
import type { TelemetryMaintenanceOptions, TelemetryMaintenanceReport } from '../maintenance.js';
import type { BlocklistStore, RegistryStore, SecretStore, Store, TelemetryStore } from '../store.js';
import { SqliteBlocklistTable } from './blocklist-table.js';
import { openSqliteDatabase, type SqliteSynchronous } from './connection.js';
import { applyMigrations } from './migrate.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { createSqliteRegistry } from './registry-tables.js';
import { SqliteSecretTables } from './secret-tables.js';
import { SqliteReaderThread } from './reader-thread.js';
import { SqliteRetention } from './retention.js';
import { SqliteTelemetryTable } from './telemetry-table.js';

interface Tables {
  telemetry: TelemetryStore;
  registry: RegistryStore;
  secrets: SecretStore;
  blocklist: BlocklistStore;
  retention: SqliteRetention;
}

/**
 * The embedded backend: one SQLite file, one connection per process. Statements can only be
 * prepared once their tables exist, so they are prepared by the first `migrate()`; using the
 * store before that is a programming error (openStore always migrates first).
 */
export class SqliteStore implements Store {
  readonly backend = 'sqlite';
  readonly #db: Database.Database;
  readonly #reader: SqliteReaderThread | null;
  #tables: Tables | null = null;

  /** With a reader thread, queries and summaries run on their own connection, off the caller's event loop. */
  constructor(db: Database.Database, reader: SqliteReaderThread | null = null) {
    this.#db = db;
    this.#reader = reader;
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

  async migrate(): Promise<void> {
    applyMigrations(this.#db, SQLITE_MIGRATIONS);
    this.#tables ??= prepareTables(this.#db, this.#reader);
  }

  /** No partitions here: only retention (retention.ts). */
  async maintainTelemetry(options: TelemetryMaintenanceOptions): Promise<TelemetryMaintenanceReport> {
    return this.#ready().retention.apply(options);
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
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
    await this.#reader?.close();
    if (this.#db.open) this.#db.close();
  }

  #ready(): Tables {
    if (this.#tables === null) throw new Error('The SQLite store was used before migrate()');
    return this.#tables;
  }
}

/** Opens (creating if needed) the SQLite file; call `migrate()` before using the store. */
export function openSqliteStore(file: string, synchronous: SqliteSynchronous, readerThread = false): SqliteStore {
  const reader = readerThread && file !== ':memory:' ? new SqliteReaderThread({ file }) : null;
  return new SqliteStore(openSqliteDatabase(file, synchronous), reader);
}

function prepareTables(db: Database.Database, reader: SqliteReaderThread | null): Tables {
  return {
    telemetry: reader ? withReader(new SqliteTelemetryTable(db), reader) : new SqliteTelemetryTable(db),
    registry: createSqliteRegistry(db),
    secrets: new SqliteSecretTables(db),
    blocklist: new SqliteBlocklistTable(db),
    retention: new SqliteRetention(db),
  };
}

/** Writes stay on this connection (group commits are latency-bound); reads go to the reader thread. */
function withReader(table: SqliteTelemetryTable, reader: SqliteReaderThread): TelemetryStore {
  return {
    insertMany: (records) => table.insertMany(records),
    insertUnique: (records) => table.insertUnique(records),
    list: (options) => table.list(options),
    count: () => table.count(),
    query: (filter, page) => reader.query(filter, page),
    summarize: (filter, options) => reader.summarize(filter, options),
    activity: (request) => reader.activity(request),
  };
}
