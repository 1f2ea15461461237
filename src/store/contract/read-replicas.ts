/**
 * How one read replica stands, for `/readyz` and `/metrics` (docs/operations.md, "Read replicas"):
 * `in-use` gets reads; `behind` (replay lag over `--read-max-lag-ms`) and `down` (no answer, or not
 * a standby) get none until a check finds them caught up again.
 */
export type ReadReplicaState = 'in-use' | 'behind' | 'down';

export interface ReadReplicaStatus {
  /** The replica's URL without password or query parameters (`postgres://user@host:port/db`). */
  replica: string;
  state: ReadReplicaState;
  /**
   * How long a commit acknowledged on the primary took to become visible on the replica at the
   * last check, or how long the check in progress has waited if that is longer; null when down.
   */
  lag_ms: number | null;
  /** Why it is down (the error's message), else null. */
  error: string | null;
}
