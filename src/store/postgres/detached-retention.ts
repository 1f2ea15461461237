import type pg from 'pg';
import { DAY_US } from '../../model/clock.js';
import { deltaChunks } from './delta-chunks.js';
import { ddlStep } from './maintenance-session.js';
import { subtractLicenseCounts } from './license-report-counts.js';
import { subtractFlaggedCounts } from './flagged-value-counts.js';
import { aggregateDeltas, applyDeltas, deltaGroups, dropDeltas, type DeltaPart } from './rollup-upkeep.js';
import { deltasNamed } from './rollup-upkeep-sql.js';
import { inTransactionOn, selectRow, selectRows } from './statements.js';

/**
 * Retention of one expired telemetry partition without holding up ingest (decision 0041):
 *
 * 1. `detachExpired`: DETACH the partition and record its name in `retention_detached`, in one
 *    short DDL transaction (ACCESS EXCLUSIVE on telemetry for the statement's duration). From
 *    then on it is a table of its own that nothing writes: ingest and erasure see only telemetry.
 *    An erasure step either committed before the DETACH (its DELETE removed and subtracted its
 *    records: they are no longer in the partition) or starts after it (the partition's records
 *    are out of its reach), since the DETACH waits for the erasure's locks; so each record is
 *    subtracted by exactly one of them.
 * 2. `finishDetached`: aggregate its records into delta tables (reading only that table, no lock
 *    anyone else waits for), then apply them a range of buckets per transaction, bins then counts,
 *    each transaction moving the partition's progress in `retention_detached` with it: a crash or
 *    an error between two leaves the progress at the last range applied, and the next pass
 *    aggregates the (unchanged) table again and goes on from there, so nothing is subtracted twice.
 * 3. DROP the table and forget its row, in one transaction (the table is no partition any more:
 *    only its own lock is taken).
 */

/** Rollup delta rows (one per key, hour or day, and bin) applied per transaction by default. */
export const RETENTION_STEP_ROWS = 10_000;

const PARTS: readonly DeltaPart[] = ['bins', 'counts'];
const PROGRESS: Readonly<Record<DeltaPart, string>> = { bins: 'bins_from_us', counts: 'counts_from_us' };
/** No bucket below it: the progress of a part not begun (NULL). */
const BEGINNING_US = Number.MIN_SAFE_INTEGER;

/** Detaches the expired partition `name` from telemetry and records it as to be subtracted, atomically. */
export async function detachExpired(client: pg.PoolClient, name: string): Promise<void> {
  await ddlStep(client, async () => {
    await client.query(`ALTER TABLE telemetry DETACH PARTITION "${name}"`);
    await client.query('INSERT INTO retention_detached (name) VALUES ($1)', [name]);
  });
}

/** The detached partitions whose subtraction a failed pass left unfinished. */
export async function unfinishedDetached(client: pg.PoolClient): Promise<string[]> {
  return (await selectRows<{ name: string }>(client, 'SELECT name FROM retention_detached ORDER BY name')).map((row) => row.name);
}

/** Subtracts the detached partition `name` from the rollups from where its progress stands, then drops it. */
export async function finishDetached(client: pg.PoolClient, name: string, stepRows: number): Promise<void> {
  const exists = await selectRow<{ found: boolean }>(client, 'SELECT to_regclass(quote_ident($1)) IS NOT NULL AS found', [name]);
  if (exists?.found === true) {
    const t = deltasNamed('tally_detached');
    await dropDeltas(client, t);
    await inTransactionOn(client, async () => {
      await client.query('SET LOCAL jit = off');
      await aggregateDeltas(client, t, `"${name}"`, 'session');
    });
    for (const part of PARTS) await applyPart(client, name, part, stepRows);
    await dropDeltas(client, t);
  }
  await ddlStep(client, async () => {
    // The partition's reports leave the license counts and the flagged value counts in the
    // transaction that drops it, so once whatever pass gets here first (decisions 0040, 0043): after
    // the rollups, in the order an insert locks rows in. Until then the flagged counts still hold
    // the detached reports: counts above the true ones, which the alerts' walk allows (an upper bound).
    const settle = exists?.found === true
      ? [await subtractLicenseCounts(client, `"${name}"`), await subtractFlaggedCounts(client, `"${name}"`)]
      : [];
    await client.query(`DROP TABLE IF EXISTS "${name}"`);
    await client.query('DELETE FROM retention_detached WHERE name = $1', [name]);
    for (const done of settle) await done();
  });
}

async function applyPart(client: pg.PoolClient, name: string, part: DeltaPart, stepRows: number): Promise<void> {
  const t = deltasNamed('tally_detached');
  let fromUs = await progressOf(client, name, part, false);
  const groups = await deltaGroups(client, t, part, fromUs);
  for (const chunk of deltaChunks(groups, stepRows, part === 'bins' ? 1 : DAY_US)) {
    await inTransactionOn(client, async () => {
      await client.query('SET LOCAL jit = off');
      // The row locked: a second pass (it cannot run: the maintenance lock) would wait here and then refuse.
      if ((await progressOf(client, name, part, true)) !== fromUs) throw new Error(`retention of ${name}: progress moved under this pass`);
      await applyDeltas(client, t, part, chunk.loUs, chunk.hiUs);
      await client.query(`UPDATE retention_detached SET ${PROGRESS[part]} = $2 WHERE name = $1`, [name, chunk.nextUs]);
    });
    fromUs = chunk.nextUs;
  }
}

async function progressOf(client: pg.PoolClient, name: string, part: DeltaPart, lock: boolean): Promise<number> {
  const row = await selectRow<{ at: number | null }>(client, `SELECT ${PROGRESS[part]} AS at FROM retention_detached WHERE name = $1${lock ? ' FOR UPDATE' : ''}`, [name]);
  if (row === null) throw new Error(`retention of ${name}: not recorded as detached`);
  return row.at ?? BEGINNING_US;
}
