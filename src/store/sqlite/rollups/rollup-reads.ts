import type Database from 'better-sqlite3';
import type { ActivityRequest, ActivityRow } from '../../../model/activity.js';
import type { TelemetryFilter } from '../../../model/filter.js';
import { rollupActivitySteps, rollupSummarySteps } from '../../contract/rollup-read-steps.js';
import { RAW_COLUMNS, type RawWindow, type RollupSummaryParts } from '../../contract/rollup-reads.js';
import { SqliteStepRunner } from './step-runner.js';
import type { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';
import { sqliteRawWindow } from './raw-window.js';

/**
 * Reads of the rollups on SQLite (contract/rollup-read-steps.ts). Run inside the caller's
 * transaction, so that rollups and raw edges are one snapshot.
 */
export class SqliteRollupReads {
  readonly #steps: SqliteStepRunner;
  readonly #raw: RawWindow;

  constructor(db: Database.Database, blocks: SqliteTimeBlocks) {
    this.#steps = new SqliteStepRunner(db);
    this.#raw = sqliteRawWindow(blocks, RAW_COLUMNS);
  }

  /** `TelemetryStore.activity` from rollups; null when the bucket is not whole hours (read raw then). */
  activity(request: ActivityRequest): ActivityRow[] | null {
    return this.#steps.run(rollupActivitySteps(request, this.#raw));
  }

  /** A summary's numeric part and days from rollups; null when the filter is not on rollup dimensions. */
  summaryParts(filter: TelemetryFilter, buckets: number): RollupSummaryParts | null {
    return this.#steps.run(rollupSummarySteps(filter, buckets, this.#raw));
  }
}
