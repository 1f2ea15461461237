/**
 * The SQLite reader thread: its own connection to the store's file, running queries and
 * summaries so that a slow one (a scan, a summary over a million records) never holds the
 * HTTP thread's event loop, and so never holds up ingest. WAL lets it read while the HTTP
 * thread commits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteDatabase } from '../database/connection.js';
import type { ReadRequest, ReadResult, ReaderThreadData } from './reader-protocol.js';
import { SqliteTelemetryReads } from '../telemetry/telemetry-reads.js';
import { SqliteLicenseAlertCounts } from '../webhooks/license-alert-counts.js';

const { file } = workerData as ReaderThreadData;
const db = openSqliteDatabase(file, 'NORMAL');
const reads = new SqliteTelemetryReads(db);
let licenseCounts: SqliteLicenseAlertCounts | null = null;

async function run(request: ReadRequest): Promise<unknown> {
  switch (request.method) {
    case 'query':
      return reads.query(request.filter, request.page);
    case 'summarize':
      return reads.summarize(request.filter, request.options);
    case 'activity':
      return reads.activity(request.request);
    case 'installs':
      return reads.installs(request.request);
    case 'licenseAlertCounts':
      return (licenseCounts ??= new SqliteLicenseAlertCounts(db)).count(request.request);
    case 'insights':
      return reads.insights(request.request);
    case 'versionSeries':
      return reads.versionSeries(request.request);
  }
}

parentPort?.on('message', (request: ReadRequest) => {
  run(request).then(
    (value) => parentPort?.postMessage({ seq: request.seq, value } satisfies ReadResult),
    (error: unknown) => parentPort?.postMessage({ seq: request.seq, error: error instanceof Error ? error.message : String(error) } satisfies ReadResult),
  );
});
parentPort?.on('close', () => db.close());
