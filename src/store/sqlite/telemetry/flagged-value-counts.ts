import type Database from 'better-sqlite3';
import { ALERT_KINDS, flaggedCountsAddSql, flaggedCountsMergeSql, type AlertKind, type FlaggedCountsTouched } from '../../contract/flagged-counts-sql.js';
import { TELEMETRY_INSERT_COLUMNS } from '../../contract/telemetry-columns.js';
import { columnOf, type BindValue, type InsertBatch } from './insert-batch.js';
import type { SqlValue } from '../queries/filter-condition.js';
import { SqliteCountsSubtraction } from './counts-subtraction.js';

const column = (name: (typeof TELEMETRY_INSERT_COLUMNS)[number]): number => TELEMETRY_INSERT_COLUMNS.indexOf(name);
const FLAGGED = column('has_red_flags');
const PRODUCT = column('product_id');
const GROUP = column('data_group');

interface Count {
  productId: number;
  group: string;
  kind: AlertKind;
  value: string;
  flagged: number;
}

/** The stored red-flagged rows of a batch (a null id: undone as a repeated event_id) counted per product, group, kind and value. */
function countsOf(batch: InsertBatch, ids: readonly (number | null)[]): Count[] {
  const [flagged, product, group] = [FLAGGED, PRODUCT, GROUP].map((c) => columnOf(batch, c)) as ((i: number) => BindValue)[];
  const values = ALERT_KINDS.map((kind) => [kind, columnOf(batch, column(kind))] as const);
  const byKey = new Map<string, Count>();
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === null || flagged!(i) !== 1) continue;
    const productId = product!(i);
    const dataGroup = group!(i);
    if (typeof productId !== 'number' || typeof dataGroup !== 'string') continue;
    for (const [kind, valueOf] of values) {
      const value = valueOf(i);
      if (typeof value !== 'string') continue;
      const name = JSON.stringify([productId, dataGroup, kind, value]);
      const count = byKey.get(name);
      if (count === undefined) byKey.set(name, { productId, group: dataGroup, kind, value, flagged: 1 });
      else count.flagged += 1;
    }
  }
  return [...byKey.values()];
}

/**
 * The flagged value counts of SQLite (docs/decisions/0043-alert-candidates.md), kept in the
 * caller's transaction as the per-license report counts are (license-report-counts.ts): `record`
 * after a group's rows are inserted (counted from the batch in memory, only red-flagged rows: one
 * upsert per key, none for a clean batch), `subtract` before rows are deleted (its result removes,
 * after the delete, the keys left without reports).
 */
export class SqliteFlaggedValueCounts {
  readonly #add: Database.Statement<[number, string, string, string, number]>;
  readonly #subtraction: SqliteCountsSubtraction<FlaggedCountsTouched>;

  constructor(db: Database.Database) {
    this.#add = db.prepare(flaggedCountsAddSql(['?', '?', '?', '?', '?']));
    const drop = db.prepare<[number, string, string, string]>('DELETE FROM flagged_value_counts WHERE product_id = ? AND data_group = ? AND kind = ? AND value = ? AND flagged <= 0');
    this.#subtraction = new SqliteCountsSubtraction<FlaggedCountsTouched>(db, (source) => flaggedCountsMergeSql(source, -1), (row) => {
      if (row.flagged <= 0) drop.run(row.product_id, row.data_group, row.kind, row.value);
    });
  }

  /** Call inside the insert's transaction, with the slot per row insert gave (null: not stored). */
  record(batch: InsertBatch, ids: readonly (number | null)[]): void {
    for (const c of countsOf(batch, ids)) this.#add.run(c.productId, c.group, c.kind, c.value, c.flagged);
  }

  /** Takes reports out of the counts: SqliteCountsSubtraction.subtract. */
  subtract(where: string, params: readonly SqlValue[]): () => void {
    return this.#subtraction.subtract(where, params);
  }
}
