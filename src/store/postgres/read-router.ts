import type pg from 'pg';
import type { ReadReplicaStatus } from '../contract/read-replicas.js';
import { isStoreUnavailable } from '../contract/store-unavailable.js';
import { ReplicaLink } from './replica-link.js';

/**
 * Where the telemetry store's read-only statements run (`PgTelemetryTable`'s query, summarize,
 * activity, installs, insights, versionSeries, list, count): `read(work)` hands `work` the pool
 * it should use. Everything else (writes, the registry, keys, accounts) uses the primary pool.
 */
export interface PgReads {
  read<T>(work: (db: pg.Pool) => Promise<T>): Promise<T>;
  status(): readonly ReadReplicaStatus[];
  close(): Promise<void>;
}

/** No replicas: every read runs on the primary. */
export function primaryReads(primary: pg.Pool): PgReads {
  return { read: (work) => work(primary), status: () => [], close: async () => undefined };
}

export interface ReadRouterOptions {
  urls: readonly string[];
  schema?: string;
  /** A replica more than this far behind gets no reads (`--read-max-lag-ms`). */
  maxLagMs: number;
  /** How often each replica's lag is measured (ms). */
  checkIntervalMs: number;
}

/**
 * Reads spread over the replicas that are in use (round robin), else on the primary. A read that
 * fails on a replica, for whatever reason (it died mid-query, a recovery conflict cancelled it),
 * runs again on the primary, so a replica never costs a user an error; one that failed because the
 * replica is unreachable also takes that replica out until a check finds it back. Each replica's
 * lag is measured every `checkIntervalMs` (replica-link.ts); until its first check it gets no reads.
 */
export class PgReadRouter implements PgReads {
  readonly #primary: pg.Pool;
  readonly #links: ReplicaLink[];
  readonly #timer: NodeJS.Timeout;
  #next = 0;
  #closed = false;

  constructor(primary: pg.Pool, options: ReadRouterOptions) {
    this.#primary = primary;
    this.#links = options.urls.map((url) => new ReplicaLink({ url, schema: options.schema, maxLagMs: options.maxLagMs }));
    this.#timer = setInterval(() => this.#checkAll(), options.checkIntervalMs);
    this.#timer.unref();
    this.#checkAll();
  }

  async read<T>(work: (db: pg.Pool) => Promise<T>): Promise<T> {
    const link = this.#pick();
    if (link === null) return work(this.#primary);
    try {
      return await work(link.pool);
    } catch (error) {
      if (isStoreUnavailable(error)) link.markDown(error);
      return work(this.#primary);
    }
  }

  status(): readonly ReadReplicaStatus[] {
    return this.#links.map((link) => link.status());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await Promise.all(this.#links.map((link) => link.pool.end()));
  }

  #pick(): ReplicaLink | null {
    for (let tried = 0; tried < this.#links.length; tried++) {
      const link = this.#links[this.#next++ % this.#links.length];
      if (link?.usable()) return link;
    }
    return null;
  }

  #checkAll(): void {
    const stopped = (): boolean => this.#closed;
    for (const link of this.#links) void link.check(this.#primary, stopped);
  }
}
