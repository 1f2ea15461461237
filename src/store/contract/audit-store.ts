import type { AuditLog, NewAuditEntry } from '../../model/audit.js';
import type { AuditEntry, AuditQuery } from '../../model/audit-entry.js';

/**
 * The audit log's table (docs/audit.md): written by every change through `record`, read back by
 * the admin API, the dashboard and `tally audit`, trimmed by the maintenance job. Every write
 * passes through redactChanges (model/audit-redaction.ts) first, so no secret is stored even when
 * a caller passes one.
 */
export interface AuditStore extends AuditLog {
  /** Stores one entry, stamped now. Durable before it resolves. */
  record(entry: NewAuditEntry): Promise<void>;
  /** Stores entries in one transaction, in order, all stamped `atUs` (default now): a bulk import's per-license entries. */
  recordMany(entries: readonly NewAuditEntry[], atUs?: number): Promise<void>;
  /** Entries matching every given filter, newest first (by id), at most `limit`, below `beforeId` when given. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
  /** Deletes the entries stamped before `beforeUs` (retention); returns how many. */
  removeBefore(beforeUs: number): Promise<number>;
}
