import type Database from 'better-sqlite3';
import { emptyReport, retentionCutoffUs, type TelemetryMaintenanceOptions, type TelemetryMaintenanceReport } from '../../contract/maintenance.js';
import { blockWindow } from '../time-blocks/time-blocks.js';
import { firstSketchDayKept } from '../../contract/install-rollup.js';
import { SqliteRollups } from '../rollups/rollup-upkeep.js';
import { SqliteLicenseReportCounts } from './license-report-counts.js';
import { SqliteFlaggedValueCounts } from './flagged-value-counts.js';

/**
 * Retention for SQLite: deletes the records created before the cutoff, one time block
 * (BLOCK_SIZE ids, found through telemetry_time_blocks, so by primary key, not a table scan) per
 * transaction, yielding to the event loop between transactions so that ingest commits in between.
 * Each transaction keeps its block's summary true: a block left empty loses its row, a block
 * left partly filled gets the cutoff as its least created_at (every remaining record is at or
 * after it), so date windows stay guaranteed to hold every match.
 */
export class SqliteRetention {
  readonly #expiredBlocks: Database.Statement<[number], number>;
  readonly #deleteBlock: (block: number, cutoffUs: number) => number;
  readonly #deleteSketches: Database.Statement<[number]>;

  constructor(db: Database.Database) {
    this.#expiredBlocks = db
      .prepare<[number], number>('SELECT block FROM telemetry_time_blocks WHERE min_created_at < ? ORDER BY block')
      .pluck();
    const deleteRows = db.prepare<[number, number, number]>('DELETE FROM telemetry WHERE id BETWEEN ? AND ? AND created_at < ?');
    const dropBlock = db.prepare<[number, number]>('DELETE FROM telemetry_time_blocks WHERE block = ? AND max_created_at < ?');
    const raiseMin = db.prepare<[number, number, number]>(
      'UPDATE telemetry_time_blocks SET min_created_at = ? WHERE block = ? AND min_created_at < ?',
    );
    this.#deleteSketches = db.prepare<[number]>('DELETE FROM install_sketches WHERE day < ?');
    const counts = [new SqliteRollups(db), new SqliteLicenseReportCounts(db), new SqliteFlaggedValueCounts(db)];
    this.#deleteBlock = db.transaction((block: number, cutoffUs: number): number => {
      const { fromId, toId } = blockWindow(block, block);
      const expired = 'id BETWEEN ? AND ? AND created_at < ?';
      // The rollups, license counts and flagged value counts lose the rows in the same transaction (decisions 0033, 0040, 0043).
      const settle = counts.map((kept) => kept.subtract(expired, [fromId, toId, cutoffUs]));
      const deleted = deleteRows.run(fromId, toId, cutoffUs).changes;
      for (const done of settle) done();
      if (dropBlock.run(block, cutoffUs).changes === 0) raiseMin.run(cutoffUs, block, cutoffUs);
      return deleted;
    });
  }

  /**
   * Deletes every record created before the cutoff the options give (none when retention is off),
   * and the install sketches of every day that may have held one (install-rollup.ts, firstSketchDayKept).
   */
  async apply(options: TelemetryMaintenanceOptions): Promise<TelemetryMaintenanceReport> {
    const report = emptyReport(retentionCutoffUs(options.nowUs, options.retentionDays));
    if (report.cutoffUs === null) return report;
    this.#deleteSketches.run(firstSketchDayKept(report.cutoffUs));
    for (const block of this.#expiredBlocks.all(report.cutoffUs)) {
      if (options.signal?.aborted === true) break;
      report.rowsDeleted += this.#deleteBlock(block, report.cutoffUs);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return report;
  }
}
