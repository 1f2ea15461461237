import type pg from 'pg';
import { HyperLogLog } from '../../model/hyperloglog.js';
import { firstSketchDayKept, type ErasedMachine } from '../contract/install-rollup.js';
import { RECORD_TIME_SQL as T } from '../contract/record-time-sql.js';
import { INSTALLS_KEYS_SQL as KEYS, OS_LATERAL } from './installs-keys-sql.js';
import { inTransaction, selectRows } from './statements.js';

/** Keys merged per compaction transaction. */
const KEYS_PER_PASS = 500;

/** Up to KEYS_PER_PASS keys with several delta rows: their rows deleted and returned in one statement. */
const TAKE_SQL = `DELETE FROM install_sketches WHERE (product_id, day, version, os) IN (
    SELECT product_id, day, version, os FROM install_sketches GROUP BY 1, 2, 3, 4 HAVING count(*) > 1 LIMIT ${KEYS_PER_PASS})
  RETURNING product_id, day, version, os, machines, users`;

const PUT_SQL = `INSERT INTO install_sketches (product_id, day, version, os, machines, users)
  SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::bytea[], $6::bytea[])`;

interface DeltaRow {
  product_id: number;
  day: number;
  version: string;
  os: string;
  machines: Buffer;
  users: Buffer;
}

/**
 * Merges each key's delta rows (install-rollups.ts) into one, a transaction per KEYS_PER_PASS keys:
 * the rows are deleted and their merge inserted in the same transaction, so a reader sees either.
 * A delta committed meanwhile is not deleted (not in the DELETE's snapshot) and stays for the
 * next pass. Two instances compacting at once may both write a key's merge: a sketch merged twice
 * counts the same (register-wise max), so nothing is counted twice. Returns the rows merged.
 */
export async function compactInstallSketches(pool: pg.Pool): Promise<number> {
  let merged = 0;
  for (;;) {
    const taken = await inTransaction(pool, async (client) => {
      const rows = await selectRows<DeltaRow>(client, TAKE_SQL);
      if (rows.length > 0) await client.query(PUT_SQL, mergedColumns(rows));
      return rows.length;
    });
    merged += taken;
    if (taken === 0) return merged;
  }
}

function mergedColumns(rows: readonly DeltaRow[]): unknown[][] {
  const keys = new Map<string, { row: DeltaRow; machines: HyperLogLog; users: HyperLogLog }>();
  for (const row of rows) {
    const id = JSON.stringify([row.product_id, row.day, row.version, row.os]);
    const key = keys.get(id) ?? { row, machines: new HyperLogLog(), users: new HyperLogLog() };
    key.machines.mergeBytes(row.machines);
    key.users.mergeBytes(row.users);
    keys.set(id, key);
  }
  const merged = [...keys.values()];
  return [
    merged.map((k) => k.row.product_id), merged.map((k) => k.row.day), merged.map((k) => k.row.version), merged.map((k) => k.row.os),
    merged.map((k) => k.machines.encode()), merged.map((k) => k.users.encode()),
  ];
}

/** Retention of the sketches: every day that may have held a report created before the cutoff. */
export async function deleteExpiredInstallSketches(client: pg.PoolClient, cutoffUs: number): Promise<void> {
  await client.query('DELETE FROM install_sketches WHERE day < $1', [firstSketchDayKept(cutoffUs)]);
}

const IN_LIST = '(product_id, activation_identifier) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))';

/** The rows of one id range's remaining reports of the machines, the first of each (record time, then id). */
const REBUILD_SQL = `INSERT INTO install_first_seen AS seen (product_id, activation_identifier, first_time, version, os)
  SELECT DISTINCT ON (product_id, activation_identifier) product_id, activation_identifier, ${T}, ${KEYS.version}, ${KEYS.os}
  FROM telemetry ${OS_LATERAL} WHERE id BETWEEN $3 AND $4 AND ${IN_LIST}
  ORDER BY product_id, activation_identifier, ${T}, id
  ON CONFLICT (product_id, activation_identifier) DO UPDATE SET first_time = EXCLUDED.first_time, version = EXCLUDED.version, os = EXCLUDED.os
  WHERE EXCLUDED.first_time < seen.first_time`;

/**
 * After an erasure, the first-seen rows (they hold activation identifiers) of the machines whose
 * reports it deleted: deleted, then made again from the machines' remaining reports, one id
 * range per statement as the erasure walks.
 */
export async function forgetErasedMachines(pool: pg.Pool, machines: readonly ErasedMachine[], low: number, high: number, step: number): Promise<void> {
  if (machines.length === 0) return;
  const list = [machines.map((m) => m.productId), machines.map((m) => m.machine)];
  await pool.query(`DELETE FROM install_first_seen WHERE ${IN_LIST}`, list);
  for (let from = low; from <= high; from += step) await pool.query(REBUILD_SQL, [...list, from, Math.min(from + step - 1, high)]);
}
