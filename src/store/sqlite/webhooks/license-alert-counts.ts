import type Database from 'better-sqlite3';
import type { LicenseAlertAnswer, LicenseAlertRequest } from '../../../model/webhooks.js';
import { licenseSeatsSql } from '../../contract/license-seats.js';
import { LICENSE_COUNT_COLUMNS, toLicenseCounts, type LicenseCountsRow } from '../../contract/webhook-rows.js';
import { RECORD_TIME_SQL } from '../../contract/record-time-sql.js';
import { REPORTED_AHEAD_MAX_US } from '../../../model/record-time.js';
import { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';

interface Params {
  from_id: number;
  from_created: number;
  from_us: number;
  default_seats: number;
  after_id: number;
}

/** The licenses a pass re-checks: those with a record above the last pass's id (a range of the primary key). */
const TOUCHED = `AND (t.product_id, t.license_key) IN (
  SELECT DISTINCT product_id, license_key FROM telemetry WHERE id > @after_id AND product_id IS NOT NULL AND license_key IS NOT NULL)`;

/** One scan of the window's records (an id range through the time blocks), grouped per license, then its registration. */
function countsSql(touchedOnly: boolean): string {
  return `WITH counts AS (
  SELECT ${LICENSE_COUNT_COLUMNS} FROM telemetry t
  WHERE t.id >= @from_id AND t.created_at >= @from_created AND ${RECORD_TIME_SQL} >= @from_us
    AND t.product_id IS NOT NULL AND t.license_key IS NOT NULL ${touchedOnly ? TOUCHED : ''}
  GROUP BY t.product_id, t.license_key)
SELECT c.*, l.id IS NOT NULL AS registered, ${licenseSeatsSql('@default_seats')} AS seats
FROM counts c LEFT JOIN licenses l ON l.product_id = c.product_id AND l.key = c.license_key`;
}

/**
 * The license alerts' aggregate on SQLite (WebhookStore.licenseAlertCounts). Runs on the reader
 * thread when the store has one (reader-worker.ts), so a scan of the window never holds the HTTP
 * thread.
 */
export class SqliteLicenseAlertCounts {
  readonly #all: Database.Statement<[Omit<Params, 'after_id'>], LicenseCountsRow>;
  readonly #touched: Database.Statement<[Params], LicenseCountsRow>;
  readonly #lastId: Database.Statement<[], number | null>;
  readonly #blocks: SqliteTimeBlocks;

  constructor(db: Database.Database) {
    this.#all = db.prepare(countsSql(false));
    this.#touched = db.prepare(countsSql(true));
    this.#lastId = db.prepare<[], number | null>('SELECT MAX(id) FROM telemetry').pluck();
    this.#blocks = new SqliteTimeBlocks(db);
  }

  count(request: LicenseAlertRequest): LicenseAlertAnswer {
    // Read first: a record stored during the scan has a larger id, so the next pass sees it.
    const lastId = this.#lastId.get() ?? 0;
    const fromCreated = request.fromUs - REPORTED_AHEAD_MAX_US;
    const window = this.#blocks.window(fromCreated, undefined);
    if (window === null || (request.afterId !== null && request.afterId >= lastId)) return { licenses: [], lastId };
    const params = { from_id: window.fromId, from_created: fromCreated, from_us: request.fromUs, default_seats: request.defaultSeats };
    const rows = request.afterId === null ? this.#all.all(params) : this.#touched.all({ ...params, after_id: request.afterId });
    return { licenses: rows.map(toLicenseCounts), lastId };
  }
}
