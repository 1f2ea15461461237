import type { SqliteSynchronous } from '../database/connection.js';

/** What the writer thread is started with. */
export interface WriterThreadData {
  file: string;
  synchronous: SqliteSynchronous;
}

/** An InsertBatch (telemetry/insert-batch.ts) as JSON text, to commit in one transaction. */
export interface WriteRequest {
  seq: number;
  batch: string;
}

/** The committed rows' slots (an id, or null for an event_id already stored), or why the commit failed; `code` is SQLite's (SQLITE_BUSY, …). */
export type WriteResult = { seq: number; ids: (number | null)[] } | { seq: number; error: string; code: string | null };
