import type { Account } from '../../model/account-record.js';
import { NotFoundError } from '../../model/errors.js';
import type { AccountStore } from '../../store/contract/account-store.js';

/** The account a command names by id (digits) or by name, whatever its case; NotFoundError when none. Never with its password hash. */
export async function accountByNameOrId(accounts: Pick<AccountStore, 'get' | 'findByName'>, nameOrId: string): Promise<Account> {
  const text = nameOrId.trim();
  const byId = /^\d{1,15}$/.test(text) ? await accounts.get(Number(text)) : null;
  if (byId !== null) return byId;
  const byName = await accounts.findByName(text);
  // Read again by id: the name lookup carries the password hash, which nothing here needs.
  const account = byName === null ? null : await accounts.get(byName.id);
  if (account === null) throw new NotFoundError(`No account ${JSON.stringify(text)} (give its name or id; tally user list shows them).`);
  return account;
}
