import { Type, type Static } from '@sinclair/typebox';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, ErrorBody, InvalidParameters } from './error-answers.js';
import { Closed, Id, IdParams, IsoMillis, Nullable } from './primitives.js';

/**
 * `GET|POST /admin/api/tokens`, `DELETE /admin/api/tokens/:id` (docs/accounts.md "Personal API
 * tokens"): a token as listed never carries its secret; a new one carries it this once as `token`.
 */

export const AccessToken = Closed({
  id: Type.Integer(), account_id: Type.Integer(), name: Type.String(), created_at: IsoMillis(),
  last_used_at: Nullable(IsoMillis()), expires_at: Nullable(IsoMillis()), revoked_at: Nullable(IsoMillis()),
});
export const CreatedAccessToken = Closed({ ...AccessToken.properties, token: Type.String({ description: 'the secret (tly_pat_…), shown only here' }) });

export const TokenListQuery = Type.Object({
  account_id: Type.Optional(Id({ description: 'an owner may list another account\'s tokens; default: the caller\'s own' })),
});
export type TokenListQuery = Static<typeof TokenListQuery>;

export const TokenBody = Type.Object({
  account_id: Type.Optional(Id({ errorMessage: 'account_id must be a positive integer.', description: 'an owner may make a token for another account; default: the caller\'s own' })),
  name: Type.String({ maxLength: 100, errorMessage: 'name must be text of at most 100 characters.', description: 'what the token is for' }),
  expires_at: Type.Optional(Nullable(Type.String({ maxLength: 64 }), { errorMessage: 'expires_at must be an ISO-8601 date or date-time, or null.', description: 'ISO-8601; absent or null = never' })),
}, { additionalProperties: false, errorMessage: 'Send a JSON object: {"name": "…", "expires_at"?: "2027-01-01", "account_id"?: 1}.' });
export type TokenBody = Static<typeof TokenBody>;

export const listTokensSchema = {
  querystring: TokenListQuery,
  response: adminResponses({ 200: Closed({ tokens: Type.Array(AccessToken) }), 400: InvalidParameters('The token list parameters are invalid.') }, { query: true }),
};
export const createTokenSchema = { body: TokenBody, response: adminResponses({ 201: CreatedAccessToken, 400: ErrorBody }, { changes: true }) };
export const revokeTokenSchema = { params: IdParams, response: adminResponses({ 200: AccessToken, 404: ErrorBody }, { changes: true }) };

export const tokenListRefusals: AdminRefusals = { query: { error: 'The token list parameters are invalid.', listed: true } };
export const tokenRefusals: AdminRefusals = { id: ({ text }) => ({ status: 404, error: `No token ${text}.` }) };
