import type { AuditContext, FieldChange, NewAuditEntry } from '../../model/audit.js';

/** What one change is, without who made it: the actor comes from the AuditContext. */
export interface Change {
  /** `<subject>.<verb>` (model/audit.ts). */
  action: string;
  targetType: string;
  targetId: string | number | null;
  changes: Record<string, FieldChange>;
}

function entry(audit: AuditContext, change: Change): NewAuditEntry {
  const targetId = change.targetId === null ? null : String(change.targetId);
  return { actor: audit.actor, action: change.action, targetType: change.targetType, targetId, changes: change.changes };
}

/**
 * Records one change made by the context's actor. Called after the change is stored: when the
 * record fails, the caller's request or command fails too, so an unrecorded change is never
 * reported as a success (docs/audit.md, "When a change is recorded").
 */
export async function recordChange(audit: AuditContext, change: Change): Promise<void> {
  await audit.log.record(entry(audit, change));
}

/** Records a change unless nothing changed (an update to the same values, a second deactivate). */
export async function recordIfChanged(audit: AuditContext, change: Change): Promise<void> {
  if (Object.keys(change.changes).length > 0) await recordChange(audit, change);
}

/** A log that stores several entries in one write (the store's AuditStore does). */
interface BatchLog {
  recordMany(entries: readonly NewAuditEntry[]): Promise<void>;
}

function isBatchLog(log: object): log is BatchLog {
  return typeof (log as Partial<BatchLog>).recordMany === 'function';
}

/** Records several changes, in one write when the log can (a bulk import's one entry per license). */
export async function recordChanges(audit: AuditContext, changes: readonly Change[]): Promise<void> {
  const entries = changes.map((change) => entry(audit, change));
  if (isBatchLog(audit.log)) await audit.log.recordMany(entries);
  else for (const one of entries) await audit.log.record(one);
}
