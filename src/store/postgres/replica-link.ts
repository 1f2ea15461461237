import type pg from 'pg';
import type { ReadReplicaStatus } from '../contract/read-replicas.js';
import { openPgPool } from './connection.js';
import { primaryWalPosition, waitForReplay } from './replica-lag.js';

/** `postgres://user:secret@host:5433/db?sslkey=…` → `postgres://user@host:5433/db`: never a password in a status or a metric label. */
export function replicaLabel(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export interface ReplicaLinkOptions {
  url: string;
  schema?: string;
  maxLagMs: number;
  /** ms clock; Date.now unless a test says otherwise. */
  clock?: () => number;
}

/**
 * One read replica: its pool, and its replay lag as measured by `check` — the time from reading
 * the primary's WAL position to seeing the replica replay past it, i.e. how long a report
 * acknowledged on the primary takes to become readable there (decision 0035). An idle primary
 * writes no WAL, so an idle replica shows a lag of one round trip, not a growing one.
 */
export class ReplicaLink {
  readonly label: string;
  readonly pool: pg.Pool;
  readonly #maxLagMs: number;
  readonly #clock: () => number;
  #lagMs: number | null = null;
  #probeStartedMs: number | null = null;
  #error: string | null = 'not checked yet';
  #checking = false;

  constructor(options: ReplicaLinkOptions) {
    this.label = replicaLabel(options.url);
    this.pool = openPgPool({ url: options.url, schema: options.schema });
    this.#maxLagMs = options.maxLagMs;
    this.#clock = options.clock ?? Date.now;
  }

  status(): ReadReplicaStatus {
    if (this.#error !== null) return { replica: this.label, state: 'down', lag_ms: null, error: this.#error };
    const waited = this.#probeStartedMs === null ? 0 : this.#clock() - this.#probeStartedMs;
    const lag = Math.max(this.#lagMs ?? 0, waited);
    return { replica: this.label, state: lag > this.#maxLagMs ? 'behind' : 'in-use', lag_ms: lag, error: null };
  }

  /** Whether reads may go here now: it answered its last check and is no more than the bound behind. */
  usable(): boolean {
    return this.status().state === 'in-use';
  }

  /** A read failed because the replica is unreachable: no more reads until a check finds it back. */
  markDown(error: unknown): void {
    this.#error = error instanceof Error ? error.message : String(error);
    this.#lagMs = null;
  }

  /**
   * Measures the lag once (nothing when a check is still running: its wait already counts in
   * `status`); while the replica is behind, measures again at once, so that it is back in use as
   * soon as it has caught up. A failing primary leaves the state as it was.
   */
  async check(primary: pg.Pool, stopped: () => boolean): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      do {
        if (!(await this.#measure(primary, stopped))) return;
      } while (!stopped() && this.status().state === 'behind');
    } finally {
      this.#probeStartedMs = null;
      this.#checking = false;
    }
  }

  /** One measure; false when it could not be made (primary failing, replica down, stopping). */
  async #measure(primary: pg.Pool, stopped: () => boolean): Promise<boolean> {
    const started = this.#clock();
    let target: string;
    try {
      target = await primaryWalPosition(primary);
    } catch {
      return false;
    }
    this.#probeStartedMs = started;
    try {
      // Once it answers it is up: behind (by the wait so far) rather than down while replay catches up.
      const answered = (): void => void (this.#error = null);
      if (!(await waitForReplay(this.pool, target, stopped, answered))) return false;
      this.#lagMs = this.#clock() - started;
      return true;
    } catch (error) {
      this.markDown(error);
      return false;
    } finally {
      this.#probeStartedMs = null;
    }
  }
}
