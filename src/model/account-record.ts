import type { Role } from './accounts.js';
import { NotFoundError, RegistryInputError } from './errors.js';

/**
 * A person's account as every reader sees it (docs/accounts.md): never its password hash.
 * Times are ISO-8601 UTC (`toISOString` form).
 */
export interface Account {
  id: number;
  /** An email or a name; unique whatever its case. */
  name: string;
  role: Role;
  /** The products the account is limited to; null = every product. */
  products: number[] | null;
  disabled: boolean;
  created_at: string;
  updated_at: string;
  last_login_at: string | null;
}

/** An account with its password hash, for the login check alone. */
export interface AccountWithHash extends Account {
  password_hash: string;
}

/** The account without its password hash, for everything but the login check. */
export function withoutHash(account: Account | AccountWithHash): Account {
  const { id, name, role, products, disabled, created_at, updated_at, last_login_at } = account;
  return { id, name, role, products, disabled, created_at, updated_at, last_login_at };
}

/** Raised when a change would leave no enabled owner (nobody could manage accounts any more). */
export class LastOwnerError extends RegistryInputError {
  constructor() {
    super('This is the last enabled owner: make another account an owner first (tally user update NAME --role owner).');
  }
}

/** The name or id of a command or path names no account. */
export class AccountNotFoundError extends NotFoundError {
  constructor(what: string) {
    super(`No account ${what}.`);
  }
}

/** How names are compared: whatever their case (an email typed with a capital still logs in). */
export function accountNameKey(name: string): string {
  return name.trim().toLowerCase();
}
