import type pg from 'pg';
import { telemetryPartitions } from './partitions.js';
import { subtractRollups } from './rollup-upkeep.js';

/** The partitions (of any interval) whose whole range ends at or before the cutoff. */
export async function expiredPartitions(client: pg.PoolClient, cutoffUs: number): Promise<string[]> {
  return (await telemetryPartitions(client)).filter((partition) => partition.toUs <= cutoffUs).map((partition) => partition.name);
}

/**
 * Drops the expired partitions whole and deletes the DEFAULT partition's rows created before
 * the cutoff; call inside a transaction holding PARTITION_LOCK. Returns the dropped names and
 * the number of deleted rows.
 */
export async function applyPgRetention(
  client: pg.PoolClient,
  cutoffUs: number,
): Promise<{ dropped: string[]; deleted: number }> {
  const dropped = await expiredPartitions(client, cutoffUs);
  // Each partition's records leave the rollups in the same transaction as the drop (decision 0033).
  for (const name of dropped) {
    const settle = await subtractRollups(client, `"${name}"`);
    await client.query(`DROP TABLE "${name}"`);
    await settle();
  }
  const settle = await subtractRollups(client, '(SELECT * FROM telemetry_default WHERE created_at < $1)', [cutoffUs]);
  const deleted = (await client.query('DELETE FROM telemetry_default WHERE created_at < $1', [cutoffUs])).rowCount ?? 0;
  await settle();
  return { dropped, deleted };
}
