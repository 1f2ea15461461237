import type pg from 'pg';
import { monthFromSuffix } from '../contract/maintenance.js';
import { selectRows } from './statements.js';
import { subtractRollups } from './rollup-upkeep.js';

const PARTITIONS_SQL = `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'telemetry'::regclass ORDER BY c.relname`;

/** The monthly partitions (`telemetry_YYYY_MM`) whose whole month ends at or before the cutoff. */
export async function expiredPartitions(client: pg.PoolClient, cutoffUs: number): Promise<string[]> {
  const rows = await selectRows<{ name: string }>(client, PARTITIONS_SQL);
  return rows
    .map((row) => row.name)
    .filter((name) => {
      const month = monthFromSuffix(name.replace(/^telemetry_/, ''));
      return month !== null && month.toUs <= cutoffUs;
    });
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
