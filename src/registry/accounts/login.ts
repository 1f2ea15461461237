import { withoutHash, type Account } from '../../model/account-record.js';
import type { AccountStore } from '../../store/contract/account-store.js';
import { decoyHash, verifyPassword } from './passwords.js';

/** How a password login went: the account, a wrong name or password (the caller cannot tell which), or a disabled account. */
export type LoginOutcome = { ok: true; account: Account } | { ok: false; reason: 'wrong' | 'disabled' };

/**
 * Checks a name and password. An unknown name is checked against a decoy hash, so it takes as
 * long as a wrong password. A disabled account is refused even with its right password. A
 * successful login is recorded (last_login_at).
 */
export async function checkLogin(accounts: AccountStore, name: string, password: string): Promise<LoginOutcome> {
  const found = await accounts.findByName(name);
  const matches = await verifyPassword(password, found?.password_hash ?? (await decoyHash()));
  if (found === null || !matches) return { ok: false, reason: 'wrong' };
  if (found.disabled) return { ok: false, reason: 'disabled' };
  await accounts.recordLogin(found.id, new Date().toISOString());
  return { ok: true, account: withoutHash(found) };
}
