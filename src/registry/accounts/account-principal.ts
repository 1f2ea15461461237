import type { Principal } from '../../model/accounts.js';
import type { Account } from '../../model/account-record.js';

/**
 * Who a request authenticated as an account is: its role and its products. `kind` says how it
 * authenticated (a dashboard session, or a personal API token). A disabled account has no
 * principal: the caller refuses the request (null).
 */
export function accountPrincipal(account: Account, kind: 'session' | 'token'): Principal | null {
  if (account.disabled) return null;
  return { kind, accountId: account.id, name: account.name, role: account.role, products: account.products === null ? null : [...account.products] };
}
