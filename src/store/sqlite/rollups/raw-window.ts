import { REPORTED_AHEAD_MAX_US } from '../../../model/record-time.js';
import { LATE_US, sqlInteger, windowHalves } from '../../contract/rollup-sql.js';
import type { SqliteTimeBlocks } from '../time-blocks/time-blocks.js';

/**
 * SQLite's parenthesised SELECT of `columns` of the records whose record time is in [fromUs, toUs]
 * (of one product when given): on-time ones in the time blocks' id window, late ones by the late
 * index (contract/rollup-sql.ts, windowHalves). Read by the rollup reads and the rollup check.
 */
export function sqliteRawWindow(blocks: SqliteTimeBlocks, columns: string) {
  return (fromUs: number, toUs: number, productId?: number): string => {
    const [near, late] = windowHalves(fromUs, toUs);
    const window = blocks.window(fromUs - REPORTED_AHEAD_MAX_US, toUs + LATE_US);
    const ids = window === null ? 'id BETWEEN 1 AND 0' : `id BETWEEN ${window.fromId} AND ${window.toId}`;
    const product = productId === undefined ? '' : ` AND product_id = ${sqlInteger(productId)}`;
    return `(SELECT ${columns} FROM telemetry WHERE ${ids} AND ${near}${product}
      UNION ALL SELECT ${columns} FROM telemetry INDEXED BY telemetry_late WHERE ${late}${product})`;
  };
}
