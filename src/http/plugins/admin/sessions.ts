import { createHash, randomBytes } from 'node:crypto';
import type { Account } from '../../../model/account-record.js';
import type { AccountStore } from '../../../store/contract/account-store.js';
import { hashesEqual, hashSecret } from '../../../registry/secrets.js';

/** A live dashboard login: who it belongs to, its CSRF token and when it ends. The session id itself is never kept. */
export interface Session {
  /** The account logged in; null for a session opened with the pre-accounts admin token. */
  account: Account | null;
  csrfToken: string;
  expiresAtMs: number;
}

/** Where the session id travels; HttpOnly, so page scripts never see it. */
export const SESSION_COOKIE = 'tally_session';
/** The header every cookie-authenticated request that changes something must carry. */
export const CSRF_HEADER = 'x-tally-csrf';
/** A login lasts this long, then the password (or the admin token) is asked for again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/**
 * The CSRF token of a session: derived from its id (SHA-256 with its own label), so it needs no
 * storage and no instance has to share it; a page script that reads it cannot go back to the id.
 */
function csrfTokenOf(id: string): string {
  return createHash('sha256').update(`tally-csrf\u0000${id}`, 'utf8').digest('base64url');
}

/**
 * Dashboard sessions (docs/accounts.md, "Sessions"), kept in the database so that every instance
 * behind a load balancer knows them: the browser holds a random 256-bit id, the database only its
 * SHA-256 hash, with the account and the expiry. Expired rows are cleaned as new sessions start.
 */
export class SessionStore {
  readonly #accounts: AccountStore;
  readonly #now: () => number;

  constructor(accounts: AccountStore, now: () => number = Date.now) {
    this.#accounts = accounts;
    this.#now = now;
  }

  /** Starts a session for an account (null: the admin token); the returned id goes into the cookie and is not kept. */
  async create(account: Account | null): Promise<{ id: string; session: Session }> {
    const now = this.#now();
    await this.#accounts.deleteExpiredSessions(now);
    const id = randomBytes(32).toString('base64url');
    const expiresAtMs = now + SESSION_TTL_MS;
    await this.#accounts.createSession({ id_hash: hashSecret(id), account_id: account?.id ?? null, created_at_ms: now, expires_at_ms: expiresAtMs });
    return { id, session: { account, csrfToken: csrfTokenOf(id), expiresAtMs } };
  }

  /** The live session with this id, or null (unknown, expired, logged out, or its account gone). */
  async find(id: string): Promise<Session | null> {
    if (id.length > 128) return null;
    const stored = await this.#accounts.findSession(hashSecret(id), this.#now());
    if (stored === null) return null;
    return { account: stored.account, csrfToken: csrfTokenOf(id), expiresAtMs: stored.expires_at_ms };
  }

  async delete(id: string): Promise<void> {
    await this.#accounts.deleteSession(hashSecret(id));
  }
}

/** Compares a presented CSRF token with the session's in constant time. */
export function csrfTokenMatches(session: Session, presented: string | undefined): boolean {
  if (presented === undefined || presented.length > 128) return false;
  return hashesEqual(hashSecret(presented), hashSecret(session.csrfToken));
}
