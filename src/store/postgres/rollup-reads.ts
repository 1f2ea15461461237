import type pg from 'pg';
import type { ActivityRequest, ActivityRow } from '../../model/activity.js';
import type { TelemetryFilter } from '../../model/filter.js';
import { rollupActivitySteps, rollupSummarySteps } from '../contract/rollup-read-steps.js';
import { RAW_COLUMNS, type RollupSummaryParts } from '../contract/rollup-reads.js';
import { pgRawWindow } from './raw-window.js';
import type { PgRunner } from './statements.js';
import { runSteps } from './step-runner.js';

/**
 * Reads of the rollups on PostgreSQL (contract/rollup-read-steps.ts). Several statements, so the
 * caller runs them in one REPEATABLE READ transaction (`inSnapshot`).
 */

const raw = pgRawWindow(RAW_COLUMNS);

/** Runs `work` on one connection in one REPEATABLE READ, read-only transaction: one snapshot. */
export async function inSnapshot<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** `TelemetryStore.activity` from rollups; null when the bucket is not whole hours (read raw then). */
export function rollupActivity(db: PgRunner, request: ActivityRequest): Promise<ActivityRow[] | null> {
  return runSteps(db, rollupActivitySteps(request, raw));
}

/** A summary's numeric part and days from rollups; null when the filter is not on rollup dimensions. */
export function rollupSummary(db: PgRunner, filter: TelemetryFilter, buckets: number): Promise<RollupSummaryParts | null> {
  return runSteps(db, rollupSummarySteps(filter, buckets, raw));
}
