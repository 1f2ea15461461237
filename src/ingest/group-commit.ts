import type { NewTelemetryRecord } from '../model/record.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { isStoreUnavailable } from '../store/contract/store-unavailable.js';

/** What one caller queued: one report, or a batch that must commit whole (appendAll). */
interface Pending {
  records: readonly NewTelemetryRecord[];
  resolve: (ids: (number | null)[]) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Most records in one transaction. */
  maxBatch: number;
  /** How long the first record of a group waits for company; 0 = end of this event-loop turn. */
  windowMs: number;
  /**
   * Most groups handed to the store at once (default 1). More suits a store that commits in the
   * background in order (the SQLite writer thread): it gets the next group while it commits one.
   */
  maxCommitsInFlight?: number;
  /**
   * Hand the next group to the store before answering the callers of a committed one (default
   * false). Suits a store that commits in another process (PostgreSQL): it works on the next
   * group while this process writes the answers, instead of waiting for them. The callers are
   * answered in the next turn of the event loop, after the next group went out.
   */
  nextGroupFirst?: boolean;
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
 * group's commit. One commit runs at a time (or `maxCommitsInFlight`): whatever arrives while
 * they run waits and then goes as the next group, so a store whose commit is a network round
 * trip (PostgreSQL) gets groups as large as the load, not one per event-loop turn queued behind
 * each other. If a group's commit fails, its records are retried one by one, so a record the
 * store cannot take fails alone; when the store cannot commit at all, every caller is rejected
 * and nothing was acknowledged. A group that failed because the database is unavailable
 * (connection lost, locked, disk full: store-unavailable.ts) is rejected whole, not retried:
 * after a lost connection nobody knows whether it was committed, and a retry could store it
 * twice; a locked SQLite file would make each retry wait out the busy timeout again.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  /** Cancels the scheduled flush; null when none is scheduled. */
  private cancelScheduled: (() => void) | null = null;
  /** The commits holding a slot (maxCommitsInFlight): running in the store. */
  private readonly committing = new Set<Promise<void>>();
  /** Every commit whose callers are not all answered yet (drain waits for them). */
  private readonly unsettled = new Set<Promise<void>>();
  private inFlight = 0;
  /** Records in `queue`. */
  private queued = 0;
  readonly stats = { commits: 0, records: 0, largestBatch: 0 };
  readonly health: CommitHealth = { lastOkMs: 0, lastFailureMs: 0 };

  constructor(
    private readonly store: TelemetryStore,
    private readonly options: GroupCommitOptions,
  ) {}

  /**
   * Queues a record; resolves with its id once it is durably committed, or with null when it was
   * not stored because its event_id is already stored (TelemetryStore.insertUnique).
   */
  async append(record: NewTelemetryRecord): Promise<number | null> {
    const [id] = await this.appendAll([record]);
    return id ?? null;
  }

  /**
   * Queues records that commit together in one transaction, all or none (a batch request); they
   * may share it with other callers' reports. Resolves with one slot per record, as append does.
   */
  appendAll(records: readonly NewTelemetryRecord[]): Promise<(number | null)[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.queued += records.length;
      // While the commits run, the end of one starts the next group with everything queued meanwhile.
      if (this.busy) return;
      if (this.queued >= this.options.maxBatch) this.flush();
      else this.schedule();
    });
  }

  /** Records waiting for or in a commit. */
  get depth(): number {
    return this.queued + this.inFlight;
  }

  /** Commits everything queued so far and waits for all commits to finish and their callers to be answered. */
  async drain(): Promise<void> {
    this.flush();
    while (this.unsettled.size > 0 || this.queue.length > 0) {
      await Promise.all(this.unsettled);
      this.flush();
    }
  }

  /** As many commits run as may. */
  private get busy(): boolean {
    return this.committing.size >= (this.options.maxCommitsInFlight ?? 1);
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
    while (!this.busy && this.queue.length > 0) {
      // Frees the slot once (when the store has answered, or when all is over) and starts the next group.
      const free = (): void => {
        if (this.committing.delete(running)) this.flush();
      };
      const running: Promise<void> = this.commit(this.takeGroup(), free).finally(() => {
        free();
        this.unsettled.delete(running);
      });
      this.committing.add(running);
      this.unsettled.add(running);
    }
  }

  /** Callers from the head of the queue up to maxBatch records (always at least one caller, whole). */
  private takeGroup(): Pending[] {
    let count = 0;
    let take = 0;
    for (const pending of this.queue) {
      if (take > 0 && count + pending.records.length > this.options.maxBatch) break;
      count += pending.records.length;
      take++;
    }
    this.queued -= count;
    this.inFlight += count;
    return this.queue.splice(0, take);
  }

  /** Commits one group and answers its callers; `free` gives up its slot (called early when nextGroupFirst). */
  private async commit(group: Pending[], free?: () => void): Promise<void> {
    const records = group.flatMap((p) => p.records);
    const started = performance.now();
    try {
      const ids = await this.store.insertUnique(records);
      this.health.lastOkMs = Date.now();
      this.options.observer?.committed(records.filter((_, i) => ids[i] !== null), (performance.now() - started) / 1000);
      if (this.options.nextGroupFirst === true && free !== undefined) {
        free();
        // The next group's statement goes out in this turn (the pool sends it from process.nextTick); the answers after it.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      this.settle(group, ids);
    } catch (error) {
      this.health.lastFailureMs = Date.now();
      this.options.observer?.commitFailed();
      // One caller's records the store cannot take must not sink the others: retry each caller alone.
      if (group.length > 1 && !isStoreUnavailable(error)) for (const pending of group) await this.commit([pending]);
      else this.fail(group, error);
    }
  }

  private fail(group: Pending[], error: unknown): void {
    for (const pending of group) {
      this.inFlight -= pending.records.length;
      pending.reject(error);
    }
  }

  private settle(group: Pending[], ids: (number | null)[]): void {
    this.stats.commits++;
    this.stats.records += ids.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, ids.length);
    this.inFlight -= ids.length;
    let next = 0;
    for (const pending of group) {
      pending.resolve(ids.slice(next, next + pending.records.length));
      next += pending.records.length;
    }
  }
}
