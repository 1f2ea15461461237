import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../../model/accounts.js';
import { RegistryInputError, ForbiddenError } from '../../../model/errors.js';
import { createAccessToken, revokeAccessToken } from '../../../registry/accounts/access-tokens.js';
import type { Store } from '../../../store/contract/store.js';
import { actorOf, principalOf } from '../../plugins/admin/principal.js';
import {
  createTokenSchema, listTokensSchema, revokeTokenSchema, tokenListRefusals, tokenRefusals, type TokenBody, type TokenListQuery,
} from '../../schemas/access-tokens.js';
import type { IdParams } from '../../schemas/primitives.js';

/** Every account may manage its own tokens (a viewer too); the products they name do not matter. */
const ANYONE = { minRole: 'viewer', productScope: 'none' } as const;

/**
 * The account whose tokens a request is about: `account_id` when given (another account's only
 * for an owner), else the caller's own; null for the admin token without one (every token).
 */
function accountOf(principal: Principal, asked: number | undefined): number | null {
  if (asked !== undefined && asked !== principal.accountId && principal.role !== 'owner') {
    throw new ForbiddenError('Only an owner may see or make another account\'s tokens.');
  }
  return asked ?? principal.accountId;
}

function audit(store: Store, request: FastifyRequest) {
  return { log: store.audit, actor: actorOf(request) };
}

/**
 * Personal API tokens under `/admin/api/tokens` (docs/accounts.md "Personal API tokens"): list
 * (`?account_id=` for an owner), create (the secret in this answer only) and revoke. Any role
 * manages its own; an owner anyone's. Thin over src/registry/accounts/access-tokens.ts, as `tally token`.
 */
export function adminAccessTokenRoutes(admin: FastifyInstance, store: Store): void {
  const deps = { tokens: store.accessTokens, accounts: store.accounts };
  admin.get<{ Querystring: TokenListQuery }>('/tokens', { schema: listTokensSchema, config: { ...ANYONE, adminRefusals: tokenListRefusals } }, async (request) => {
    const accountId = accountOf(principalOf(request), request.query.account_id);
    return { tokens: await store.accessTokens.list(accountId ?? undefined) };
  });
  admin.post<{ Body: TokenBody }>('/tokens', { schema: createTokenSchema, config: ANYONE }, async (request, reply) => {
    const accountId = accountOf(principalOf(request), request.body.account_id);
    if (accountId === null) throw new RegistryInputError('The admin token belongs to no account: pass account_id.');
    const { token, secret } = await createAccessToken(deps, { accountId, name: request.body.name, expiresAt: request.body.expires_at }, audit(store, request));
    return reply.code(201).send({ ...token, token: secret });
  });
  admin.delete<{ Params: IdParams }>('/tokens/:id', { schema: revokeTokenSchema, config: { ...ANYONE, adminRefusals: tokenRefusals } }, async (request) => {
    const principal = principalOf(request);
    const mine = (accountId: number): boolean => principal.role === 'owner' || accountId === principal.accountId;
    return revokeAccessToken(store.accessTokens, request.params.id, audit(store, request), (token) => mine(token.account_id));
  });
}
