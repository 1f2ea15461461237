import type { AuditEntry, AuditQuery } from '../model/audit-entry.js';
import type { Instant } from '../model/parse-instant.js';
import { csvField } from './csv.js';
import { isoFromMicros } from './iso-micros.js';
import type { ExportFormat } from './export.js';
import type { AuditStore } from '../store/contract/audit-store.js';

/**
 * Reading the audit log (docs/audit.md): the admin API, its export and `tally audit` read the same
 * filters into the same query and show entries in the same shape.
 */

/** The filters as the admin API's query string and the CLI's flags give them (the times already read). */
export interface AuditFilters {
  actor?: string | undefined;
  action?: string | undefined;
  target_type?: string | undefined;
  target_id?: string | undefined;
  from?: Instant | undefined;
  /** Covers the whole unit it names (`2026-01-31` takes in that day), as the record filters' `to`. */
  to?: Instant | undefined;
}

/** An entry as the admin API, exports and `tally audit --json` show it. */
export interface PublicAuditEntry {
  id: number;
  at: string;
  actor_kind: string;
  actor_account_id: number | null;
  actor_name: string;
  ip: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  changes: AuditEntry['changes'];
}

/** The columns of a CSV export, in order (the public entry's keys). */
export const AUDIT_CSV_COLUMNS: readonly (keyof PublicAuditEntry)[] = [
  'id', 'at', 'actor_kind', 'actor_account_id', 'actor_name', 'ip', 'action', 'target_type', 'target_id', 'changes',
];

/** Entries read per store query while exporting. */
const EXPORT_PAGE = 500;

/** The store's query for these filters (blank text filters are no filter), a page of `limit` below `beforeId`. */
export function auditQuery(filters: AuditFilters, limit: number, beforeId?: number): AuditQuery {
  const text = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const query: AuditQuery = { limit };
  const actor = text(filters.actor);
  const action = text(filters.action);
  const targetType = text(filters.target_type);
  const targetId = text(filters.target_id);
  if (actor !== undefined) query.actor = actor;
  if (action !== undefined) query.action = action.toLowerCase();
  if (targetType !== undefined) query.targetType = targetType;
  if (targetId !== undefined) query.targetId = targetId;
  if (filters.from !== undefined) query.fromUs = filters.from.us;
  if (filters.to !== undefined) query.toUs = filters.to.us + filters.to.unitUs;
  if (beforeId !== undefined && beforeId > 0) query.beforeId = beforeId;
  return query;
}

export function publicAuditEntry(entry: AuditEntry): PublicAuditEntry {
  const { actor } = entry;
  return {
    id: entry.id, at: isoFromMicros(entry.at_us), actor_kind: actor.kind, actor_account_id: actor.accountId, actor_name: actor.name, ip: actor.ip,
    action: entry.action, target_type: entry.target_type, target_id: entry.target_id, changes: entry.changes,
  };
}

/** One page, newest first, and the cursor of the next (`after`: the last id shown), null when this was the last. */
export async function auditPage(store: AuditStore, filters: AuditFilters, limit: number, after?: number): Promise<{ entries: PublicAuditEntry[]; next_after: number | null }> {
  const entries = await store.list(auditQuery(filters, limit + 1, after));
  const page = entries.slice(0, limit);
  const last = page[page.length - 1];
  return { entries: page.map(publicAuditEntry), next_after: entries.length > limit && last !== undefined ? last.id : null };
}

/** Every matching entry, newest first, read a page at a time (memory holds one page). */
export async function* allAuditEntries(store: AuditStore, filters: AuditFilters): AsyncGenerator<PublicAuditEntry> {
  let before: number | undefined;
  for (;;) {
    const page = await store.list(auditQuery(filters, EXPORT_PAGE, before));
    for (const entry of page) yield publicAuditEntry(entry);
    const last = page[page.length - 1];
    if (page.length < EXPORT_PAGE || last === undefined) return;
    before = last.id;
  }
}

/** The export as lines with their line breaks: NDJSON, or a CSV header then rows (cells safe from spreadsheets, query/csv.ts). */
export async function* auditExportLines(store: AuditStore, filters: AuditFilters, format: ExportFormat): AsyncGenerator<string> {
  if (format === 'csv') yield AUDIT_CSV_COLUMNS.join(',') + '\r\n';
  for await (const entry of allAuditEntries(store, filters)) {
    yield format === 'csv' ? AUDIT_CSV_COLUMNS.map((column) => csvField(entry[column])).join(',') + '\r\n' : JSON.stringify(entry) + '\n';
  }
}
