/**
 * Personal API tokens (issue 18, docs/accounts.md "Personal API tokens"): machine access to the
 * admin API on behalf of an account, with that account's current role and products. Only the
 * SHA-256 hash of the secret is stored; the secret (`tly_pat_…`) is shown once, when it is made.
 */

/** Every personal token's secret starts with this, so the admin auth tells it from the admin token. */
export const ACCESS_TOKEN_PREFIX = 'tly_pat_';

/** A personal token as stored and shown (never with its secret or hash). Times are ISO-8601. */
export interface AccessToken {
  id: number;
  account_id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
  /** Null: it never expires. */
  expires_at: string | null;
  /** Null: not revoked. */
  revoked_at: string | null;
}

/** Whether a token still opens the admin API at `now` (ISO): not revoked and not expired. */
export function accessTokenUsable(token: AccessToken, nowIso: string): boolean {
  return token.revoked_at === null && (token.expires_at === null || token.expires_at > nowIso);
}
