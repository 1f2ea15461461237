import type pg from 'pg';
import { parsePartitionBound, partitionName, type PartitionRange } from './partition-plan.js';
import { selectRows } from './statements.js';

/** Serialises partition work per schema across processes (held to the end of the transaction). */
export const PARTITION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('tally.partitions.' || current_schema()))";

const PARTITIONS_SQL = `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = 'telemetry'::regclass ORDER BY c.relname`;

/** A range partition of telemetry, as the catalog describes it. */
export interface TelemetryPartition extends PartitionRange {
  name: string;
}

/**
 * Every range partition of telemetry (the DEFAULT partition left out), with the range PostgreSQL
 * holds for it: read from the catalog, not from names, so partitions of any interval, made under
 * any earlier setting, are seen as what they are.
 */
export async function telemetryPartitions(client: pg.PoolClient): Promise<TelemetryPartition[]> {
  const rows = await selectRows<{ name: string; bound: string | null }>(client, PARTITIONS_SQL);
  return rows.flatMap((row) => {
    const range = row.bound === null ? null : parsePartitionBound(row.bound);
    return range === null ? [] : [{ name: row.name, ...range }];
  });
}

export interface EnsuredPartition {
  name: string;
  /** Rows of that range moved out of the DEFAULT partition. */
  moved: number;
}

/**
 * Creates the partition for `range` (which must overlap no existing partition: partition-plan.ts);
 * call inside a transaction holding PARTITION_LOCK. A range partition cannot be created while the
 * DEFAULT partition holds rows of its range, so those rows are first copied to a temporary table,
 * deleted from the default, and inserted back through the parent (landing in the new partition),
 * all in the transaction, with telemetry locked from the copy on so that no concurrent insert slips
 * between copy and delete.
 */
export async function createPartition(client: pg.PoolClient, range: PartitionRange): Promise<EnsuredPartition> {
  const name = partitionName(range);
  const bounds = [range.fromUs, range.toUs];
  // Before copying: an insert committed between the copy and the DELETE would be deleted without
  // having been copied (READ COMMITTED takes a new snapshot per statement), losing an
  // acknowledged report. CREATE TABLE … PARTITION OF takes this lock below anyway.
  await client.query('LOCK TABLE telemetry IN ACCESS EXCLUSIVE MODE');
  const inDefault = 'FROM telemetry_default WHERE created_at >= $1 AND created_at < $2';
  const moved = (await client.query(`CREATE TEMP TABLE tally_moving ON COMMIT DROP AS SELECT * ${inDefault}`, bounds)).rowCount ?? 0;
  if (moved > 0) await client.query(`DELETE ${inDefault}`, bounds);
  await client.query(
    `CREATE TABLE "${name}" PARTITION OF telemetry FOR VALUES FROM (${range.fromUs}) TO (${range.toUs})`,
  );
  if (moved > 0) await client.query('INSERT INTO telemetry SELECT * FROM tally_moving');
  await client.query('DROP TABLE tally_moving');
  return { name, moved };
}
