import type Database from 'better-sqlite3';
import type { NewAuditEntry } from '../../../model/audit.js';
import type { AuditEntry, AuditQuery } from '../../../model/audit-entry.js';
import { nowMicros } from '../../../model/clock.js';
import type { AuditStore } from '../../contract/audit-store.js';
import { AUDIT_COLUMNS, AUDIT_INSERT_COLUMNS, auditValues, auditWhere, toAuditEntry, type AuditRow } from '../../contract/audit-rows.js';

/** Deleted per transaction by removeBefore, so retention never holds the write lock for long. */
const DELETE_BATCH = 5000;

/** The audit log in SQLite (AuditStore): each write one transaction on this connection. */
export class SqliteAuditTable implements AuditStore {
  readonly #db: Database.Database;
  readonly #insert: Database.Statement<unknown[]>;
  readonly #insertMany: Database.Transaction<(entries: readonly NewAuditEntry[], atUs: number) => void>;
  readonly #deleteSome: Database.Statement<[number, number]>;

  constructor(db: Database.Database) {
    this.#db = db;
    const insert = db.prepare<unknown[]>(`INSERT INTO audit_log (${AUDIT_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#insert = insert;
    this.#insertMany = db.transaction((entries: readonly NewAuditEntry[], atUs: number) => {
      for (const entry of entries) insert.run(...auditValues(entry, atUs));
    });
    this.#deleteSome = db.prepare('DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? LIMIT ?)');
  }

  async record(entry: NewAuditEntry): Promise<void> {
    this.#insert.run(...auditValues(entry, nowMicros()));
  }

  async recordMany(entries: readonly NewAuditEntry[], atUs: number = nowMicros()): Promise<void> {
    if (entries.length > 0) this.#insertMany.immediate(entries, atUs);
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const where = auditWhere(query, () => '?');
    const rows = this.#db.prepare<unknown[], AuditRow>(`SELECT ${AUDIT_COLUMNS} FROM audit_log ${where.sql} ORDER BY id DESC LIMIT ?`)
      .all(...where.values, query.limit);
    return rows.map(toAuditEntry);
  }

  async removeBefore(beforeUs: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const changes = this.#deleteSome.run(beforeUs, DELETE_BATCH).changes;
      removed += changes;
      if (changes < DELETE_BATCH) return removed;
    }
  }
}
