import type Database from 'better-sqlite3';
import type { NewTelemetryRecord } from '../../model/record.js';
import { insertManyVia } from '../contract/insert-many.js';
import type { TelemetryStore } from '../contract/store.js';
import { toInsertBatch } from './telemetry/insert-batch.js';
import { SqliteTelemetryReads } from './telemetry/telemetry-reads.js';
import { SqliteTelemetryWriter } from './telemetry/telemetry-writer.js';
import type { SqliteReaderThread } from './threads/reader-thread.js';
import type { SqliteWriterThread } from './threads/writer-thread.js';
import type { WalSync } from './database/wal-sync.js';

/**
 * The connection small groups commit on when it is not the store's own: `synchronous = NORMAL`,
 * each commit answered only after `wal` has synced it, so that the disk's wait is spent off the
 * event loop (decision 0049).
 */
export interface IngestConnection {
  db: Database.Database;
  wal: WalSync;
}

/** The store's helper threads, each with its own connection; null = that work stays on the caller's connection. */
export interface Threads {
  reader: SqliteReaderThread | null;
  writer: SqliteWriterThread | null;
  /** Groups of at least this many records commit on the writer thread. */
  writerMinRecords: number;
  /** Where groups too small for the writer thread commit; null = the store's own connection (FULL, NORMAL or OFF as configured). */
  ingest: IngestConnection | null;
}

/**
 * `TelemetryStore` for SQLite: every call goes to the connection that serves it. Reads go to the
 * reader thread when there is one (list and count stay here). Commits of `writerMinRecords` or
 * more go to the writer thread, and so does any commit while the writer thread has one in flight
 * (the group committer may hand over the next group before the last one is answered); the others
 * commit on this thread (latency-bound), on the ingest connection when there is one. So the writing
 * connections never wait for each other's write lock, and groups commit in the order they were
 * handed over.
 */
export function sqliteTelemetryStore(db: Database.Database, { reader, writer, writerMinRecords, ingest }: Threads): TelemetryStore {
  const reads = new SqliteTelemetryReads(db);
  const local = new SqliteTelemetryWriter(ingest?.db ?? db);
  const readsThere = reader ?? reads;
  const insertUnique = async (records: readonly NewTelemetryRecord[]): Promise<(number | null)[]> => {
    if (records.length === 0) return [];
    const onThread = writer !== null && (records.length >= writerMinRecords || writer.busy);
    if (onThread) return writer.insert(toInsertBatch(records));
    const ids = local.insert(toInsertBatch(records));
    if (ingest !== null) await ingest.wal.sync();
    return ids;
  };
  return {
    insertUnique,
    insertMany: insertManyVia(insertUnique),
    list: (options) => reads.list(options),
    count: () => reads.count(),
    query: (filter, page) => readsThere.query(filter, page),
    summarize: (filter, options) => readsThere.summarize(filter, options),
    activity: (request) => readsThere.activity(request),
    installs: (request) => readsThere.installs(request),
    insights: (request) => readsThere.insights(request),
    versionSeries: (request) => readsThere.versionSeries(request),
  };
}
