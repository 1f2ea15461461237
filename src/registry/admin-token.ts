import type { AuditContext } from '../model/audit.js';
import type { AccountStore } from '../store/contract/account-store.js';
import type { SecretStore } from '../store/contract/store.js';
import { hashSecret, secretMatches } from './secrets.js';
import { recordChange } from './audit/record-change.js';
import { SECRET_MARK } from '../model/audit-redaction.js';

const SETTING = 'admin_token_hash';

/**
 * The pre-accounts admin token (docs/accounts.md, "The admin token"): an owner token kept so that
 * upgrades break nothing. A configured token (TALLY_ADMIN_TOKEN) replaces the stored hash; without
 * one, a hash stored by an earlier version keeps working until revoked. A new install makes none.
 * A configured token that differs from the stored one is recorded as `setting.update` of
 * `admin_token`, its value as "(changed)"; restarting with the same token records nothing.
 */
export async function applyConfiguredAdminToken(secrets: SecretStore, configured: string | null, audit: AuditContext): Promise<void> {
  if (configured === null) return;
  const stored = await secrets.getSetting(SETTING);
  if (stored !== null && stored !== '' && secretMatches(configured, stored)) return;
  await secrets.setSetting(SETTING, hashSecret(configured));
  await recordTokenChange(audit, stored !== null && stored !== '');
}

function recordTokenChange(audit: AuditContext, hadOne: boolean): Promise<void> {
  return recordChange(audit, {
    action: 'setting.update', targetType: 'setting', targetId: 'admin_token',
    changes: { admin_token: { before: hadOne ? SECRET_MARK : null, after: SECRET_MARK } },
  });
}

export async function adminTokenMatches(secrets: SecretStore, presented: string): Promise<boolean> {
  const stored = await secrets.getSetting(SETTING);
  return stored !== null && stored !== '' && secretMatches(presented, stored);
}

/** Whether an admin token works now. */
export async function hasAdminToken(secrets: SecretStore): Promise<boolean> {
  const stored = await secrets.getSetting(SETTING);
  return stored !== null && stored !== '';
}

/**
 * Revokes the admin token: its hash is cleared and the dashboard sessions opened with it end.
 * Returns false when there was none. (A TALLY_ADMIN_TOKEN still set stores it again on the next start.)
 */
export async function revokeAdminToken(secrets: SecretStore, accounts: AccountStore, audit: AuditContext): Promise<boolean> {
  const had = await hasAdminToken(secrets);
  await secrets.setSetting(SETTING, '');
  await accounts.deleteSessionsOf(null);
  if (had) await recordChange(audit, { action: 'admin_token.revoke', targetType: 'setting', targetId: 'admin_token', changes: { admin_token: { before: SECRET_MARK, after: null } } });
  return had;
}
