import type { PageRequest, TelemetryFilter } from '../../../model/filter.js';
import { impliesRedFlags } from '../../contract/red-flags.js';
import type { IdWindow } from '../time-blocks/time-blocks.js';
import { filterCondition, type SqlValue } from './filter-condition.js';

/** A statement and its positional parameters. */
export interface SqlQuery {
  sql: string;
  params: SqlValue[];
}

/**
 * One parameterised SELECT for a filter and a page: `… WHERE <filter> AND id > ? ORDER BY id
 * LIMIT ?`, pure so that its text (and plan) can be checked in isolation. The filter's own
 * terms come from filterCondition (shared with the summaries); this adds what makes a page
 * fast on the id-ordered indexes: the index to walk, the id window of a date range, and the
 * red-flag term that another flag = 0 implies.
 */
export function buildPageQuery(columns: string, filter: TelemetryFilter, page: PageRequest, window?: IdWindow): SqlQuery {
  const where = filterCondition(filter);
  const terms = [where.sql];
  const params = [...where.params];
  if (impliesRedFlags(filter.flags)) terms.push('has_red_flags = 1');
  terms.push('id > ?');
  params.push(Math.max(page.afterId, (window?.fromId ?? 0) - 1));
  if (window) {
    terms.push('id <= ?');
    params.push(window.toId);
  }
  params.push(page.limit);
  const index = indexFor(filter);
  const from = index === null ? 'telemetry' : `telemetry INDEXED BY ${index}`;
  return { sql: `SELECT ${columns} FROM ${from} WHERE ${terms.join(' AND ')} ORDER BY id LIMIT ?`, params };
}

/**
 * The id-ordered index that serves the filter, named outright: without statistics SQLite
 * cannot tell that the red-flag index is the smaller one, and it must not be talked into an
 * index that orders by something else (the summaries' created_at indexes), which would sort
 * every match. null = walk the table by id (no single product to narrow on).
 */
function indexFor(filter: TelemetryFilter): string | null {
  if (filter.productIds?.length !== 1) return null;
  if (filter.dataGroup === undefined) return 'telemetry_product_id';
  const red = filter.flags?.has_red_flags === 1 || impliesRedFlags(filter.flags);
  return red ? 'telemetry_red_product_group_id' : 'telemetry_product_group_id';
}
