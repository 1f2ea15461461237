import type { AuditContext } from '../model/audit.js';
import type { AccountStore } from '../store/contract/account-store.js';
import type { SecretStore } from '../store/contract/store.js';
import { hashSecret, secretMatches } from './secrets.js';

const SETTING = 'admin_token_hash';

/**
 * The pre-accounts admin token (docs/accounts.md, "The admin token"): an owner token kept so that
 * upgrades break nothing. A configured token (TALLY_ADMIN_TOKEN) replaces the stored hash; without
 * one, a hash stored by an earlier version keeps working until revoked. A new install makes none.
 */
export async function applyConfiguredAdminToken(secrets: SecretStore, configured: string | null): Promise<void> {
  if (configured !== null) await secrets.setSetting(SETTING, hashSecret(configured));
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
  if (had) await audit.log.record({ actor: audit.actor, action: 'admin_token.revoke', targetType: 'admin_token', targetId: null, changes: { admin_token: { before: '(set)', after: null } } });
  return had;
}
