import type { InsertBatch } from '../telemetry/insert-batch.js';
import { WorkerChannel } from './worker-channel.js';
import type { WriteRequest, WriteResult, WriterThreadData } from './writer-protocol.js';
import { StoreUnavailableError } from '../../../model/errors.js';

/**
 * The calling side of the writer thread (writer-worker.ts). Started on the first write; if the
 * thread dies, its pending writes fail as "store unavailable" (nobody knows whether they were
 * committed, so they must not be retried one by one) and the next write starts a new thread.
 */
export class SqliteWriterThread {
  readonly #channel: WorkerChannel<Omit<WriteRequest, 'seq'>, WriteResult>;

  constructor(data: WriterThreadData) {
    this.#channel = new WorkerChannel(new URL('./writer-worker.js', import.meta.url), data,
      (error) => new StoreUnavailableError('The SQLite writer thread stopped', { cause: error }));
  }

  /** Whether a write is in flight (handed over, not yet answered). */
  get busy(): boolean {
    return this.#channel.busy;
  }

  /** Commits the batch in one transaction on the thread's connection; resolves after the COMMIT. */
  async insert(batch: InsertBatch): Promise<(number | null)[]> {
    const result = await this.#channel.send({ batch: JSON.stringify(batch) });
    if ('error' in result) throw Object.assign(new Error(result.error), result.code === null ? {} : { code: result.code });
    return result.ids;
  }

  /** Waits for the writes in flight, then stops the thread. */
  close(): Promise<void> {
    return this.#channel.close();
  }
}
