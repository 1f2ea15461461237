import type { NewTelemetryRecord } from '../telemetry/record.js';
import type { TelemetryStore } from './store.js';
import { isStoreUnavailable } from './store-unavailable.js';

interface Pending {
  record: NewTelemetryRecord;
  resolve: (id: number) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most records in one transaction. */
  maxBatch: number;
  /** How long the first record of a group waits for company; 0 = end of this event-loop turn. */
  windowMs: number;
  /** Told about every commit (metrics). */
  observer?: CommitObserver;
}

/** Learns of every commit attempt: the records of a committed group, or a failure. */
export interface CommitObserver {
  committed(records: readonly NewTelemetryRecord[], seconds: number): void;
  commitFailed(): void;
}

/** When commits last succeeded and failed (ms since the epoch; 0 = never), for readiness. */
export interface CommitHealth {
  lastOkMs: number;
  lastFailureMs: number;
}

/**
 * Commits reports in groups: every report that arrives while a group is open (one event-loop
 * turn, or `windowMs`), up to `maxBatch`, goes into one transaction, so throughput does not
 * hinge on one fsync per report. Each caller's promise resolves with its id only after the
 * group's commit. One commit runs at a time: whatever arrives while it runs waits and then goes
 * as the next group, so a store whose commit is a network round trip (PostgreSQL) gets groups as
 * large as the load, not one per event-loop turn queued behind each other. If a group's commit
 * fails, its records are retried one by one, so a record the store cannot take fails alone; when
 * the store cannot commit at all, every caller is rejected and nothing was acknowledged. A group
 * that failed because the database is unavailable (connection lost, locked, disk full:
 * store-unavailable.ts) is rejected whole, not retried: after a lost connection nobody knows
 * whether it was committed, and a retry could store it twice; a locked SQLite file would make
 * each retry wait out the busy timeout again.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  /** Cancels the scheduled flush; null when none is scheduled. */
  private cancelScheduled: (() => void) | null = null;
  private committing: Promise<void> = Promise.resolve();
  private busy = false;
  private inFlight = 0;
  readonly stats = { commits: 0, records: 0, largestBatch: 0 };
  readonly health: CommitHealth = { lastOkMs: 0, lastFailureMs: 0 };

  constructor(
    private readonly store: TelemetryStore,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Queues a record; resolves with its id once it is durably committed. */
  append(record: NewTelemetryRecord): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      // While a commit runs, its end starts the next group with everything queued meanwhile.
      if (this.busy) return;
      if (this.queue.length >= this.options.maxBatch) this.flush();
      else this.schedule();
    });
  }

  /** Records waiting for or in a commit. */
  get depth(): number {
    return this.queue.length + this.inFlight;
  }

  /** Commits everything queued so far and waits for all commits to finish. */
  async drain(): Promise<void> {
    this.flush();
    while (this.busy || this.queue.length > 0) {
      await this.committing;
      this.flush();
    }
  }

  private schedule(): void {
    if (this.cancelScheduled !== null) return;
    const run = (): void => this.flush();
    if (this.options.windowMs > 0) {
      const timer = setTimeout(run, this.options.windowMs);
      this.cancelScheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(run);
      this.cancelScheduled = () => clearImmediate(immediate);
    }
  }

  private flush(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = null;
    if (this.busy || this.queue.length === 0) return;
    const group = this.queue.splice(0, this.options.maxBatch);
    this.busy = true;
    this.inFlight += group.length;
    this.committing = this.commit(group).finally(() => {
      this.busy = false;
      this.flush();
    });
  }

  private async commit(group: Pending[]): Promise<void> {
    const records = group.map((p) => p.record);
    const started = performance.now();
    try {
      const ids = await this.store.insertMany(records);
      this.health.lastOkMs = Date.now();
      this.options.observer?.committed(records, (performance.now() - started) / 1000);
      this.settle(group, ids);
    } catch (error) {
      this.health.lastFailureMs = Date.now();
      this.options.observer?.commitFailed();
      // One record the store cannot take must not sink the others: retry them one by one.
      if (group.length > 1 && !isStoreUnavailable(error)) for (const pending of group) await this.commit([pending]);
      else this.fail(group, error);
    }
  }

  private fail(group: Pending[], error: unknown): void {
    this.inFlight -= group.length;
    for (const pending of group) pending.reject(error);
  }

  private settle(group: Pending[], ids: number[]): void {
    this.stats.commits++;
    this.stats.records += group.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, group.length);
    this.inFlight -= group.length;
    group.forEach((p, i) => p.resolve(ids[i] as number));
  }
}
