import { AccountNotFoundError, withoutHash, type Account } from '../../model/account-record.js';
import type { AuditContext, FieldChange } from '../../model/audit.js';
import type { AccountChanges, AccountStore } from '../../store/contract/account-store.js';
import type { RegistryStore } from '../../store/contract/store.js';
import { checkedName, checkedProducts, checkedRole } from './account-input.js';
import { checkPassword, generatePassword, hashPassword, type ScryptCost } from './passwords.js';

/** What the CLI and the admin API share: the account store, the registry that says which products exist, and the cost of new password hashes (`--password-hash-cost`). */
export interface AccountDeps {
  accounts: AccountStore;
  registry: RegistryStore;
  passwordCost: Readonly<ScryptCost>;
}

export interface NewAccountInput {
  name: string;
  role: string;
  products: readonly number[] | null;
  /** null: one is generated and returned once. */
  password: string | null;
}

/** The fields an update may set (the password has its own reset). */
export interface AccountUpdate {
  name?: string;
  role?: string;
  products?: readonly number[] | null;
}

/** The audit log's record of a secret: that it changed, never what it is. */
const CHANGED: FieldChange = { before: null, after: '(changed)' };

/** The account an operator names: its id (digits) or its name, whatever the case. */
export async function findAccount(accounts: AccountStore, ref: string | number): Promise<Account> {
  const text = String(ref).trim();
  const account = /^\d{1,15}$/.test(text) ? await accounts.get(Number(text)) : await accounts.findByName(text);
  if (account === null) throw new AccountNotFoundError(/^\d+$/.test(text) ? `with id ${text}` : `named "${text}"`);
  return withoutHash(account);
}

/** Makes an account; returns it with the password when one was generated (shown once, never stored). */
export async function createAccount(deps: AccountDeps, input: NewAccountInput, audit: AuditContext): Promise<{ account: Account; password: string | null }> {
  const name = checkedName(input.name);
  const role = checkedRole(input.role);
  const products = await checkedProducts(deps.registry, input.products);
  if (input.password !== null) checkPassword(input.password);
  const password = input.password ?? generatePassword();
  const account = await deps.accounts.create({ name, role, products, password_hash: await hashPassword(password, deps.passwordCost) });
  await audit.log.record({
    actor: audit.actor, action: 'account.create', targetType: 'account', targetId: String(account.id),
    changes: { name: { before: null, after: name }, role: { before: null, after: role }, products: { before: null, after: products }, password: CHANGED },
  });
  return { account, password: input.password === null ? password : null };
}

/** Changes an account's name, role or products; refuses leaving no enabled owner (LastOwnerError). */
export async function updateAccount(deps: AccountDeps, id: number, update: AccountUpdate, audit: AuditContext): Promise<Account> {
  const changes: AccountChanges = {};
  if (update.name !== undefined) changes.name = checkedName(update.name);
  if (update.role !== undefined) changes.role = checkedRole(update.role);
  if (update.products !== undefined) changes.products = await checkedProducts(deps.registry, update.products);
  return applyChanges(deps.accounts, id, changes, audit, 'account.update');
}

/** Disables (its sessions end at once) or enables an account; refuses disabling the last enabled owner. */
export async function setAccountDisabled(accounts: AccountStore, id: number, disabled: boolean, audit: AuditContext): Promise<Account> {
  return applyChanges(accounts, id, { disabled }, audit, disabled ? 'account.disable' : 'account.enable');
}

/** Sets a new password (generated when null, and returned once); the account's sessions end. */
export async function resetPassword(deps: Pick<AccountDeps, 'accounts' | 'passwordCost'>, id: number, given: string | null, audit: AuditContext): Promise<{ account: Account; password: string | null }> {
  if (given !== null) checkPassword(given);
  const password = given ?? generatePassword();
  const account = await applyChanges(deps.accounts, id, { password_hash: await hashPassword(password, deps.passwordCost) }, audit, 'account.reset_password');
  return { account, password: given === null ? password : null };
}

async function applyChanges(accounts: AccountStore, id: number, changes: AccountChanges, audit: AuditContext, action: string): Promise<Account> {
  const before = await accounts.get(id);
  if (before === null) throw new AccountNotFoundError(`with id ${id}`);
  const after = await accounts.update(id, changes, new Date().toISOString());
  if (after === null) throw new AccountNotFoundError(`with id ${id}`);
  await audit.log.record({ actor: audit.actor, action, targetType: 'account', targetId: String(id), changes: changedFields(before, after, changes) });
  return after;
}

function changedFields(before: Account, after: Account, changes: AccountChanges): Record<string, FieldChange> {
  const fields: Record<string, FieldChange> = {};
  for (const field of ['name', 'role', 'products', 'disabled'] as const) {
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field])) fields[field] = { before: before[field], after: after[field] };
  }
  if (changes.password_hash !== undefined) fields['password'] = CHANGED;
  return fields;
}
