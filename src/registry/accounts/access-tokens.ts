import { ACCESS_TOKEN_PREFIX, accessTokenUsable, type AccessToken } from '../../model/access-tokens.js';
import type { Principal } from '../../model/accounts.js';
import type { AuditContext } from '../../model/audit.js';
import { ForbiddenError, NotFoundError, RegistryInputError } from '../../model/errors.js';
import type { AccessTokenStore } from '../../store/contract/access-token-store.js';
import type { AccountStore } from '../../store/contract/account-store.js';
import { accountPrincipal } from './account-principal.js';
import { normaliseExpiry } from '../licenses.js';
import { hashSecret, newSecret, SECRET_CHARS } from '../secrets.js';

/** The personal tokens and the accounts they act for. */
export interface AccessTokenDeps {
  tokens: AccessTokenStore;
  accounts: Pick<AccountStore, 'get'>;
}

export interface AccessTokenRequest {
  accountId: number;
  name: string;
  /** ISO-8601 date or date-time in the future; absent, null or empty = never. */
  expiresAt?: string | null;
}

/** The length of every personal token; a longer Bearer token is not one (no lookup). */
export const ACCESS_TOKEN_LENGTH = ACCESS_TOKEN_PREFIX.length + SECRET_CHARS;
const MAX_NAME = 100;
/** A token's last use is written at most this often, so a busy script does not write on every request. */
const TOUCH_EVERY_MS = 60_000;

/** Makes a token for an enabled account; the secret is returned here once, only its hash is kept. */
export async function createAccessToken(deps: AccessTokenDeps, request: AccessTokenRequest, audit: AuditContext): Promise<{ token: AccessToken; secret: string }> {
  const account = await deps.accounts.get(request.accountId);
  if (account === null) throw new NotFoundError(`No account with id ${request.accountId}.`);
  if (account.disabled) throw new RegistryInputError(`The account ${account.name} is disabled: its tokens would not work.`);
  const name = request.name.trim();
  if (name === '' || name.length > MAX_NAME) throw new RegistryInputError(`A token needs a name of 1 to ${MAX_NAME} characters.`);
  const expiresAt = normaliseExpiry(request.expiresAt);
  if (expiresAt === undefined) throw new RegistryInputError(`The expiry must be an ISO-8601 date or date-time, not "${request.expiresAt ?? ''}".`);
  if (expiresAt !== null && Date.parse(expiresAt) <= Date.now()) throw new RegistryInputError(`The expiry ${expiresAt} is not in the future.`);
  const secret = newSecret(ACCESS_TOKEN_PREFIX);
  const token = await deps.tokens.create({ accountId: account.id, name, tokenHash: hashSecret(secret), createdAt: new Date().toISOString(), expiresAt });
  await audit.log.record({
    actor: audit.actor, action: 'access_token.create', targetType: 'access_token', targetId: String(token.id),
    changes: { account_id: { before: null, after: account.id }, name: { before: null, after: name }, expires_at: { before: null, after: expiresAt } },
  });
  return { token, secret };
}

/**
 * Revokes a token (revoking a revoked one changes nothing and records nothing). `mayRevoke` says
 * whether the caller may touch this token (an owner any, everyone else their own): ForbiddenError when not.
 */
export async function revokeAccessToken(tokens: AccessTokenStore, id: number, audit: AuditContext, mayRevoke: (token: AccessToken) => boolean = () => true): Promise<AccessToken> {
  const token = await tokens.get(id);
  if (token === null) throw new NotFoundError(`No token with id ${id}.`);
  if (!mayRevoke(token)) throw new ForbiddenError(`Token ${id} belongs to another account; only an owner may revoke it.`);
  if (token.revoked_at !== null) return token;
  const revoked = (await tokens.revoke(id, new Date().toISOString())) ?? token;
  await audit.log.record({
    actor: audit.actor, action: 'access_token.revoke', targetType: 'access_token', targetId: String(id),
    changes: { revoked_at: { before: null, after: revoked.revoked_at } },
  });
  return revoked;
}

/**
 * Who a presented personal token acts for: its account with the account's CURRENT role and products
 * (kind `token`). Null when it is no token of ours, revoked, expired, or its account is gone or disabled.
 */
export async function accessTokenPrincipal(deps: AccessTokenDeps, secret: string, nowMs: number = Date.now()): Promise<Principal | null> {
  if (!secret.startsWith(ACCESS_TOKEN_PREFIX) || secret.length !== ACCESS_TOKEN_LENGTH) return null;
  const token = await deps.tokens.findByHash(hashSecret(secret));
  const now = new Date(nowMs).toISOString();
  if (token === null || !accessTokenUsable(token, now)) return null;
  const account = await deps.accounts.get(token.account_id);
  const principal = account === null ? null : accountPrincipal(account, 'token');
  if (principal === null) return null;
  if (token.last_used_at === null || Date.parse(token.last_used_at) + TOUCH_EVERY_MS <= nowMs) await deps.tokens.touch(token.id, now);
  return principal;
}
