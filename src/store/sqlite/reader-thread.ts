import { Worker } from 'node:worker_threads';
import type { PageRequest, TelemetryFilter } from '../../query/telemetry-filter.js';
import type { ActivityRequest, ActivityRow } from '../../query/activity.js';
import type { SummaryOptions, TelemetrySummary } from '../../query/summary.js';
import type { TelemetryRecord } from '../../telemetry/record.js';
import type { ReadRequest, ReadResult, ReaderThreadData } from './reader-protocol.js';

type WithoutSeq<T> = T extends unknown ? Omit<T, 'seq'> : never;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The calling side of the reader thread (reader-worker.ts). Started on the first read; if the
 * thread dies, its pending reads fail and the next read starts a new one. Reads are not on the
 * ingest path, so the hop to another thread costs nothing that matters there.
 */
export class SqliteReaderThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private seq = 0;

  constructor(private readonly data: ReaderThreadData) {}

  query(filter: TelemetryFilter, page: PageRequest): Promise<TelemetryRecord[]> {
    return this.call({ method: 'query', filter, page }) as Promise<TelemetryRecord[]>;
  }

  summarize(filter: TelemetryFilter, options: SummaryOptions): Promise<TelemetrySummary> {
    return this.call({ method: 'summarize', filter, options }) as Promise<TelemetrySummary>;
  }

  activity(request: ActivityRequest): Promise<ActivityRow[]> {
    return this.call({ method: 'activity', request }) as Promise<ActivityRow[]>;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private call(request: WithoutSeq<ReadRequest>): Promise<unknown> {
    const worker = this.worker ?? this.start();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(seq, { resolve, reject });
      worker.postMessage({ ...request, seq });
    });
  }

  private start(): Worker {
    const worker = new Worker(new URL('./reader-worker.js', import.meta.url), { workerData: this.data });
    worker.on('message', (result: ReadResult) => this.settle(result));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`SQLite reader thread exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(result: ReadResult): void {
    const pending = this.pending.get(result.seq);
    this.pending.delete(result.seq);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in result) pending?.reject(new Error(result.error));
    else pending?.resolve(result.value);
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
