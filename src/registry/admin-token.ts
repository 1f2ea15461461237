import type { SecretStore } from '../store/contract/store.js';
import { hashSecret, newSecret, secretMatches } from './secrets.js';
import type { AuditContext } from '../model/audit.js';
import { recordChange } from './audit/record-change.js';
import { SECRET_MARK } from '../model/audit-redaction.js';

const SETTING = 'admin_token_hash';

/**
 * Makes sure an admin token exists. A configured token (TALLY_ADMIN_TOKEN) replaces the stored
 * hash; otherwise one is generated on first start. Returns the token only when it was just
 * generated, so the caller can print it once; it is never stored in the clear. A token made or
 * changed (a configured one that differs from the stored one) is recorded as `setting.update` of
 * `admin_token`, its value as "(changed)"; restarting with the same token records nothing.
 */
export async function ensureAdminToken(secrets: SecretStore, configured: string | null, audit: AuditContext): Promise<string | null> {
  const stored = await secrets.getSetting(SETTING);
  if (configured !== null) {
    if (stored !== null && secretMatches(configured, stored)) return null;
    await secrets.setSetting(SETTING, hashSecret(configured));
    await recordTokenChange(audit, stored !== null);
    return null;
  }
  if (stored !== null) return null;
  const token = newSecret('tly_admin_');
  await secrets.setSetting(SETTING, hashSecret(token));
  await recordTokenChange(audit, false);
  return token;
}

function recordTokenChange(audit: AuditContext, hadOne: boolean): Promise<void> {
  return recordChange(audit, {
    action: 'setting.update', targetType: 'setting', targetId: 'admin_token',
    changes: { admin_token: { before: hadOne ? SECRET_MARK : null, after: SECRET_MARK } },
  });
}

export async function adminTokenMatches(secrets: SecretStore, presented: string): Promise<boolean> {
  const stored = await secrets.getSetting(SETTING);
  return stored !== null && secretMatches(presented, stored);
}
