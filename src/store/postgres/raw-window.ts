import { sqlInteger, windowHalves } from '../contract/rollup-sql.js';

/**
 * PostgreSQL's parenthesised SELECT of `columns` of the records whose record time is in
 * [fromUs, toUs] (of one product when given): on-time ones by created_at (partitions, indexes),
 * late ones by the late index (contract/rollup-sql.ts, windowHalves). Read by the rollup reads and
 * the rollup check.
 */
export function pgRawWindow(columns: string) {
  return (fromUs: number, toUs: number, productId?: number): string => {
    const [near, late] = windowHalves(fromUs, toUs);
    const product = productId === undefined ? '' : ` AND product_id = ${sqlInteger(productId)}`;
    return `(SELECT ${columns} FROM telemetry WHERE ${near}${product} UNION ALL SELECT ${columns} FROM telemetry WHERE ${late}${product})`;
  };
}
