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

/** The first remaining report (record time, then id) of each listed machine among the reports of an id range ($3–$4). */
const FIRST_REPORTS_SQL = `SELECT DISTINCT ON (product_id, activation_identifier) product_id, activation_identifier AS machine, ${T} AS first_time,
    ${KEYS.version} AS version, ${KEYS.os} AS os
  FROM telemetry ${OS_LATERAL} WHERE id BETWEEN $3 AND $4 AND ${IN_LIST}
  ORDER BY product_id, activation_identifier, ${T}, id`;

/** Inserts inside forgetErasedMachines' lock: no row of these machines can exist or appear meanwhile. */
const PUT_FIRST_SQL = `INSERT INTO install_first_seen (product_id, activation_identifier, first_time, version, os)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[])`;

interface FirstReport {
  product_id: number;
  machine: string;
  first_time: number;
  version: string;
  os: string;
}

/** Keeps, per machine, the earlier of two first reports (record time; the earlier id on a tie, which `rows` come after). */
function keepEarliest(firsts: Map<string, FirstReport>, rows: readonly FirstReport[]): void {
  for (const row of rows) {
    const id = JSON.stringify([Number(row.product_id), row.machine]);
    const known = firsts.get(id);
    if (known === undefined || Number(row.first_time) < Number(known.first_time)) firsts.set(id, row);
  }
}

/**
 * After an erasure, the first-seen rows (they hold activation identifiers) of the machines whose
 * reports it deleted, made again from the machines' remaining reports. The walk over the id
 * ranges the erasure covered takes no lock. The rows are then replaced in one short transaction
 * that first locks install_first_seen against every insert's first-seen upsert (SHARE ROW
 * EXCLUSIVE conflicts with their ROW EXCLUSIVE), so that every report stored meanwhile is
 * committed and visible: those (ids past the walk) are read too. Otherwise a report stored during
 * the erasure, skipped by its upsert because the old row was earlier, could be the machine's
 * first remaining report and be missed.
 */
export async function forgetErasedMachines(pool: pg.Pool, machines: readonly ErasedMachine[], low: number, high: number, step: number): Promise<void> {
  if (machines.length === 0) return;
  const list = [machines.map((m) => m.productId), machines.map((m) => m.machine)];
  const firsts = new Map<string, FirstReport>();
  for (let from = low; from <= high; from += step) {
    keepEarliest(firsts, await selectRows<FirstReport>(pool, FIRST_REPORTS_SQL, [...list, from, Math.min(from + step - 1, high)]));
  }
  await inTransaction(pool, async (client) => {
    await client.query('LOCK TABLE install_first_seen IN SHARE ROW EXCLUSIVE MODE');
    keepEarliest(firsts, await selectRows<FirstReport>(client, FIRST_REPORTS_SQL, [...list, high + 1, Number.MAX_SAFE_INTEGER]));
    await client.query(`DELETE FROM install_first_seen WHERE ${IN_LIST}`, list);
    const rows = [...firsts.values()];
    await client.query(PUT_FIRST_SQL, [rows.map((r) => r.product_id), rows.map((r) => r.machine), rows.map((r) => r.first_time), rows.map((r) => r.version), rows.map((r) => r.os)]);
  });
}
