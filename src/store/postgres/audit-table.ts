import type pg from 'pg';
import type { NewAuditEntry } from '../../model/audit.js';
import type { AuditEntry, AuditQuery } from '../../model/audit-entry.js';
import { nowMicros } from '../../model/clock.js';
import type { AuditStore } from '../contract/audit-store.js';
import { AUDIT_COLUMNS, AUDIT_INSERT_COLUMNS, auditValues, auditWhere, toAuditEntry, type AuditRow } from '../contract/audit-rows.js';
import { changedRows, inTransaction, selectRows } from './statements.js';

const INSERT = `INSERT INTO audit_log (${AUDIT_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
const COLUMN_COUNT = 9;
/** Rows per INSERT of recordMany: well under PostgreSQL's 65 535 parameters. */
const ROWS_PER_INSERT = 500;

/** One INSERT of `rows` rows, in order (ids follow the VALUES order). */
function insertRows(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, row) =>
    `(${Array.from({ length: COLUMN_COUNT }, (_, column) => `$${row * COLUMN_COUNT + column + 1}`).join(', ')})`);
  return `INSERT INTO audit_log (${AUDIT_INSERT_COLUMNS}) VALUES ${tuples.join(', ')}`;
}

/** The audit log in PostgreSQL (AuditStore); several entries are one transaction. */
export class PgAuditTable implements AuditStore {
  readonly #db: pg.Pool;

  constructor(db: pg.Pool) {
    this.#db = db;
  }

  async record(entry: NewAuditEntry): Promise<void> {
    await this.#db.query(INSERT, auditValues(entry, nowMicros()));
  }

  async recordMany(entries: readonly NewAuditEntry[], atUs: number = nowMicros()): Promise<void> {
    if (entries.length === 0) return;
    await inTransaction(this.#db, async (client) => {
      for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
        const chunk = entries.slice(start, start + ROWS_PER_INSERT);
        await client.query(insertRows(chunk.length), chunk.flatMap((entry) => auditValues(entry, atUs)));
      }
    });
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const where = auditWhere(query, (n) => `$${n}`);
    const sql = `SELECT ${AUDIT_COLUMNS} FROM audit_log ${where.sql} ORDER BY id DESC LIMIT $${where.values.length + 1}`;
    return (await selectRows<AuditRow>(this.#db, sql, [...where.values, query.limit])).map(toAuditEntry);
  }

  async removeBefore(beforeUs: number): Promise<number> {
    return changedRows(this.#db, 'DELETE FROM audit_log WHERE at < $1', [beforeUs]);
  }
}
