import type pg from 'pg';
import { telemetryPartitions } from './partitions.js';

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
  for (const name of dropped) await client.query(`DROP TABLE "${name}"`);
  const deleted = (await client.query('DELETE FROM telemetry_default WHERE created_at < $1', [cutoffUs])).rowCount ?? 0;
  return { dropped, deleted };
}
