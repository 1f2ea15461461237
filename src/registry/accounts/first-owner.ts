import type { Account } from '../../model/account-record.js';
import type { AuditContext } from '../../model/audit.js';
import { RegistryInputError } from '../../model/errors.js';
import type { AccountStore } from '../../store/contract/account-store.js';
import { hashSecret, newSecret } from '../secrets.js';
import { checkedName } from './account-input.js';
import { checkPassword, hashPassword, type ScryptCost } from './passwords.js';

/** How long a setup code works. */
export const SETUP_CODE_TTL_MS = 60 * 60 * 1000;

/**
 * A one-time setup code for making the first owner (docs/accounts.md, "First owner"): random,
 * stored only as its SHA-256, usable once within an hour. The server prints it only to an
 * interactive terminal, never to a log.
 */
export async function newSetupCode(accounts: AccountStore, nowMs: number = Date.now()): Promise<string> {
  const code = newSecret('tly_setup_');
  await accounts.saveSetupCode(hashSecret(code), nowMs + SETUP_CODE_TTL_MS);
  return code;
}

/**
 * Makes the first owner with a setup code: the name and password are checked first (a typo does
 * not use the code up), then the code is used up, then the owner is made only while there is no
 * account (its password hashed at `cost`). Null when the code is wrong, used or expired, or an account exists already.
 */
export async function createFirstOwner(accounts: AccountStore, code: string, input: { name: string; password: string }, audit: AuditContext, cost: Readonly<ScryptCost>): Promise<Account | null> {
  const name = checkedName(input.name);
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password, cost);
  if (code.length > 128 || !(await accounts.takeSetupCode(hashSecret(code), Date.now()))) return null;
  const account = await accounts.createIfNone({ name, role: 'owner', products: null, password_hash: passwordHash });
  if (account === null) return null;
  await audit.log.record({
    actor: { ...audit.actor, kind: 'session', accountId: account.id, name },
    action: 'account.create', targetType: 'account', targetId: String(account.id),
    changes: { name: { before: null, after: name }, role: { before: null, after: 'owner' }, products: { before: null, after: null }, password: { before: null, after: '(changed)' } },
  });
  return account;
}

/** Refuses a setup attempt whose two passwords differ (the page asks twice). */
export function checkRepeated(password: string, repeated: string): void {
  if (password !== repeated) throw new RegistryInputError('The two passwords differ.');
}
