import type { SecretStore } from '../store/contract/store.js';
import { hashSecret, newSecret, secretMatches } from './secrets.js';

const SETTING = 'admin_token_hash';

/**
 * Makes sure an admin token exists. A configured token (TALLY_ADMIN_TOKEN) replaces the stored
 * hash; otherwise one is generated on first start. Returns the token only when it was just
 * generated, so the caller can print it once; it is never stored in the clear.
 */
export async function ensureAdminToken(secrets: SecretStore, configured: string | null): Promise<string | null> {
  if (configured !== null) {
    await secrets.setSetting(SETTING, hashSecret(configured));
    return null;
  }
  if ((await secrets.getSetting(SETTING)) !== null) return null;
  const token = newSecret('tly_admin_');
  await secrets.setSetting(SETTING, hashSecret(token));
  return token;
}

export async function adminTokenMatches(secrets: SecretStore, presented: string): Promise<boolean> {
  const stored = await secrets.getSetting(SETTING);
  return stored !== null && secretMatches(presented, stored);
}
