import type Database from 'better-sqlite3';
import type { TelemetryFilter } from '../../../model/filter.js';
import { filterCondition, type SqlCondition, type SqlValue } from '../queries/filter-condition.js';

/** One query over the filtered records: `SELECT <select> FROM telemetry INDEXED BY <index> WHERE <filter> AND <and> <tail>`. */
export interface FilteredQuery {
  select: string;
  /** Parameters of `?` in the select list: they come before the filter's. */
  selectParams?: SqlValue[];
  /**
   * The index to read (`INDEXED BY`). Without table statistics the planner may prefer another
   * index and fetch every row from the table; naming it keeps a summary on its covering index,
   * and a query that cannot use it fails to prepare instead of silently scanning the table.
   */
  index: string;
  /** Extra condition; its `?` parameters follow the filter's. */
  and?: string;
  /** GROUP BY / ORDER BY / LIMIT; its `?` parameters come last. */
  tail?: string;
}

/**
 * The queries of one summary, all over the same filter. Statements are prepared once per
 * summary and reused (the per-day counts run the same few once per day). Rows are typed by the caller,
 * which wrote the SELECT.
 */
export class FilteredQueries {
  readonly #db: Database.Database;
  readonly #where: SqlCondition;
  readonly #statements = new Map<string, Database.Statement<SqlValue[]>>();

  constructor(db: Database.Database, filter: TelemetryFilter) {
    this.#db = db;
    this.#where = filterCondition(filter);
  }

  all<Row>(query: FilteredQuery, ...params: SqlValue[]): Row[] {
    return this.#statement(query).all(...this.#params(query, params)) as Row[];
  }

  get<Row>(query: FilteredQuery, ...params: SqlValue[]): Row | undefined {
    return this.#statement(query).get(...this.#params(query, params)) as Row | undefined;
  }

  /** The first column of the first row, or null when there is no row or the column is NULL. */
  value<T extends SqlValue>(query: FilteredQuery, ...params: SqlValue[]): T | null {
    const value = this.#statement(query, true).get(...this.#params(query, params)) as T | null | undefined;
    return value ?? null;
  }

  /** In the order their `?` appear: select list, filter, `and`, `tail`. */
  #params(query: FilteredQuery, params: readonly SqlValue[]): SqlValue[] {
    return [...(query.selectParams ?? []), ...this.#where.params, ...params];
  }

  /** Prepared on first use; a plucking statement is cached apart, since plucking changes what it returns. */
  #statement(query: FilteredQuery, pluck = false): Database.Statement<SqlValue[]> {
    const and = query.and ? ` AND ${query.and}` : '';
    const sql = `SELECT ${query.select} FROM telemetry INDEXED BY ${query.index} WHERE ${this.#where.sql}${and} ${query.tail ?? ''}`;
    const key = pluck ? `pluck:${sql}` : sql;
    let statement = this.#statements.get(key);
    if (statement === undefined) {
      statement = this.#db.prepare<SqlValue[]>(sql).pluck(pluck);
      this.#statements.set(key, statement);
    }
    return statement;
  }
}
