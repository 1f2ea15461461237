import type { AccessToken } from '../../model/access-tokens.js';

/** A personal token to store: the SHA-256 hash of its secret, never the secret. Times are ISO-8601. */
export interface NewAccessToken {
  accountId: number;
  name: string;
  tokenHash: string;
  createdAt: string;
  expiresAt: string | null;
}

/** The columns every backend selects, in the order of AccessToken. */
export const ACCESS_TOKEN_COLUMNS = 'id, account_id, name, created_at, last_used_at, expires_at, revoked_at';

/**
 * Personal API tokens (docs/accounts.md "Personal API tokens"). Revoked tokens stay, so the list
 * and the audit log can still name them; a token is found by the hash of the presented secret.
 */
export interface AccessTokenStore {
  create(token: NewAccessToken): Promise<AccessToken>;
  /** Every token, or an account's, by id. */
  list(accountId?: number): Promise<AccessToken[]>;
  get(id: number): Promise<AccessToken | null>;
  /** The token whose secret hashes to this, revoked or expired ones included (the caller decides). */
  findByHash(tokenHash: string): Promise<AccessToken | null>;
  /** Marks it revoked at `at` unless it already is; returns the token as it now is, null when there is none. */
  revoke(id: number, at: string): Promise<AccessToken | null>;
  /** Records a use; a last_used_at never moves backwards. */
  touch(id: number, at: string): Promise<void>;
}
