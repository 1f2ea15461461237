import { Type, type StaticDecode } from '@sinclair/typebox';
import { BLOCK_KINDS } from '../../model/blocklist.js';
import { BLOCK_FIELD_MESSAGES } from '../../registry/blocklist.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, ErrorBody } from './error-answers.js';
import { Closed, IdParams, IsoMillis, MAX_SAFE, Nullable, OneOf } from './primitives.js';

/**
 * `GET|POST /admin/api/blocklist`, `DELETE /admin/api/blocklist/:id` (docs/security.md,
 * "Blocklist"). The body's kinds are checked here with the registry's own texts; its values
 * (an IP or CIDR, lengths, the product) by src/registry/blocklist.ts, as for `tally block`.
 * Other fields are ignored.
 */

export const BlockBody = Type.Object({
  kind: OneOf(BLOCK_KINDS, { errorMessage: BLOCK_FIELD_MESSAGES.kind }),
  value: Type.String({ pattern: '\\S', errorMessage: BLOCK_FIELD_MESSAGES.value, description: 'an IP or CIDR for kind ip; trimmed, at most 255 characters' }),
  product_id: Type.Optional(Type.Union([Type.Integer({ exclusiveMinimum: 0, maximum: MAX_SAFE }), Type.String({ pattern: '^\\s*\\d+\\s*$' }), Type.Null()], {
    errorMessage: BLOCK_FIELD_MESSAGES.product_id, description: 'the one product the entry applies to (or its decimal text); null or absent = every product',
  })),
  reason: Type.Optional(Nullable(Type.String(), { errorMessage: BLOCK_FIELD_MESSAGES.reason, description: 'why, for the people who read the list; trimmed, at most 1000 characters' })),
  ignore_case: Type.Optional(Nullable(Type.Boolean(), {
    errorMessage: BLOCK_FIELD_MESSAGES.ignore_case, description: 'true: a user_identifier or license_key entry that matches whatever the case; refused for ip; default false',
  })),
}, { errorMessage: `Send a JSON object: {"kind": "${BLOCK_KINDS.join('"|"')}", "value": …, "product_id"?: …, "reason"?: …, "ignore_case"?: …}.` });

export type BlockBody = StaticDecode<typeof BlockBody>;

export const BlockEntry = Closed({
  id: Type.Integer(),
  kind: OneOf(BLOCK_KINDS),
  value: Type.String(),
  product_id: Nullable(Type.Integer()),
  reason: Nullable(Type.String()),
  ignore_case: Type.Boolean(),
  created_at: IsoMillis(),
});

export const listSchema = { response: adminResponses({ 200: Closed({ entries: Type.Array(BlockEntry) }) }) };
export const addSchema = { body: BlockBody, response: adminResponses({ 201: BlockEntry, 400: ErrorBody, 409: ErrorBody }, { changes: true }) };
export const removeSchema = {
  params: IdParams,
  response: adminResponses({ 200: Closed({ id: Type.Integer(), removed: Type.Literal(true) }), 400: ErrorBody, 404: ErrorBody }, { changes: true }),
};

export const blocklistRefusals: AdminRefusals = {
  id: () => ({ status: 400, error: 'The id must be a positive integer.' }),
  conflict: 'This entry is already on the blocklist.',
};
