import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/** One table (with its indexes, and its partitions for a partitioned one) and its bytes on disk. */
export interface TableSize {
  table: string;
  bytes: number;
}

/**
 * PostgreSQL: pg_total_relation_size of every table of the current schema, partitions summed
 * into their partitioned root (telemetry = all its partitions, indexes and TOAST included).
 */
const PG_SIZES = `SELECT coalesce(pg_partition_root(c.oid), c.oid)::regclass::text AS "table", sum(pg_total_relation_size(c.oid))::float8 AS bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = current_schema() AND c.relkind = 'r'
  GROUP BY 1 ORDER BY 2 DESC`;

export async function pgTableSizes(databaseUrl: string): Promise<TableSize[]> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<TableSize>(PG_SIZES)).rows;
  } finally {
    await client.end();
  }
}

/** PostgreSQL's data directory (`SHOW data_directory`, which needs a superuser or pg_read_all_settings). */
export async function pgDataDirectory(databaseUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]?.data_directory ?? '/';
  } finally {
    await client.end();
  }
}

/** SQLite: the database file and its WAL, in bytes. */
export function sqliteFileBytes(dataDir: string): number {
  const file = path.join(dataDir, 'tally.db');
  return [file, `${file}-wal`].reduce((sum, name) => sum + (existsSync(name) ? statSync(name).size : 0), 0);
}

/** SQLite: bytes per table, its indexes counted with it (the dbstat table; empty when this SQLite lacks it). */
export function sqliteTableSizes(dataDir: string): TableSize[] {
  const db = new Database(path.join(dataDir, 'tally.db'), { readonly: true });
  try {
    const rows = db.prepare(`SELECT coalesce(m.tbl_name, s.name) AS "table", sum(s.pgsize) AS bytes FROM dbstat s
      LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY 1 ORDER BY 2 DESC`).all() as TableSize[];
    return rows;
  } catch {
    return [];
  } finally {
    db.close();
  }
}

/** Tables that grew between two readings (or are new), largest growth first. */
export function grownTables(before: readonly TableSize[], after: readonly TableSize[]): TableSize[] {
  const was = new Map(before.map((row) => [row.table, row.bytes]));
  return after
    .map((row) => ({ table: row.table, bytes: row.bytes - (was.get(row.table) ?? 0) }))
    .filter((row) => row.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}
