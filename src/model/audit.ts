/**
 * The audit log (issue 18, docs/audit.md): one entry per change to the registry, keys,
 * accounts, webhooks, the blocklist or settings. Never holds a secret: a changed secret is
 * recorded as changed, not as its value.
 */

/** One field's value before and after the change (null when absent on that side). */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

/** Who made a change and from where (the request's client IP; null for the CLI). */
export interface AuditActor {
  kind: 'session' | 'token' | 'admin-token' | 'cli';
  accountId: number | null;
  name: string;
  ip: string | null;
}

export interface NewAuditEntry {
  actor: AuditActor;
  /** `<subject>.<verb>`, e.g. `license.update`, `account.create`, `webhook.remove`. */
  action: string;
  /** What was changed: `license`, `product`, `api_key`, `account`, `webhook`, `block`, `setting`, … */
  targetType: string;
  /** Its id or key as text; null when the change has no single target (an import). */
  targetId: string | null;
  /** The fields that changed; secrets appear as `"(changed)"`, never their value. */
  changes: Record<string, FieldChange>;
}

/** Where changes are recorded; the store's audit table, read back by the admin API and `tally audit`. */
export interface AuditLog {
  record(entry: NewAuditEntry): Promise<void>;
}

/** What a shared function that changes something needs to record it: where, and who is changing it. */
export interface AuditContext {
  log: AuditLog;
  actor: AuditActor;
}
