import type { FieldChange } from './audit.js';

/** What the audit log shows instead of a secret's value. */
export const SECRET_MARK = '(changed)';

/**
 * Field names whose values are secrets wherever they appear (any case; `_` or `-` between words):
 * a secret, password, token, private key or a secret's hash.
 */
const SECRET_NAME = /(secret|password|passwd|token|private|(^|[_-])hash$|_hash(es)?$)/i;

/**
 * Values that are secrets whatever their field is called: Tally's API keys and admin tokens
 * (`tly_…`), webhook secrets (`whsec_…`), SHA-256 hashes of secrets (64 hex digits) and PEM
 * private keys.
 */
const SECRET_VALUE = /^(tly_[A-Za-z0-9_-]{16,}|whsec_[A-Za-z0-9_-]{16,}|[0-9a-f]{64})$|-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** True when a field of that name holds a secret (docs/audit.md, "Never a secret"). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The audit log's second line of defence (the first: the functions that record never pass a
 * secret): every field whose name says secret, and every value that looks like one of Tally's
 * secrets, at any depth, becomes `"(changed)"`; null and absent stay as they are (nothing was set).
 */
export function redactChanges(changes: Readonly<Record<string, FieldChange>>): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const [name, change] of Object.entries(changes)) {
    const secret = isSecretName(name);
    out[name] = { before: redactValue(change.before, secret), after: redactValue(change.after, secret) };
  }
  return out;
}

function redactValue(value: unknown, secret: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (secret) return SECRET_MARK;
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? SECRET_MARK : value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, false));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redactValue(item, isSecretName(name))]));
  }
  return value;
}
