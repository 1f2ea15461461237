import type Database from 'better-sqlite3';
import type { ActivityRequest, ActivityRow } from '../../../model/activity.js';
import type { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';
import { RECORD_TIME_SQL } from '../../contract/record-time-sql.js';

// The id window (time-blocks.ts) of the created_at range that the record-time range implies
// bounds the scan to the blocks that can hold it, so a 24-hour overview reads only the last day's
// rows whatever the table holds. The bucket leads the GROUP BY because rows arrive in id order,
// which is nearly time order: the sorter then has far less to do (measured 0.75 s instead of 1.1 s
// for 1M rows).
const ACTIVITY_SQL = `SELECT product_id, data_group, data_type, (${RECORD_TIME_SQL} / CAST(@bucket AS INTEGER)) * CAST(@bucket AS INTEGER) AS bucket_start_us,
    SUM(has_red_flags = 0) AS clean, SUM(has_red_flags) AS flagged
  FROM telemetry
  WHERE id BETWEEN @fromId AND @toId AND created_at BETWEEN @fromUs AND @toUs AND ${RECORD_TIME_SQL} BETWEEN @recordFromUs AND @recordToUs
  GROUP BY bucket_start_us, product_id, data_group, data_type`;

/** `TelemetryStore.activity` for SQLite. */
export class SqliteActivityQuery {
  readonly #select: Database.Statement<[Record<string, number>], ActivityRow>;
  readonly #blocks: SqliteTimeBlocks;

  constructor(db: Database.Database, blocks: SqliteTimeBlocks) {
    this.#select = db.prepare<[Record<string, number>], ActivityRow>(ACTIVITY_SQL);
    this.#blocks = blocks;
  }

  rows(request: ActivityRequest): ActivityRow[] {
    const window = this.#blocks.window(request.fromUs, request.toUs);
    if (window === null) return [];
    const { fromUs, toUs, recordFromUs, recordToUs, bucketUs } = request;
    return this.#select.all({ bucket: bucketUs, fromId: window.fromId, toId: window.toId, fromUs, toUs, recordFromUs, recordToUs });
  }
}
