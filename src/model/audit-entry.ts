import type { AuditActor, FieldChange } from './audit.js';

/**
 * An audit log entry as stored and read back (docs/audit.md): who (`actor`), when (`at`, µs since
 * the epoch), what (`action`, `target_type`, `target_id`) and the fields that changed, secrets as
 * `"(changed)"`. Entries are ordered by `id`, which grows with `at` within one database.
 */
export interface AuditEntry {
  id: number;
  at_us: number;
  actor: AuditActor;
  action: string;
  target_type: string;
  target_id: string | null;
  changes: Record<string, FieldChange>;
}

/** The filters and page of `AuditStore.list`: every field optional, all given ones must hold. */
export interface AuditQuery {
  /** An actor's name, or an account id (digits: matches that account id or that name). */
  actor?: string;
  /** An action (`license.create`) or a prefix of whole parts (`license` matches `license.create`, `license.import`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Entries at or after this time (µs). */
  fromUs?: number;
  /** Entries before this time (µs). */
  toUs?: number;
  /** Keyset paging, newest first: entries with an id below this one. */
  beforeId?: number;
  limit: number;
}

/** The most entries one page of the audit log holds. */
export const MAX_AUDIT_PAGE = 1000;
/** A page's size when none is asked for. */
export const DEFAULT_AUDIT_PAGE = 100;
