import type { AuditActor, FieldChange, NewAuditEntry } from '../../model/audit.js';
import type { AuditEntry, AuditQuery } from '../../model/audit-entry.js';
import { redactChanges } from '../../model/audit-redaction.js';

/**
 * What both backends do alike for the audit table (audit-store.ts): the row an entry is written
 * as (secrets redacted here, the one place every write passes), the filters as SQL conditions
 * with their values in order, and the mapping of a row back. PostgreSQL gives bigint as text and
 * json parsed; SQLite numbers and text; both are read here.
 */

type Int = number | string;

export const AUDIT_COLUMNS = 'id, at, actor_kind, actor_account_id, actor_name, ip, action, target_type, target_id, changes';

/** The values of one INSERT, in the order of AUDIT_INSERT_COLUMNS. */
export const AUDIT_INSERT_COLUMNS = 'at, actor_kind, actor_account_id, actor_name, ip, action, target_type, target_id, changes';

export function auditValues(entry: NewAuditEntry, atUs: number): unknown[] {
  const { actor } = entry;
  return [atUs, actor.kind, actor.accountId, actor.name, actor.ip, entry.action, entry.targetType, entry.targetId, JSON.stringify(redactChanges(entry.changes))];
}

export interface AuditRow {
  id: Int;
  at: Int;
  actor_kind: AuditActor['kind'];
  actor_account_id: Int | null;
  actor_name: string;
  ip: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  changes: string | Record<string, FieldChange>;
}

export function toAuditEntry(row: AuditRow): AuditEntry {
  const changes = typeof row.changes === 'string' ? (JSON.parse(row.changes) as Record<string, FieldChange>) : row.changes;
  return {
    id: Number(row.id),
    at_us: Number(row.at),
    actor: { kind: row.actor_kind, accountId: row.actor_account_id === null ? null : Number(row.actor_account_id), name: row.actor_name, ip: row.ip },
    action: row.action,
    target_type: row.target_type,
    target_id: row.target_id,
    changes,
  };
}

/**
 * The WHERE clause of a list query and its values, with `param(n)` writing the n-th placeholder
 * (`?` for SQLite, `$n` for PostgreSQL). An action matches itself and the actions it is a
 * prefix of at a dot (`license` → `license.create`), compared as text on both backends.
 */
export function auditWhere(query: AuditQuery, param: (n: number) => string): { sql: string; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const add = (sql: (...p: string[]) => string, ...given: unknown[]): void => {
    const placeholders = given.map((value) => {
      values.push(value);
      return param(values.length);
    });
    conditions.push(sql(...placeholders));
  };
  if (query.actor !== undefined) {
    const id = /^\d{1,15}$/.test(query.actor) ? Number(query.actor) : null;
    if (id === null) add((a) => `actor_name = ${a}`, query.actor);
    else add((a, b) => `(actor_name = ${a} OR actor_account_id = ${b})`, query.actor, id);
  }
  if (query.action !== undefined) {
    const action = query.action.replace(/\.+$/, '');
    add((a, n, p) => `(action = ${a} OR substr(action, 1, ${n}) = ${p})`, action, action.length + 1, `${action}.`);
  }
  if (query.targetType !== undefined) add((a) => `target_type = ${a}`, query.targetType);
  if (query.targetId !== undefined) add((a) => `target_id = ${a}`, query.targetId);
  if (query.fromUs !== undefined) add((a) => `at >= ${a}`, query.fromUs);
  if (query.toUs !== undefined) add((a) => `at < ${a}`, query.toUs);
  if (query.beforeId !== undefined) add((a) => `id < ${a}`, query.beforeId);
  return { sql: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, values };
}
