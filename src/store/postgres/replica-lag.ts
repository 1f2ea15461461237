import type { PgQueryable } from './queryable.js';

/** The first pause between two asks of a replica that has not replayed the target yet; it doubles up to MAX_POLL_MS. */
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;

/** A replica that is not a standby (a primary, or a promoted standby) is not read from: its data may have parted from the primary's. */
export class NotAStandbyError extends Error {
  override readonly name = 'NotAStandbyError';
}

/** Where the primary writes WAL now: every commit acknowledged before this call is at or before it. */
export async function primaryWalPosition(primary: PgQueryable): Promise<string> {
  const { rows } = await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const lsn = rows[0]?.lsn;
  if (lsn === undefined) throw new Error('pg_current_wal_lsn() answered no row');
  return lsn;
}

/**
 * Asks the replica, pausing 5 ms, 10 ms, … up to 100 ms between asks, until it has replayed the
 * WAL up to `target` (`pg_last_wal_replay_lsn() >= target`): from then on, every commit
 * acknowledged on the primary before `target` was read is visible to its queries. Resolves true
 * then, false when `stopped()` says to give up; rejects when the replica fails or is no standby.
 * `answered` is called after each answer that shows a standby (it is up, if perhaps behind).
 */
export async function waitForReplay(replica: PgQueryable, target: string, stopped: () => boolean, answered: () => void = () => undefined): Promise<boolean> {
  let pause = FIRST_POLL_MS;
  for (;;) {
    const { rows } = await replica.query<{ standby: boolean; replayed: boolean }>(
      'SELECT pg_is_in_recovery() AS standby, COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS replayed',
      [target],
    );
    const row = rows[0];
    if (row === undefined || !row.standby) throw new NotAStandbyError('not a standby: pg_is_in_recovery() is false');
    answered();
    if (row.replayed) return true;
    if (stopped()) return false;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, MAX_POLL_MS);
  }
}
