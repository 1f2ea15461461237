import type Database from 'better-sqlite3';
import { licenseCountsAddSql, licenseCountsMergeSql, type LicenseCountsTouched } from '../../contract/license-counts-sql.js';
import { TELEMETRY_INSERT_COLUMNS } from '../../contract/telemetry-columns.js';
import { columnOf, type BindValue, type InsertBatch } from './insert-batch.js';
import type { SqlValue } from '../queries/filter-condition.js';
import { SqliteCountsSubtraction } from './counts-subtraction.js';

const column = (name: (typeof TELEMETRY_INSERT_COLUMNS)[number]): number => TELEMETRY_INSERT_COLUMNS.indexOf(name);
const PRODUCT = column('product_id');
const LICENSE = column('license_key');
const FLAGGED = column('has_red_flags');
const CREATED_AT = column('created_at');

interface Counts {
  productId: number;
  key: string;
  reports: number;
  flagged: number;
  lastUs: number;
}

/** The stored rows of a batch (a null id: undone as a repeated event_id) counted per license. */
function countsOf(batch: InsertBatch, ids: readonly (number | null)[]): Counts[] {
  const [product, license, flagged, createdAt] = [PRODUCT, LICENSE, FLAGGED, CREATED_AT].map((c) => columnOf(batch, c)) as ((i: number) => BindValue)[];
  const byKey = new Map<string, Counts>();
  for (let i = 0; i < ids.length; i++) {
    const productId = product!(i);
    const key = license!(i);
    if (ids[i] === null || typeof productId !== 'number' || typeof key !== 'string') continue;
    const name = `${productId}:${key}`;
    const time = createdAt!(i) as number;
    const counts = byKey.get(name);
    const red = flagged!(i) === 1 ? 1 : 0;
    if (counts === undefined) byKey.set(name, { productId, key, reports: 1, flagged: red, lastUs: time });
    else {
      counts.reports += 1;
      counts.flagged += red;
      if (time > counts.lastUs) counts.lastUs = time;
    }
  }
  return [...byKey.values()];
}

/**
 * The per-license report counts of SQLite (docs/decisions/0040-license-report-counts.md), kept in
 * the caller's transaction: `record` after a group's rows are inserted (counted from the batch
 * in memory: one upsert per license the group holds, most often one), `subtract` before rows are
 * deleted (its result removes, after the delete, the licenses left without reports).
 */
export class SqliteLicenseReportCounts {
  readonly #add: Database.Statement<[number, string, number, number, number]>;
  readonly #subtraction: SqliteCountsSubtraction<LicenseCountsTouched>;

  constructor(db: Database.Database) {
    this.#add = db.prepare(licenseCountsAddSql(['?', '?', '?', '?', '?']));
    const drop = db.prepare<[number, string]>('DELETE FROM license_report_counts WHERE product_id = ? AND license_key = ? AND reports <= 0');
    this.#subtraction = new SqliteCountsSubtraction<LicenseCountsTouched>(db, (source) => licenseCountsMergeSql(source, -1), (row) => {
      if (row.reports <= 0) drop.run(row.product_id, row.license_key);
    });
  }

  /** Call inside the insert's transaction, with the slot per row insert gave (null: not stored). */
  record(batch: InsertBatch, ids: readonly (number | null)[]): void {
    for (const c of countsOf(batch, ids)) this.#add.run(c.productId, c.key, c.reports, c.flagged, c.lastUs);
  }

  /** Takes reports out of the counts: SqliteCountsSubtraction.subtract. */
  subtract(where: string, params: readonly SqlValue[]): () => void {
    return this.#subtraction.subtract(where, params);
  }
}
