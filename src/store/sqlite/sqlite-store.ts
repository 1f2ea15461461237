import type Database from 'better-sqlite3';
import type { RegistryStore, SecretStore, Store, TelemetryStore } from '../store.js';
import { openSqliteDatabase, type SqliteSynchronous } from './connection.js';
import { applyMigrations } from './migrate.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { createSqliteRegistry } from './registry-tables.js';
import { SqliteSecretTables } from './secret-tables.js';
import { SqliteTelemetryTable } from './telemetry-table.js';

interface Tables {
  telemetry: TelemetryStore;
  registry: RegistryStore;
  secrets: SecretStore;
}

/**
 * The embedded backend: one SQLite file, one connection per process. Statements can only be
 * prepared once their tables exist, so they are prepared by the first `migrate()`; using the
 * store before that is a programming error (openStore always migrates first).
 */
export class SqliteStore implements Store {
  readonly backend = 'sqlite';
  readonly #db: Database.Database;
  #tables: Tables | null = null;

  constructor(db: Database.Database) {
    this.#db = db;
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

  async migrate(): Promise<void> {
    applyMigrations(this.#db, SQLITE_MIGRATIONS);
    this.#tables ??= prepareTables(this.#db);
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #ready(): Tables {
    if (this.#tables === null) throw new Error('The SQLite store was used before migrate()');
    return this.#tables;
  }
}

/** Opens (creating if needed) the SQLite file; call `migrate()` before using the store. */
export function openSqliteStore(file: string, synchronous: SqliteSynchronous): SqliteStore {
  return new SqliteStore(openSqliteDatabase(file, synchronous));
}

function prepareTables(db: Database.Database): Tables {
  return {
    telemetry: new SqliteTelemetryTable(db),
    registry: createSqliteRegistry(db),
    secrets: new SqliteSecretTables(db),
  };
}
