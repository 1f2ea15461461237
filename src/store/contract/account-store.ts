import type { Role } from '../../model/accounts.js';
import type { Account, AccountWithHash } from '../../model/account-record.js';

/** An account about to be made; `password_hash` is already a scrypt hash string (registry/accounts/passwords.ts). */
export interface NewAccount {
  name: string;
  role: Role;
  products: readonly number[] | null;
  password_hash: string;
}

/** The fields an update sets; absent fields stay as they are. */
export interface AccountChanges {
  name?: string;
  role?: Role;
  /** null = every product. */
  products?: readonly number[] | null;
  disabled?: boolean;
  password_hash?: string;
}

/** A dashboard session as stored: the SHA-256 of its id, never the id. Times are ms since the epoch. */
export interface NewSession {
  id_hash: string;
  /** The account logged in; null for a session opened with the pre-accounts admin token. */
  account_id: number | null;
  created_at_ms: number;
  expires_at_ms: number;
}

/** A live session and (when it belongs to one) its account, read together. */
export interface StoredSession extends NewSession {
  account: Account | null;
}

/**
 * People's accounts, their dashboard sessions and the one-time setup codes (docs/accounts.md).
 * Sessions live in the database so that every instance behind a load balancer knows them.
 */
export interface AccountStore {
  /** Throws DuplicateError when an account has the same name whatever its case. */
  create(input: NewAccount): Promise<Account>;
  /**
   * Makes the account only while there is no account at all (the setup page's first owner):
   * however many race, at most one is made. Null when an account exists already.
   */
  createIfNone(input: NewAccount): Promise<Account | null>;
  get(id: number): Promise<Account | null>;
  /** By name, whatever its case, with the password hash (for the login check). */
  findByName(name: string): Promise<AccountWithHash | null>;
  /** Every account, by id. */
  list(): Promise<Account[]>;
  count(): Promise<number>;
  /**
   * Applies the changes (updated_at = `at`, ISO). Disabling the account or setting a new password
   * hash deletes its sessions in the same transaction. Throws LastOwnerError, changing nothing,
   * when the change would leave no enabled owner where there was one (concurrent changes run one
   * after the other for this check); DuplicateError for a name taken. Null when no such account.
   */
  update(id: number, changes: AccountChanges, at: string): Promise<Account | null>;
  /** Sets last_login_at (ISO). */
  recordLogin(id: number, at: string): Promise<void>;

  createSession(session: NewSession): Promise<void>;
  /** The session with this id hash unless it expired by `nowMs`, with its account. */
  findSession(idHash: string, nowMs: number): Promise<StoredSession | null>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of an account, or with null every admin-token session; returns how many. */
  deleteSessionsOf(accountId: number | null): Promise<number>;
  /** Deletes sessions that expired by `nowMs`; returns how many. */
  deleteExpiredSessions(nowMs: number): Promise<number>;

  /** Stores a setup code's hash, valid until `expiresAtMs`. */
  saveSetupCode(codeHash: string, expiresAtMs: number): Promise<void>;
  /** Uses up a setup code: true once when it exists and has not expired by `nowMs`; it is gone afterwards. */
  takeSetupCode(codeHash: string, nowMs: number): Promise<boolean>;
}
