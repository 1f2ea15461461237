/**
 * The SQLite writer thread: its own connection to the store's file, committing large groups of
 * telemetry rows (batch requests), so that the HTTP thread reads and checks the next batch while
 * this one is written and synced. Groups arrive in order and commit one after another; the HTTP
 * thread's connection commits nothing while one is in flight (telemetry-store.ts), so the two never
 * wait for each other's write lock.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase } from '../database/connection.js';
import type { InsertBatch } from '../telemetry/insert-batch.js';
import { SqliteTelemetryWriter } from '../telemetry/telemetry-writer.js';
import type { WriteRequest, WriteResult, WriterThreadData } from './writer-protocol.js';

const { file, synchronous } = workerData as WriterThreadData;
const db = openSqliteDatabase(file, synchronous);
const writer = new SqliteTelemetryWriter(db);

function codeOf(error: unknown): string | null {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : null;
}

parentPort?.on('message', ({ seq, batch }: WriteRequest) => {
  let result: WriteResult;
  try {
    result = { seq, ids: writer.insert(JSON.parse(batch) as InsertBatch) };
  } catch (error) {
    result = { seq, error: error instanceof Error ? error.message : String(error), code: codeOf(error) };
  }
  parentPort?.postMessage(result);
});
parentPort?.on('close', () => db.close());
