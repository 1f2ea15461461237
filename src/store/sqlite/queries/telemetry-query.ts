import type Database from 'better-sqlite3';
import type { PageRequest, TelemetryFilter } from '../../../model/filter.js';
import type { TelemetryRecord } from '../../../model/record.js';
import { buildPageQuery } from './page-sql.js';
import type { SqlValue } from './filter-condition.js';
import { toTelemetryRecord, type TelemetryRow } from './record-row.js';
import { rowWeight, withinWeight } from '../../contract/record-weight.js';
import type { IdWindow, SqliteTimeBlocks } from '../time-blocks/time-blocks.js';

/** Distinct statement texts kept prepared; a filter's shape, not its values, makes the text. */
const MAX_STATEMENTS = 256;

/**
 * `TelemetryStore.query` for SQLite: one indexed SELECT per page, walking an id-ordered index
 * from `afterId` so a page costs the same at any depth. Several products (a key scoped to more
 * than one) are read one product at a time and merged by id, because `product_id IN (…)
 * ORDER BY id` cannot walk one index in id order and would sort every matching record.
 */
export class SqliteTelemetryQuery {
  readonly #db: Database.Database;
  readonly #columns: string;
  readonly #blocks: SqliteTimeBlocks;
  readonly #statements = new Map<string, Database.Statement<SqlValue[], TelemetryRow>>();

  constructor(db: Database.Database, columns: string, blocks: SqliteTimeBlocks) {
    this.#db = db;
    this.#columns = columns;
    this.#blocks = blocks;
  }

  page(filter: TelemetryFilter, page: PageRequest): TelemetryRecord[] {
    const products = filter.productIds;
    if (products !== null && products.length === 0) return [];
    const hasRange = filter.fromUs !== undefined || filter.toUs !== undefined;
    const window = hasRange ? this.#blocks.window(filter.fromUs, filter.toUs) : undefined;
    if (window === null) return [];
    if (products === null || products.length === 1) return this.#run(filter, page, window).map(toTelemetryRecord);
    const perProduct = products.flatMap((id) => this.#run({ ...filter, productIds: [id] }, page, window));
    const merged = perProduct.sort((a, b) => idOf(a) - idOf(b));
    return withinWeight(merged, page, rowWeight).map(toTelemetryRecord);
  }

  /** The page's rows, read one at a time so that reading stops at `page.maxBytes` (record-weight.ts). */
  #run(filter: TelemetryFilter, page: PageRequest, window: IdWindow | undefined): TelemetryRow[] {
    const query = buildPageQuery(this.#columns, filter, page, window);
    const statement = this.#statement(query.sql);
    if (page.maxBytes === undefined) return statement.all(...query.params);
    return withinWeight(statement.iterate(...query.params), page, rowWeight);
  }

  #statement(sql: string): Database.Statement<SqlValue[], TelemetryRow> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      if (this.#statements.size >= MAX_STATEMENTS) this.#statements.clear();
      statement = this.#db.prepare<SqlValue[], TelemetryRow>(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

function idOf(row: TelemetryRow): number {
  return row['id'] as number;
}
