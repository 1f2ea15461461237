import { Type, type StaticDecode } from '@sinclair/typebox';
import { MAX_ROTATION_GRACE_SECONDS } from '../../registry/api-key-lifecycle.js';
import { API_KEY_SIGNATURE_SCHEMES, CAPABILITIES } from '../../model/registry.js';
import type { AdminRefusals } from '../plugins/admin/errors.js';
import { adminResponses, ErrorBody } from './error-answers.js';
import { Closed, IdParams, IsoMillis, MAX_SAFE, Nullable, OneOf } from './primitives.js';

/**
 * The API key routes under `/admin/api/api-keys` (docs/admin-api.md, "API keys"). The bodies are
 * read strictly with the texts they have always had; the values are checked by the registry
 * (src/registry/api-keys.ts), as for `tally api-key`.
 */

const Strings = Type.Array(Type.String());

/** Read as text and checked by the registry (readSignatureScheme), so the CLI and the admin API refuse alike. */
const SignatureSchemeField = () => Type.Optional(Nullable(Type.String(), {
  errorMessage: '"signature_scheme" must be a string or null.',
  description: `one of ${API_KEY_SIGNATURE_SCHEMES.join(', ')}: how answers to the key are signed (CONTRACT §5); auto (default) picks from the User-Agent`,
}));

export const ApiKeyBody = Type.Object({
  name: Type.String({ errorMessage: '"name" is required and must be a string.' }),
  capabilities: Type.Optional(Nullable(Strings, { errorMessage: '"capabilities" must be a list of strings.', description: `some of ${CAPABILITIES.join(', ')}; default ["send_telemetry"]` })),
  products: Type.Optional(Nullable(Type.Array(Type.Integer({ exclusiveMinimum: 0, maximum: MAX_SAFE })), {
    errorMessage: '"products" must be a list of positive integer product ids.', description: 'the products the key may use; default [] (every product)',
  })),
  allowed_ips: Type.Optional(Nullable(Strings, { errorMessage: '"allowed_ips" must be a list of strings.', description: 'IPs and CIDRs the key may be used from; default [] (anywhere)' })),
  expires_at: Type.Optional(Nullable(Type.String(), { errorMessage: '"expires_at" must be an ISO-8601 string or null.', description: 'ISO-8601 date or date-time in the future; null = never' })),
  signature_scheme: SignatureSchemeField(),
}, {
  additionalProperties: false,
  errorMessage: 'Send a JSON object: {"name": …, "capabilities": […], "products": […], "allowed_ips": […], "expires_at": …, "signature_scheme": …}.',
});

export type ApiKeyBody = StaticDecode<typeof ApiKeyBody>;

/** No body, or `{}`, is a grace of 0. */
export const RotateBody = Type.Object({
  grace_seconds: Type.Optional(Nullable(Type.Integer({ minimum: -MAX_SAFE, maximum: MAX_SAFE }), {
    errorMessage: '"grace_seconds" must be a whole number of seconds.',
    description: `how long the old key keeps working, 0 to ${MAX_ROTATION_GRACE_SECONDS} seconds; 0 or absent revokes it at once`,
  })),
}, { additionalProperties: false, errorMessage: 'Send a JSON object: {"grace_seconds": N}.' });

export type RotateBody = StaticDecode<typeof RotateBody>;

/** The settings a key's update may change; absent or null leaves one as it is (no change at all is a 400). */
export const UpdateBody = Type.Object({
  signature_scheme: SignatureSchemeField(),
}, { additionalProperties: false, errorMessage: 'Send a JSON object: {"signature_scheme": …}.' });

export type UpdateBody = StaticDecode<typeof UpdateBody>;

/** A key as the admin API and `tally api-key list --json` show it (VisibleApiKey): never its secret or hash. */
export const VisibleApiKey = Closed({
  id: Type.Integer(),
  name: Type.String(),
  state: OneOf(['active', 'inactive', 'expired', 'revoked']),
  capabilities: Type.Array(OneOf(CAPABILITIES)),
  products: Type.Array(Type.Integer()),
  allowed_ips: Type.Array(Type.String()),
  active: Type.Boolean(),
  revoked: Type.Boolean(),
  created_at: IsoMillis(),
  expires_at: Nullable(IsoMillis()),
  last_used_at: Nullable(IsoMillis()),
  signature_scheme: OneOf(API_KEY_SIGNATURE_SCHEMES),
});

const keyFields = VisibleApiKey.properties;
/** A new key, with its secret shown this once. */
export const CreatedApiKey = Closed({ ...keyFields, key: Type.String() });
export const RotatedApiKey = Closed({ ...keyFields, key: Type.String(), rotated_from: Type.Integer(), old: VisibleApiKey });

export const listSchema = { response: adminResponses({ 200: Closed({ api_keys: Type.Array(VisibleApiKey) }) }) };
export const createSchema = { body: ApiKeyBody, response: adminResponses({ 201: CreatedApiKey, 400: ErrorBody }, { changes: true }) };
/** deactivate, activate, revoke: the key as it is now. */
export const actionSchema = { params: IdParams, response: adminResponses({ 200: VisibleApiKey, 400: ErrorBody, 404: ErrorBody }, { changes: true }) };
/** update: the key as it is now. */
export const updateSchema = { ...actionSchema, body: UpdateBody };
export const rotateSchema = { params: IdParams, body: RotateBody, response: adminResponses({ 200: RotatedApiKey, 400: ErrorBody, 404: ErrorBody }, { changes: true }) };

/** An id that names no key, or is not an id at all, is not found. */
export const apiKeyRefusals: AdminRefusals = { id: ({ text }) => ({ status: 404, error: `No API key with id ${text}.` }) };
