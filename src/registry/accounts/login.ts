import { withoutHash, type Account } from '../../model/account-record.js';
import type { AccountStore } from '../../store/contract/account-store.js';
import { decoyHash, hashNeedsUpgrade, hashPassword, verifyPassword, type ScryptCost } from './passwords.js';

/** How a password login went: the account, a wrong name or password (the caller cannot tell which), or a disabled account. */
export type LoginOutcome = { ok: true; account: Account } | { ok: false; reason: 'wrong' | 'disabled' };

/**
 * Checks a name and password. An unknown name is checked against a decoy hash, so it takes as
 * long as a wrong password. A disabled account is refused even with its right password. A
 * successful login is recorded (last_login_at), and a hash made with less than `cost` (the
 * configured one) is replaced by one made with it (which, like any new password hash, ends the
 * account's other sessions).
 */
export async function checkLogin(accounts: AccountStore, name: string, password: string, cost: Readonly<ScryptCost>): Promise<LoginOutcome> {
  const found = await accounts.findByName(name);
  const matches = await verifyPassword(password, found?.password_hash ?? (await decoyHash(cost)));
  if (found === null || !matches) return { ok: false, reason: 'wrong' };
  if (found.disabled) return { ok: false, reason: 'disabled' };
  const now = new Date().toISOString();
  if (hashNeedsUpgrade(found.password_hash, cost)) await accounts.update(found.id, { password_hash: await hashPassword(password, cost) }, now);
  await accounts.recordLogin(found.id, now);
  return { ok: true, account: withoutHash(found) };
}
