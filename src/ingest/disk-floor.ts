import { statfs } from 'node:fs/promises';

/** Free bytes on the filesystem of a path, for unprivileged writers (statfs `bavail`). */
export type FreeBytes = (directory: string) => Promise<number>;

export const freeBytesOf: FreeBytes = async (directory) => {
  const stats = await statfs(directory);
  return stats.bavail * stats.bsize;
};

/** How long a reading of the free space is trusted before the next one is taken. */
export const DISK_FLOOR_REFRESH_MS = 1000;

/**
 * Whether the disk that holds the SQLite database still has more free space than the floor
 * (`--min-free-disk-mb`). Free space is read with statfs at most once per second: the first
 * check waits for it, later ones answer from the last reading while the next is taken in the
 * background, so a write costs no system call. Between readings the store can grow by what one
 * second of ingest writes (measured up to ~130 MiB/s), which the floor must leave room for. A
 * failed reading keeps the last one (or lets writes through when there is none: the store's own
 * error then answers 503).
 */
export class DiskFloor {
  readonly #directory: string;
  readonly #floorBytes: number;
  readonly #freeBytes: FreeBytes;
  readonly #now: () => number;
  #free: number | null = null;
  #readAt = -Infinity;
  #reading: Promise<void> | null = null;

  constructor(directory: string, floorBytes: number, freeBytes: FreeBytes = freeBytesOf, now: () => number = Date.now) {
    this.#directory = directory;
    this.#floorBytes = floorBytes;
    this.#freeBytes = freeBytes;
    this.#now = now;
  }

  /** True while free space is above the floor. */
  async allowsWrites(): Promise<boolean> {
    if (this.#now() - this.#readAt >= DISK_FLOOR_REFRESH_MS) {
      const reading = this.#read();
      if (this.#free === null) await reading;
    }
    return this.#free === null || this.#free > this.#floorBytes;
  }

  #read(): Promise<void> {
    this.#reading ??= this.#freeBytes(this.#directory)
      .then((free) => { this.#free = free; }, () => undefined)
      .finally(() => {
        this.#readAt = this.#now();
        this.#reading = null;
      });
    return this.#reading;
  }
}
