import type { QueuedReport } from './reports.js';

/**
 * Where queued reports survive a restart. The client calls these one at a time (never two at
 * once) and keeps its own copy in memory: `load` once at start, `append` for new reports,
 * `replace` with the whole queue after reports were sent or dropped.
 */
export interface QueueStorage {
  load(): Promise<QueuedReport[]>;
  append(reports: readonly QueuedReport[]): Promise<void>;
  replace(reports: readonly QueuedReport[]): Promise<void>;
}

/** Keeps the queue in memory only (lost when the process ends): the default. */
export class MemoryQueueStorage implements QueueStorage {
  #reports: QueuedReport[] = [];

  async load(): Promise<QueuedReport[]> {
    return [...this.#reports];
  }

  async append(reports: readonly QueuedReport[]): Promise<void> {
    this.#reports.push(...reports);
  }

  async replace(reports: readonly QueuedReport[]): Promise<void> {
    this.#reports = [...reports];
  }
}
