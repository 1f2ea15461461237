import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { SqliteSynchronous } from './sqlite/database/connection.js';
import type { SqliteThreadOptions } from './sqlite/sqlite-store.js';
import { sqliteFileFromUrl } from './sqlite/database/file-url.js';
import type { Store } from './contract/store.js';
import type { MigrationReport } from './contract/migrations.js';

export interface OpenStoreOptions {
  /** `postgres://…`/`postgresql://…`, `sqlite:…`/`file:…`, or null for `<dataDir>/tally.db`. */
  databaseUrl: string | null;
  dataDir: string;
  sqliteSynchronous: SqliteSynchronous;
  /** SQLite only: run queries and summaries on a reader thread with its own connection (the server does). */
  sqliteReaderThread?: boolean;
  /** SQLite only: commit large groups (batch requests) on a writer thread with its own connection (the server does). */
  sqliteWriterThread?: boolean;
  /** SQLite only: the smallest group the writer thread commits (default 100; tests set 1). */
  sqliteWriterThreadMinRecords?: number;
  /** PostgreSQL only: keep every table in this schema (created if needed). For tests, so runs never share data. */
  schema?: string;
  /** PostgreSQL only: streaming replicas that carry the telemetry reads (`--read-database-url`; refused with SQLite). */
  readDatabaseUrl?: readonly string[];
  /** PostgreSQL only: a replica further behind than this (ms) gets no reads (`--read-max-lag-ms`). */
  readMaxLagMs?: number;
  /** PostgreSQL only: how often each replica's lag is measured (ms; default 1000; tests set less). */
  readCheckIntervalMs?: number;
  /** PostgreSQL only: the ingest insert as a named prepared statement (default true; `--postgres-prepared-statements`). */
  postgresPreparedStatements?: boolean;
}

/**
 * The one place that picks a storage backend from configuration. The store it returns is
 * migrated and ready; the caller closes it.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  return (await openStoreMigrating(options)).store;
}

/** openStore, also saying what migrating it did (`tally migrate` reports it). */
export async function openStoreMigrating(options: OpenStoreOptions): Promise<{ store: Store; migrations: MigrationReport }> {
  const store = await pickBackend(options);
  try {
    return { store, migrations: await store.migrate() };
  } catch (error) {
    await store.close();
    throw error;
  }
}

async function pickBackend(options: OpenStoreOptions): Promise<Store> {
  const { databaseUrl, dataDir, sqliteSynchronous, schema } = options;
  const readUrls = options.readDatabaseUrl ?? [];
  if (readUrls.length > 0 && !/^postgres(ql)?:\/\//i.test(databaseUrl ?? '')) {
    throw new Error('Read replicas (--read-database-url) need a PostgreSQL --database-url: they are its streaming standbys');
  }
  // Each backend is loaded when it is picked: a SQLite server never loads the PostgreSQL driver,
  // nor the other way round, which keeps `tally serve` and every command quick to start.
  if (databaseUrl === null) {
    await mkdir(dataDir, { recursive: true });
    return openSqlite(path.join(dataDir, 'tally.db'), sqliteSynchronous, options);
  }
  // Only the scheme ever goes into a message: the rest of a URL may hold a password.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(databaseUrl)?.[1]?.toLowerCase() ?? '';
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const { openPgStore } = await import('./postgres/postgres-store.js');
    return openPgStore({
      url: databaseUrl, schema, readUrls, readMaxLagMs: options.readMaxLagMs, readCheckIntervalMs: options.readCheckIntervalMs,
      preparedStatements: options.postgresPreparedStatements,
    });
  }
  if (scheme === 'sqlite' || scheme === 'file') {
    const file = sqliteFileFromUrl(databaseUrl);
    if (file !== ':memory:') await mkdir(path.dirname(file), { recursive: true });
    return openSqlite(file, sqliteSynchronous, options);
  }
  throw new Error(`Unsupported database URL scheme "${scheme}:"; use postgres:, sqlite: or file:`);
}

/**
 * The directory holding the SQLite database file the options open (where its WAL and journal grow
 * too), or null for PostgreSQL and an in-memory database: the disk whose free space the server
 * watches (docs/operations.md, "Answer size and disk space").
 */
export function sqliteDirectory(options: Pick<OpenStoreOptions, 'databaseUrl' | 'dataDir'>): string | null {
  const { databaseUrl, dataDir } = options;
  if (databaseUrl === null) return dataDir;
  if (!/^(sqlite|file):/i.test(databaseUrl)) return null;
  const file = sqliteFileFromUrl(databaseUrl);
  return file === ':memory:' ? null : path.dirname(file);
}

async function openSqlite(file: string, synchronous: SqliteSynchronous, options: OpenStoreOptions): Promise<Store> {
  const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
  return openSqliteStore(file, synchronous, threadsOf(options));
}

function threadsOf(options: OpenStoreOptions): SqliteThreadOptions {
  return {
    readerThread: options.sqliteReaderThread ?? false,
    writerThread: options.sqliteWriterThread ?? false,
    writerThreadMinRecords: options.sqliteWriterThreadMinRecords,
  };
}
