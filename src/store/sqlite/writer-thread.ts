import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../store-unavailable.js';
import type { InsertBatch } from './telemetry-rows.js';
import type { WriteResult, WriterThreadData } from './writer-protocol.js';

interface Pending {
  resolve: (ids: (number | null)[]) => void;
  reject: (error: Error) => void;
}

/**
 * The calling side of the writer thread (writer-worker.ts). Started on the first write; if the
 * thread dies, its pending writes fail as "store unavailable" (nobody knows whether they were
 * committed, so they must not be retried one by one) and the next write starts a new thread.
 */
export class SqliteWriterThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  /** The promises of the writes in flight, for close(). */
  private readonly flights = new Set<Promise<unknown>>();
  private seq = 0;

  constructor(private readonly data: WriterThreadData) {}

  /** Whether a write is in flight (handed over, not yet answered). */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Commits the batch in one transaction on the thread's connection; resolves after the COMMIT. */
  insert(batch: InsertBatch): Promise<(number | null)[]> {
    const worker = this.worker ?? this.start();
    const seq = ++this.seq;
    const flight = new Promise<(number | null)[]>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(seq, { resolve, reject });
      worker.postMessage({ seq, batch: JSON.stringify(batch) });
    });
    this.flights.add(flight);
    const forget = (): void => void this.flights.delete(flight);
    flight.then(forget, forget);
    return flight;
  }

  /** Waits for the writes in flight, then stops the thread. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.flights]);
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(new URL('./writer-worker.js', import.meta.url), { workerData: this.data });
    worker.on('message', (result: WriteResult) => this.settle(result));
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`SQLite writer thread exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(result: WriteResult): void {
    const pending = this.pending.get(result.seq);
    this.pending.delete(result.seq);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in result) pending?.reject(Object.assign(new Error(result.error), result.code === null ? {} : { code: result.code }));
    else pending?.resolve(result.ids);
  }

  private fail(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    for (const pending of this.pending.values()) pending.reject(new StoreUnavailableError('The SQLite writer thread stopped', { cause: error }));
    this.pending.clear();
  }
}
