import type Database from 'better-sqlite3';
import type { NewTelemetryRecord } from '../../model/record.js';
import { insertManyVia } from '../contract/insert-many.js';
import type { TelemetryStore } from '../contract/store.js';
import { toInsertBatch } from './telemetry/insert-batch.js';
import { SqliteTelemetryReads } from './telemetry/telemetry-reads.js';
import { SqliteTelemetryWriter } from './telemetry/telemetry-writer.js';
import type { SqliteReaderThread } from './threads/reader-thread.js';
import type { SqliteWriterThread } from './threads/writer-thread.js';

/** The store's helper threads, each with its own connection; null = that work stays on the caller's connection. */
export interface Threads {
  reader: SqliteReaderThread | null;
  writer: SqliteWriterThread | null;
  /** Groups of at least this many records commit on the writer thread. */
  writerMinRecords: number;
}

/**
 * `TelemetryStore` for SQLite: every call goes to the connection that serves it. Reads go to the
 * reader thread when there is one (list and count stay here). Commits of `writerMinRecords` or
 * more go to the writer thread, and so does any commit while the writer thread has one in flight
 * (the group committer may hand over the next group before the last one is answered); the others
 * commit on this connection (latency-bound). So the two connections never wait for each other's
 * write lock, and groups commit in the order they were handed over.
 */
export function sqliteTelemetryStore(db: Database.Database, { reader, writer, writerMinRecords }: Threads): TelemetryStore {
  const reads = new SqliteTelemetryReads(db);
  const local = new SqliteTelemetryWriter(db);
  const readsThere = reader ?? reads;
  const insertUnique = async (records: readonly NewTelemetryRecord[]): Promise<(number | null)[]> => {
    if (records.length === 0) return [];
    const onThread = writer !== null && (records.length >= writerMinRecords || writer.busy);
    return onThread ? writer.insert(toInsertBatch(records)) : local.insert(toInsertBatch(records));
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
