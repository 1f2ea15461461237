import type { Role } from '../../model/accounts.js';
import { withoutHash, type Account, type AccountWithHash } from '../../model/account-record.js';
import type { AccountChanges } from './account-store.js';

/** The account columns every backend selects, in this order. */
export const ACCOUNT_COLUMNS = 'id, name, role, products, password_hash, disabled, created_at, updated_at, last_login_at';

/** An account row as either driver gives it: products as JSON text, disabled 0/1, PostgreSQL's bigint id as text. */
export interface AccountRow {
  id: number | string;
  name: string;
  role: Role;
  products: string | null;
  password_hash: string;
  disabled: number;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

export function accountWithHash(row: AccountRow): AccountWithHash {
  return {
    id: Number(row.id),
    name: row.name,
    role: row.role,
    products: row.products === null ? null : (JSON.parse(row.products) as number[]),
    disabled: row.disabled === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_login_at: row.last_login_at,
    password_hash: row.password_hash,
  };
}

/** The account without its hash. */
export function accountOf(row: AccountRow): Account {
  return withoutHash(accountWithHash(row));
}

/** Products as stored: JSON text of the ids, or NULL for every product. */
export function productsColumn(products: readonly number[] | null): string | null {
  return products === null ? null : JSON.stringify(products);
}

/** The whole row after `changes`, as the values an UPDATE writes: name, name_key, role, products, password_hash, disabled. */
export function changedRow(current: AccountWithHash, changes: AccountChanges, nameKey: (name: string) => string): [string, string, Role, string | null, string, number] {
  const name = changes.name ?? current.name;
  return [
    name,
    nameKey(name),
    changes.role ?? current.role,
    productsColumn(changes.products === undefined ? current.products : changes.products),
    changes.password_hash ?? current.password_hash,
    (changes.disabled ?? current.disabled) ? 1 : 0,
  ];
}

/** Whether a change ends the account's sessions: it disables it or sets a new password. */
export function endsSessions(changes: AccountChanges): boolean {
  return changes.disabled === true || changes.password_hash !== undefined;
}
