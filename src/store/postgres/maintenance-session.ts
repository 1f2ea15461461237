import type pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPgError } from './connection.js';
import { inTransactionOn } from './statements.js';

/**
 * Serialises maintenance passes per schema across processes. A session lock, held by the one
 * connection a pass runs on for the whole pass (which is many short transactions: decision 0041);
 * a pass that fails ends that connection, and the lock (with its temporary tables) goes with it.
 */
const LOCK_KEY = "hashtext('tally.partitions.' || current_schema())";

/**
 * How long a DDL step waits for its lock. While it waits, every insert queues behind it (the
 * lock queue is first come, first served), so the wait is short: a step that does not get its
 * lock in time gives up and is tried again a few times, then at the next pass.
 */
export const DDL_LOCK_TIMEOUT_MS = 500;
const DDL_ATTEMPTS = 5;
const LOCK_NOT_AVAILABLE = '55P03';

/** Runs `work` on one connection holding the per-schema maintenance lock (waiting for another pass to end). */
export async function withMaintenanceSession<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    const result = await work(client);
    await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
    client.release();
    return result;
  } catch (error) {
    // Destroyed, not returned to the pool: its session lock and session temporary tables end with it.
    client.release(error instanceof Error ? error : true);
    throw error;
  }
}

/**
 * Runs `work` (DDL, taking an ACCESS EXCLUSIVE lock) in a transaction of its own whose lock waits
 * end after DDL_LOCK_TIMEOUT_MS; on such a timeout the transaction rolls back whole and is tried
 * again after a pause, up to DDL_ATTEMPTS times. Inserts wait for it at most that timeout plus
 * the statement's own duration.
 */
export async function ddlStep<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await inTransactionOn(client, async () => {
        await client.query(`SET LOCAL lock_timeout = '${DDL_LOCK_TIMEOUT_MS}ms'`);
        return work();
      });
    } catch (error) {
      if (!isPgError(error, LOCK_NOT_AVAILABLE) || attempt >= DDL_ATTEMPTS) throw error;
      await sleep(attempt * 200);
    }
  }
}
