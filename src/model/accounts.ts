/**
 * People and what they may do (issue 18, docs/accounts.md). `owner` does everything, including
 * accounts, privacy requests and settings; `admin` manages the registry, keys, webhooks and the
 * blocklist; `viewer` only reads. An account may be limited to some products.
 */
export type Role = 'owner' | 'admin' | 'viewer';

/** Weakest first: a role may do what every role before it may. */
export const ROLES: readonly Role[] = ['viewer', 'admin', 'owner'];

/** True when `role` is at least `needed`. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/**
 * Who is behind a request or command: a dashboard session or a personal API token of an account,
 * the pre-accounts admin token (an owner), or the CLI on the server (an owner: it holds the database).
 */
export interface Principal {
  kind: 'session' | 'token' | 'admin-token' | 'cli';
  /** The account, or null for the admin token and the CLI. */
  accountId: number | null;
  /** The account's email or name; `admin-token`; the operating-system user for the CLI. */
  name: string;
  role: Role;
  /** The products the account is limited to; null = every product. */
  products: readonly number[] | null;
}
