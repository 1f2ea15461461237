import type pg from 'pg';
import { monthRange, type MonthRange } from '../contract/maintenance.js';
import { selectRow } from './statements.js';

/** Serialises partition work per schema across processes (held to the end of the transaction). */
export const PARTITION_LOCK = "SELECT pg_advisory_xact_lock(hashtext('tally.partitions.' || current_schema()))";

/** `telemetry_2026_01` */
export function partitionName(month: MonthRange): string {
  return `telemetry_${month.suffix}`;
}

/** The current UTC month and the `monthsAhead` after it. */
export function monthsToPrepare(nowUs: number, monthsAhead: number): MonthRange[] {
  return Array.from({ length: monthsAhead + 1 }, (_, offset) => monthRange(nowUs, offset));
}

export interface EnsuredPartition {
  name: string;
  /** Rows of that month moved out of the DEFAULT partition. */
  moved: number;
}

/**
 * Creates the month's partition unless it exists; call inside a transaction holding
 * PARTITION_LOCK. A range partition cannot be created while the DEFAULT partition holds rows
 * of its range, so those rows are first copied to a temporary table, deleted from the default,
 * and inserted back through the parent (landing in the new partition), all in the transaction,
 * with telemetry locked from the copy on so that no concurrent insert slips between copy and delete.
 * Returns null when the partition was already there.
 */
export async function ensurePartition(client: pg.PoolClient, month: MonthRange): Promise<EnsuredPartition | null> {
  const name = partitionName(month);
  const exists = await selectRow<{ found: string | null }>(
    client, "SELECT to_regclass(format('%I.%I', current_schema(), $1::text))::text AS found", [name],
  );
  if (exists !== null && exists.found !== null) return null;
  const range = [month.fromUs, month.toUs];
  // Before copying: an insert committed between the copy and the DELETE would be deleted without
  // having been copied (READ COMMITTED takes a new snapshot per statement), losing an
  // acknowledged report. CREATE TABLE … PARTITION OF takes this lock below anyway.
  await client.query('LOCK TABLE telemetry IN ACCESS EXCLUSIVE MODE');
  const inDefault = 'FROM telemetry_default WHERE created_at >= $1 AND created_at < $2';
  const moved = (await client.query(`CREATE TEMP TABLE tally_moving ON COMMIT DROP AS SELECT * ${inDefault}`, range)).rowCount ?? 0;
  if (moved > 0) await client.query(`DELETE ${inDefault}`, range);
  await client.query(
    `CREATE TABLE "${name}" PARTITION OF telemetry FOR VALUES FROM (${month.fromUs}) TO (${month.toUs})`,
  );
  if (moved > 0) await client.query('INSERT INTO telemetry SELECT * FROM tally_moving');
  await client.query('DROP TABLE tally_moving');
  return { name, moved };
}
