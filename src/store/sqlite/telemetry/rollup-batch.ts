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

/** One rollup key of one span: its counts row, and its bins by number (a bin row's key but the bin). */
interface SpanCursor {
  bucket: number;
  /** The JSON of the key's dimensions. */
  tail: string;
  row: CountsRow;
  binKey: SqlValue[];
  bins: Map<number, number>;
}

/**
 * The batch's stored rows per rollup key and per bin, as rollupMergeSql's addition would group
 * them: the same keys (record time bucketed per span, NULLs as 0 or '' with their bit in `nulls`),
 * the same typed rule (SUMMARY_RECORDS) and the same bins (binOf, which SQLite's statements call).
 */
export function rollupRowsOf(batch: InsertBatch, ids: readonly (number | null)[]): RollupRows {
  const at = Object.fromEntries(Object.entries(COLUMNS).map(([name, index]) => [name, columnOf(batch, index)])) as Record<keyof typeof COLUMNS, (i: number) => BindValue>;
  const counts = new Map<string, SpanCursor>();
  // A batch usually shares its dimensions (one installation's reports) and its hour: the JSON of
  // the dimensions is made again only when a record's differ from the previous one's, and each
  // span keeps a cursor on the last key it added to. Map keys: span and bucket, then that JSON
  // (numbers first, so no key reads two ways).
  const cursors: (SpanCursor | null)[] = ROLLUP_SPANS.map(() => null);
  let dims: unknown[] = [];
  let keyTail: SqlValue[] = [];
  let binTail: SqlValue[] = [];
  let tailJson = '';
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === null) continue;
    const product = at.product(i);
    const group = at.group(i);
    const type = at.type(i);
    const version = at.version(i);
    const flagged = Number(at.flagged(i));
    const time = Number(at.reportedAt(i) ?? at.createdAt(i));
    if (dims.length === 0 || dims[0] !== product || dims[1] !== group || dims[2] !== type || dims[3] !== version || dims[4] !== flagged) {
      dims = [product, group, type, version, flagged];
      const nulls = (product === null ? 1 : 0) + (group === null ? 2 : 0) + (type === null ? 4 : 0) + (version === null ? 8 : 0);
      keyTail = [product ?? 0, group ?? '', type ?? '', version ?? '', flagged, nulls];
      // BIN_KEY: the count key without data_type, then the bin.
      binTail = [product ?? 0, group ?? '', version ?? '', flagged, nulls];
      tailJson = JSON.stringify(keyTail);
    }
    const single = at.single(i);
    const value = type === NUMERIC_DATA_TYPE && typeof single === 'number' ? single : null;
    const typed = value !== null || (type === 'numeric-xy-axis' && at.x(i) !== null && at.y(i) !== null) || (type === 'text' && at.text(i) !== null) ? 1 : 0;
    const bin = value === null ? 0 : binOf(value);
    for (let s = 0; s < ROLLUP_SPANS.length; s++) {
      const span = ROLLUP_SPANS[s] as number;
      const bucket = time - (((time % span) + span) % span);
      let cursor = cursors[s] ?? null;
      if (cursor === null || cursor.bucket !== bucket || cursor.tail !== tailJson) {
        const key = `${span} ${bucket} ${tailJson}`;
        cursor = counts.get(key) ?? null;
        if (cursor === null) {
          cursor = { bucket, tail: tailJson, row: [span, bucket, ...keyTail, 0, 0, 0, null, null], binKey: [span, bucket, ...binTail], bins: new Map() };
          counts.set(key, cursor);
        }
        cursors[s] = cursor;
      }
      const row = cursor.row;
      row[N] = (row[N] as number) + 1;
      row[N + 1] = (row[N + 1] as number) + typed;
      if (value === null) continue;
      row[N + 2] = (row[N + 2] as number) + value;
      if (row[N + 3] === null || value < (row[N + 3] as number)) row[N + 3] = value;
      if (row[N + 4] === null || value > (row[N + 4] as number)) row[N + 4] = value;
      cursor.bins.set(bin, (cursor.bins.get(bin) ?? 0) + 1);
    }
  }
  return { counts: [...counts.values()].map((cursor) => cursor.row), bins: binRowsOf(counts.values()) };
}

/** Each key's bins as bin rows: BIN_KEY's values, then n. */
function* binRowsOf(cursors: Iterable<SpanCursor>): Generator<BinRow> {
  for (const { binKey, bins } of cursors) for (const [bin, n] of bins) yield [...binKey, bin, n];
}
