import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** One sync's waiters: everyone who asked after the previous sync began. */
interface Waiters {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function waiters(): Waiters {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * PROBE, not kept (decision 0049): makes the commits of a `synchronous = NORMAL` connection durable
 * off the event loop, with `fdatasync` of the database's WAL file on libuv's thread pool. One sync
 * at a time: callers that ask while one runs share the next, which begins after theirs were written.
 */
export class WalSync {
  readonly #path: string;
  #handle: FileHandle | null = null;
  /** Callers waiting for a sync that has not begun yet. */
  #next: Waiters | null = null;
  /** The loop running the syncs asked for, while there is one. */
  #draining: Promise<void> | null = null;

  constructor(databaseFile: string) {
    this.#path = path.resolve(`${databaseFile}-wal`);
  }

  /** Resolves once everything written to the WAL before this call is on disk. */
  sync(): Promise<void> {
    this.#next ??= waiters();
    const { promise } = this.#next;
    this.#draining ??= this.#drain();
    return promise;
  }

  /** Waits for the syncs asked for, then closes the file. */
  async close(): Promise<void> {
    await this.#draining;
    await this.#handle?.close();
    this.#handle = null;
  }

  async #drain(): Promise<void> {
    while (this.#next !== null) {
      const current = this.#next;
      this.#next = null;
      try {
        this.#handle ??= await open(this.#path, 'r+');
        await this.#handle.datasync();
        current.resolve();
      } catch (error) {
        current.reject(error);
      }
    }
    this.#draining = null;
  }
}
