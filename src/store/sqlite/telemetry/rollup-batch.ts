import { binOf } from '../../contract/rollup-sketch.js';
import { COUNT_KEY, NUMERIC_DATA_TYPE, ROLLUP_SPANS } from '../../contract/rollup-sql.js';
import { TELEMETRY_INSERT_COLUMNS } from '../../contract/telemetry-columns.js';
import type { SqlValue } from '../queries/filter-condition.js';
import type { RollupRows } from '../rollups/rollup-upkeep.js';
import { columnOf, type BindValue, type InsertBatch } from './insert-batch.js';

const column = (name: (typeof TELEMETRY_INSERT_COLUMNS)[number]): number => TELEMETRY_INSERT_COLUMNS.indexOf(name);
const COLUMNS = {
  product: column('product_id'), group: column('data_group'), type: column('data_type'), version: column('product_version'),
  flagged: column('has_red_flags'), createdAt: column('created_at'), reportedAt: column('reported_at'),
  single: column('numeric_data_single_value'), x: column('numeric_data_x'), y: column('numeric_data_y'), text: column('text_data'),
};

/** A counts row's parameters (ROLLUP_ROW_UPSERT.counts): COUNT_KEY, then n, typed_n, v_sum, v_min, v_max. */
type CountsRow = SqlValue[];
/** A bin row's parameters (ROLLUP_ROW_UPSERT.bins): BIN_KEY, then n. */
type BinRow = SqlValue[];

const N = COUNT_KEY.length;

/**
 * The batch's stored rows per rollup key and per bin, as rollupMergeSql's addition would group
 * them: the same keys (record time bucketed per span, NULLs as 0 or '' with their bit in `nulls`),
 * the same typed rule (SUMMARY_RECORDS) and the same bins (binOf, which SQLite's statements call).
 */
export function rollupRowsOf(batch: InsertBatch, ids: readonly (number | null)[]): RollupRows {
  const at = Object.fromEntries(Object.entries(COLUMNS).map(([name, index]) => [name, columnOf(batch, index)])) as Record<keyof typeof COLUMNS, (i: number) => BindValue>;
  const counts = new Map<string, CountsRow>();
  const bins = new Map<string, BinRow>();
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === null) continue;
    const product = at.product(i);
    const group = at.group(i);
    const type = at.type(i);
    const version = at.version(i);
    const flagged = Number(at.flagged(i));
    const time = Number(at.reportedAt(i) ?? at.createdAt(i));
    const nulls = (product === null ? 1 : 0) + (group === null ? 2 : 0) + (type === null ? 4 : 0) + (version === null ? 8 : 0);
    const single = at.single(i);
    const value = type === NUMERIC_DATA_TYPE && typeof single === 'number' ? single : null;
    const typed = value !== null || (type === 'numeric-xy-axis' && at.x(i) !== null && at.y(i) !== null) || (type === 'text' && at.text(i) !== null) ? 1 : 0;
    const keyTail = [product ?? 0, group ?? '', type ?? '', version ?? '', flagged, nulls];
    const bin = value === null ? 0 : binOf(value);
    for (const span of ROLLUP_SPANS) {
      const bucket = time - (((time % span) + span) % span);
      const key = JSON.stringify([span, bucket, ...keyTail]);
      const row = counts.get(key);
      if (row === undefined) {
        counts.set(key, [span, bucket, ...keyTail, 1, typed, value ?? 0, value, value]);
      } else {
        row[N] = (row[N] as number) + 1;
        row[N + 1] = (row[N + 1] as number) + typed;
        if (value !== null) {
          row[N + 2] = (row[N + 2] as number) + value;
          if (row[N + 3] === null || value < (row[N + 3] as number)) row[N + 3] = value;
          if (row[N + 4] === null || value > (row[N + 4] as number)) row[N + 4] = value;
        }
      }
      if (value === null) continue;
      // BIN_KEY: the count key without data_type, then the bin.
      const binKey = JSON.stringify([span, bucket, product ?? 0, group ?? '', version ?? '', flagged, nulls, bin]);
      const binRow = bins.get(binKey);
      if (binRow === undefined) bins.set(binKey, [span, bucket, product ?? 0, group ?? '', version ?? '', flagged, nulls, bin, 1]);
      else binRow[8] = (binRow[8] as number) + 1;
    }
  }
  return { counts: counts.values(), bins: bins.values() };
}
