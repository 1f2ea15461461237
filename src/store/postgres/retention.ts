import type pg from 'pg';
import { detachExpired, finishDetached, unfinishedDetached } from './detached-retention.js';
import { telemetryPartitions } from './partitions.js';
import { subtractRollups } from './rollup-upkeep.js';
import { changedRows, inTransactionOn } from './statements.js';
import { subtractLicenseCounts } from './license-report-counts.js';
import { subtractFlaggedCounts } from './flagged-value-counts.js';

/** The partitions (of any interval) whose whole range ends at or before the cutoff. */
export async function expiredPartitions(client: pg.PoolClient, cutoffUs: number): Promise<string[]> {
  return (await telemetryPartitions(client)).filter((partition) => partition.toUs <= cutoffUs).map((partition) => partition.name);
}

/**
 * Finishes the retention of partitions an earlier pass detached and did not drop (it failed or
 * its process ended); returns their names. Call first in a pass, in a maintenance session.
 */
export async function finishUnfinishedRetention(client: pg.PoolClient, stepRows: number): Promise<string[]> {
  const names = await unfinishedDetached(client);
  for (const name of names) await finishDetached(client, name, stepRows);
  return names;
}

/**
 * Drops the expired partitions whole, one after the other (each detached, subtracted from the
 * rollups a range per transaction, dropped: detached-retention.ts), and deletes the DEFAULT
 * partition's rows created before the cutoff; call in a maintenance session
 * (maintenance-session.ts). Returns the dropped names and the number of deleted rows.
 */
export async function applyPgRetention(
  client: pg.PoolClient,
  cutoffUs: number,
  stepRows: number,
): Promise<{ dropped: string[]; deleted: number }> {
  const dropped = await expiredPartitions(client, cutoffUs);
  for (const name of dropped) {
    await detachExpired(client, name);
    await finishDetached(client, name, stepRows);
  }
  return { dropped, deleted: await deleteExpiredDefaultRows(client, cutoffUs) };
}

const EXPIRED = 'tally_expired';

/**
 * The DEFAULT partition's expired rows (normally none or few) deleted and, in the same
 * transaction, exactly those rows taken out of the rollups (an erasure deleting one of them at
 * the same time gets it or not, and subtracts only what its own DELETE removed).
 */
async function deleteExpiredDefaultRows(client: pg.PoolClient, cutoffUs: number): Promise<number> {
  return inTransactionOn(client, async () => {
    await client.query(`CREATE TEMP TABLE ${EXPIRED} ON COMMIT DROP AS SELECT * FROM telemetry_default WITH NO DATA`);
    const deleted = await changedRows(client, `WITH gone AS (DELETE FROM telemetry_default WHERE created_at < $1 RETURNING *)
      INSERT INTO ${EXPIRED} SELECT * FROM gone`, [cutoffUs]);
    if (deleted > 0) {
      // Rollups (bins, then counts), license counts, flagged value counts: the order an insert locks their rows (telemetry-table.ts).
      await subtractRollups(client, EXPIRED);
      await (await subtractLicenseCounts(client, EXPIRED))();
      await (await subtractFlaggedCounts(client, EXPIRED))();
    }
    return deleted;
  });
}
