import { ACCESS_TOKEN_PREFIX } from '../../../model/access-tokens.js';
import type { Principal } from '../../../model/accounts.js';
import { accessTokenPrincipal } from '../../../registry/accounts/access-tokens.js';
import { adminTokenMatches } from '../../../registry/admin-token.js';
import type { Store } from '../../../store/contract/store.js';
import { ADMIN_TOKEN_PRINCIPAL } from './principal.js';

/**
 * Who a Bearer token is: a personal API token (`tly_pat_…`) acts for its account with the
 * account's current role and products; anything else is compared with the admin token (an owner,
 * CONTRACT §1). Null when it is neither, or a personal token that is revoked, expired or whose
 * account is disabled.
 */
export async function bearerPrincipal(store: Store, token: string): Promise<Principal | null> {
  if (token.startsWith(ACCESS_TOKEN_PREFIX)) return accessTokenPrincipal({ tokens: store.accessTokens, accounts: store.accounts }, token);
  return (await adminTokenMatches(store.secrets, token)) ? ADMIN_TOKEN_PRINCIPAL : null;
}

/** What a 401 says to a Bearer token that opened nothing. */
export function refusedBearerMessage(token: string): string {
  return token.startsWith(ACCESS_TOKEN_PREFIX) ? 'Invalid, revoked or expired personal API token.' : 'Invalid admin token.';
}
