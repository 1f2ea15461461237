import type pg from 'pg';
import { telemetryPartitions } from './partitions.js';
import { subtractRollups } from './rollup-upkeep.js';
import { subtractLicenseCounts } from './license-report-counts.js';

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
  // Each partition's records leave the rollups and the license counts in the same transaction as
  // the drop (decisions 0033, 0040).
  for (const name of dropped) {
    const settle = await subtractAll(client, `"${name}"`);
    await client.query(`DROP TABLE "${name}"`);
    await settle();
  }
  const settle = await subtractAll(client, '(SELECT * FROM telemetry_default WHERE created_at < $1)', [cutoffUs]);
  const deleted = (await client.query('DELETE FROM telemetry_default WHERE created_at < $1', [cutoffUs])).rowCount ?? 0;
  await settle();
  return { dropped, deleted };
}

/**
 * Both subtractions of the records of `source`, and one call that settles both after the delete.
 * License counts first, then rollups: the order in which an insert locks their rows (telemetry-table.ts).
 */
async function subtractAll(client: pg.PoolClient, source: string, params: unknown[] = []): Promise<() => Promise<void>> {
  const licenses = await subtractLicenseCounts(client, source, params);
  const rollups = await subtractRollups(client, source, params);
  return async () => {
    await licenses();
    await rollups();
  };
}
