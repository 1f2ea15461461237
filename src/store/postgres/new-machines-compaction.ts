import type pg from 'pg';
import { selectRow } from './statements.js';

/** Keys merged per statement. */
const KEYS_PER_PASS = 1000;

/**
 * Up to KEYS_PER_PASS keys with several delta rows: their rows deleted and their sum inserted as
 * one row (none when it is 0), in one statement, so in one transaction.
 */
const COMPACT_SQL = `WITH keys AS (
    SELECT product_id, day, version, os FROM install_new_machines GROUP BY 1, 2, 3, 4 HAVING count(*) > 1 LIMIT ${KEYS_PER_PASS}),
  taken AS (
    DELETE FROM install_new_machines AS n USING keys AS k
    WHERE n.product_id = k.product_id AND n.day = k.day AND n.version = k.version AND n.os = k.os
    RETURNING n.product_id, n.day, n.version, n.os, n.machines),
  merged AS (
    INSERT INTO install_new_machines (product_id, day, version, os, machines)
    SELECT product_id, day, version, os, sum(machines) FROM taken GROUP BY 1, 2, 3, 4 HAVING sum(machines) <> 0)
  SELECT (SELECT count(*)::int FROM keys) AS keys, (SELECT count(*)::int FROM taken) AS taken`;

/**
 * Merges each key's delta rows of install_new_machines (new-machines-migration.ts) into one, a
 * statement per KEYS_PER_PASS keys, until a statement finds fewer keys to merge than that (every
 * key with several rows in its snapshot was merged; deltas committed since wait for the next pass,
 * so steady ingest cannot keep the loop going). Unlike sketches, counts must not be added twice: a
 * delta row is deleted by exactly one statement (one that finds it deleted by another, committed
 * meanwhile, skips it), and that statement inserts its sum, so every delta is counted once however
 * many instances compact at once. Readers see a key's rows before or after, never half. Returns
 * the delta rows merged.
 */
export async function compactNewMachines(pool: pg.Pool): Promise<number> {
  let merged = 0;
  for (;;) {
    const pass = await selectRow<{ keys: number; taken: number }>(pool, COMPACT_SQL);
    merged += pass?.taken ?? 0;
    if ((pass?.keys ?? 0) < KEYS_PER_PASS) return merged;
  }
}
