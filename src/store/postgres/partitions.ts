import type pg from 'pg';
import { DAY_US } from '../../model/clock.js';
import { parsePartitionBound, partitionName, type PartitionRange } from './partition-plan.js';
import { selectRows } from './statements.js';

/**
 * A table partitioned by RANGE on one integer column of time, with a DEFAULT partition named
 * `<parent>_default`. `unitUs` is the column's unit in µs: 1 for a time in µs (telemetry's
 * created_at, the rollups' bucket_us), DAY_US for a day number (install_sketches.day). Ranges
 * are handled in µs everywhere else; only SQL sees the column's own unit.
 */
export interface PartitionedTable {
  parent: string;
  column: string;
  unitUs: number;
}

export const TELEMETRY_TABLE: PartitionedTable = { parent: 'telemetry', column: 'created_at', unitUs: 1 };
/** The rollups (docs/decisions/0039-rollup-partitions.md): monthly, by the bucket's record time or day. */
export const ROLLUP_TABLES: readonly PartitionedTable[] = [
  { parent: 'telemetry_rollups', column: 'bucket_us', unitUs: 1 },
  { parent: 'telemetry_rollup_bins', column: 'bucket_us', unitUs: 1 },
  { parent: 'install_sketches', column: 'day', unitUs: DAY_US },
];

const PARTITIONS_SQL = `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  WHERE i.inhparent = $1::regclass ORDER BY c.relname`;

/** A range partition of telemetry, as the catalog describes it. */
export interface TelemetryPartition extends PartitionRange {
  name: string;
}

/**
 * Every range partition of `table` (the DEFAULT partition left out), with the range (µs)
 * PostgreSQL holds for it: read from the catalog, not from names, so partitions of any interval,
 * made under any earlier setting, are seen as what they are.
 */
export async function partitionsOf(client: pg.PoolClient, table: PartitionedTable): Promise<TelemetryPartition[]> {
  const rows = await selectRows<{ name: string; bound: string | null }>(client, PARTITIONS_SQL, [table.parent]);
  return rows.flatMap((row) => {
    const range = row.bound === null ? null : parsePartitionBound(row.bound);
    return range === null ? [] : [{ name: row.name, fromUs: range.fromUs * table.unitUs, toUs: range.toUs * table.unitUs }];
  });
}

/** Every range partition of telemetry (partitionsOf). */
export function telemetryPartitions(client: pg.PoolClient): Promise<TelemetryPartition[]> {
  return partitionsOf(client, TELEMETRY_TABLE);
}

export interface EnsuredPartition {
  name: string;
  /** Rows of that range moved out of the DEFAULT partition. */
  moved: number;
}

/**
 * Creates the partition of `table` for `range` (which must overlap no existing partition:
 * partition-plan.ts); call in a transaction of its own (ddlStep) in a maintenance session
 * (maintenance-session.ts), so that the ACCESS EXCLUSIVE lock it takes is held only this long. A range partition cannot
 * be created while the DEFAULT partition holds rows of its range, so those rows are first copied
 * to a temporary table, deleted from the default, and inserted back through the parent (landing
 * in the new partition, keeping their identity values), all in the transaction, with the parent
 * locked from the copy on so that no concurrent insert slips between copy and delete.
 */
export async function createPartition(client: pg.PoolClient, range: PartitionRange, table: PartitionedTable = TELEMETRY_TABLE): Promise<EnsuredPartition> {
  const name = partitionName(range, table.parent);
  const bounds = [range.fromUs / table.unitUs, range.toUs / table.unitUs];
  // Before copying: an insert committed between the copy and the DELETE would be deleted without
  // having been copied (READ COMMITTED takes a new snapshot per statement), losing an
  // acknowledged report. CREATE TABLE … PARTITION OF takes this lock below anyway.
  await client.query(`LOCK TABLE ${table.parent} IN ACCESS EXCLUSIVE MODE`);
  const inDefault = `FROM ${table.parent}_default WHERE ${table.column} >= $1 AND ${table.column} < $2`;
  const moved = (await client.query(`CREATE TEMP TABLE tally_moving ON COMMIT DROP AS SELECT * ${inDefault}`, bounds)).rowCount ?? 0;
  if (moved > 0) await client.query(`DELETE ${inDefault}`, bounds);
  await client.query(`CREATE TABLE "${name}" PARTITION OF ${table.parent} FOR VALUES FROM (${bounds[0]}) TO (${bounds[1]})`);
  // OVERRIDING SYSTEM VALUE: install_sketches.id is GENERATED ALWAYS; a no-op for telemetry's BY DEFAULT id.
  if (moved > 0) await client.query(`INSERT INTO ${table.parent} OVERRIDING SYSTEM VALUE SELECT * FROM tally_moving`);
  await client.query('DROP TABLE tally_moving');
  return { name, moved };
}

/**
 * The UTC months (their first instant, µs) of the rows in `table`'s DEFAULT partition: months
 * that have no partition yet. The DEFAULT partition is normally empty or small, so this is cheap.
 */
export async function defaultMonths(client: pg.PoolClient, table: PartitionedTable): Promise<number[]> {
  const seconds = table.unitUs === 1 ? `floor(${table.column}::numeric / 1000000)` : `${table.column}::numeric * ${table.unitUs / 1_000_000}`;
  const rows = await selectRows<{ month: string }>(client, `SELECT DISTINCT
      (extract(epoch FROM date_trunc('month', to_timestamp(${seconds}::float8) AT TIME ZONE 'UTC')) * 1000000)::bigint AS month
    FROM ${table.parent}_default ORDER BY 1`);
  return rows.map((row) => Number(row.month));
}
