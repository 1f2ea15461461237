import { randomBytes } from 'node:crypto';
import { hashesEqual, hashSecret } from '../../../registry/secrets.js';

/** A dashboard login: its CSRF token and when it ends. The session id itself is never kept. */
export interface Session {
  csrfToken: string;
  expiresAtMs: number;
}

/** Where the session id travels; HttpOnly, so page scripts never see it. */
export const SESSION_COOKIE = 'tally_session';
/** The header every cookie-authenticated request that changes something must carry. */
export const CSRF_HEADER = 'x-tally-csrf';
/** A login lasts this long, then the admin token is asked for again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** More live logins than this and the oldest is dropped, so memory stays bounded. */
const MAX_SESSIONS = 1000;

/**
 * Dashboard sessions of this process (docs/dashboard.md): the browser holds a random 256-bit
 * id, the server only its SHA-256 hash, in memory. A restart, or another instance behind the
 * same load balancer, does not know the session: the user logs in again there.
 */
export class SessionStore {
  readonly #byHash = new Map<string, Session>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Starts a session; the returned id goes into the cookie and is not kept here. */
  create(): { id: string; session: Session } {
    this.#dropExpired();
    if (this.#byHash.size >= MAX_SESSIONS) this.#byHash.delete(this.#byHash.keys().next().value ?? '');
    const id = randomBytes(32).toString('base64url');
    const session = { csrfToken: randomBytes(32).toString('base64url'), expiresAtMs: this.#now() + SESSION_TTL_MS };
    this.#byHash.set(hashSecret(id), session);
    return { id, session };
  }

  /** The live session with this id, or null (unknown, expired or logged out). */
  find(id: string): Session | null {
    const hash = hashSecret(id);
    const session = this.#byHash.get(hash);
    if (session === undefined) return null;
    if (session.expiresAtMs > this.#now()) return session;
    this.#byHash.delete(hash);
    return null;
  }

  delete(id: string): void {
    this.#byHash.delete(hashSecret(id));
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [hash, session] of this.#byHash) if (session.expiresAtMs <= now) this.#byHash.delete(hash);
  }
}

/** Compares a presented CSRF token with the session's in constant time. */
export function csrfTokenMatches(session: Session, presented: string | undefined): boolean {
  if (presented === undefined || presented.length > 128) return false;
  return hashesEqual(hashSecret(presented), hashSecret(session.csrfToken));
}
