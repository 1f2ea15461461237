import type { PageRequest, TelemetryFilter } from '../../model/filter.js';
import type { TelemetryRecord } from '../../model/record.js';
import { impliesRedFlags } from '../contract/red-flags.js';
import { PgParams, pgFilterCondition } from './filter-condition.js';
import { TELEMETRY_SELECT } from '../contract/telemetry-columns.js';
import { pgRowToRecord, type PgTelemetryRow } from './record-row.js';
import type { PgQueryable } from './queryable.js';
import { weighedPageSql, WEIGHT_SELECT } from './weighed-page.js';

export type { PgQueryable } from './queryable.js';

/**
 * `TelemetryStore.query` for PostgreSQL: the records matching the filter with id > afterId,
 * ordered by id, at most `limit`, in one parameterised statement. No product or one product
 * walks an id-ordered index from afterId (a page costs the same at any depth); several
 * products are read one product at a time (a LATERAL per product, each walking the
 * (product_id, …, id) index) and merged by id, which `product_id = ANY(…) ORDER BY id` could not
 * do without sorting every match.
 */
export async function queryTelemetry(db: PgQueryable, filter: TelemetryFilter, page: PageRequest): Promise<TelemetryRecord[]> {
  const products = filter.productIds;
  if (products !== null && products.length === 0) return [];
  const params = new PgParams();
  const sql = products !== null && products.length > 1 ? perProductSql(filter, products, page, params) : pageSql(filter, page, params);
  const { rows } = await db.query<PgTelemetryRow>(sql, params.values);
  return rows.map(pgRowToRecord);
}

/** `SELECT … WHERE <filter> AND id > $n ORDER BY id LIMIT $m`. */
function pageSql(filter: TelemetryFilter, page: PageRequest, params: PgParams): string {
  const where = pageCondition(filter, page, params);
  const sql = `SELECT ${selectList(page)} FROM telemetry WHERE ${where} ORDER BY id LIMIT ${params.add(page.limit)}::bigint`;
  return weighedPageSql(sql, page, params);
}

/** The record's columns, and its weight when the page is bounded in bytes. */
function selectList(page: PageRequest): string {
  return page.maxBytes === undefined ? TELEMETRY_SELECT : `${TELEMETRY_SELECT}, ${WEIGHT_SELECT}`;
}

/** One id-ordered page per product (LATERAL), merged by id and cut to the limit. */
function perProductSql(filter: TelemetryFilter, products: readonly number[], page: PageRequest, params: PgParams): string {
  const ids = params.add([...new Set(products)]);
  const where = pageCondition({ ...filter, productIds: null }, page, params);
  const limit = `${params.add(page.limit)}::bigint`;
  const inner = `SELECT ${selectList(page)} FROM telemetry WHERE product_id = p.product AND ${where} ORDER BY id LIMIT ${limit}`;
  const sql = `SELECT t.* FROM unnest(${ids}::bigint[]) AS p(product) CROSS JOIN LATERAL (${inner}) AS t ORDER BY t.id LIMIT ${limit}`;
  return weighedPageSql(sql, page, params);
}

/** The filter's terms, the red-flag term another flag = 0 implies, and the keyset bound. */
function pageCondition(filter: TelemetryFilter, page: PageRequest, params: PgParams): string {
  const terms = [pgFilterCondition(filter, params)];
  if (impliesRedFlags(filter.flags)) terms.push('has_red_flags = 1');
  terms.push(`id > ${params.add(page.afterId)}::bigint`);
  return terms.join(' AND ');
}
