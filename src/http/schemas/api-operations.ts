import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifySchema } from 'fastify';
import { SIGNING_ALGORITHMS } from '../../envelope/signing-key.js';
import { apiAnswers } from './api-envelope.js';
import { BatchReport, KeyAndNonce, ReportRequest } from './api-report.js';
import { Closed, Count, FieldErrors, Nullable, OneOf } from './primitives.js';
import { FilterQuery, PublicRecord } from './records.js';

/**
 * What the OpenAPI description says of each `/api/v1` endpoint. These are documentation-only
 * schemas (route config `openapi`, src/http/openapi/openapi-options.ts): the public API reads
 * its input itself, so that bad input is data and every answer is signed, and Fastify must
 * never validate these routes (a schema there would answer a malformed request with Fastify's
 * own 400). The paths and their aliases are in src/http/routes/api/.
 */

/** Who may call an endpoint that needs an API key: the key as a Bearer token or `?api_key=` (or an `api_key` body field). */
const KEY_SECURITY: NonNullable<FastifySchema['security']> = [{ apiKeyBearer: [] }, { apiKeyQuery: [] }];

/** The bodies a fields endpoint reads: a form (the published format), JSON or multipart, with the same field names. */
function fieldBodies(schema: TSchema): { content: Record<string, { schema: TSchema }> } {
  return { content: { 'application/x-www-form-urlencoded': { schema }, 'application/json': { schema }, 'multipart/form-data': { schema } } };
}

const NoErrors = { errors: Type.Tuple([], { description: 'no errors: an empty list' }) };

export const sendTelemetryDocs: FastifySchema = {
  summary: 'Store one telemetry report',
  description: 'CONTRACT §3. Every request with a usable key is stored, correct or not; the answer goes out after the commit. Any field may also come in the query string. Aliases: send-telemetry, send-telemetry-date, and each under /v1/.',
  security: KEY_SECURITY,
  querystring: Type.Object(KeyAndNonce),
  body: fieldBodies(ReportRequest),
  response: apiAnswers({ 150: {}, 830: NoErrors, 831: { errors: FieldErrors }, 832: NoErrors }, true),
};

const BatchItemResult = Closed({
  code: Type.Union(([150, 830, 831, 832] as const).map((code) => Type.Literal(code))),
  errors: Type.Union([FieldErrors, Type.Tuple([])]),
  event_id: Type.Optional(Type.String({ format: 'uuid' })),
});

export const sendTelemetryBatchDocs: FastifySchema = {
  summary: 'Store many telemetry reports in one transaction',
  description: 'docs/clients.md. All reports commit together or none (503: retry the batch; with event ids the retry is idempotent). The key comes from Authorization: Bearer or ?api_key= only; ?product_id= names the product whose key signs the answer. Alias: /v1/send-telemetry-data-batch.',
  security: KEY_SECURITY,
  querystring: Type.Object({ ...KeyAndNonce, product_id: Type.Optional(Type.Integer({ description: 'the product whose own key signs the answer, when the key may use it alone' })) }),
  body: {
    content: {
      'application/json': { schema: Type.Array(BatchReport, { minItems: 1, description: 'at most --batch-max-reports reports' }) },
      'application/x-ndjson': { schema: Type.String({ description: 'one JSON report per line, blank lines ignored (application/ndjson too)' }) },
    },
  },
  response: apiAnswers({
    840: { results: Type.Array(BatchItemResult, { description: 'one per report, in request order' }), stored: Count(), duplicates: Count() },
  }, true),
};

export const getTelemetryDocs: FastifySchema = {
  summary: 'Read stored telemetry records',
  description: 'CONTRACT §4. Filters in the query string (or a form POST); a key limited to some products sees only theirs; paged by id. Aliases: get-telemetry, get-telemetry-date, and each under /v1/.',
  security: KEY_SECURITY,
  querystring: Type.Object({ ...FilterQuery.properties, ...KeyAndNonce }),
  body: fieldBodies(Type.Object({ ...FilterQuery.properties, ...KeyAndNonce })),
  response: apiAnswers({
    150: {},
    970: { data: Type.Array(PublicRecord), next_after_id: Nullable(Type.Integer(), { description: 'null on the last page' }) },
    971: { data: Type.Tuple([]) },
    972: { errors: FieldErrors },
  }, true),
};

const PublicKey = Closed({
  key_id: Type.String(),
  algorithm: OneOf(SIGNING_ALGORITHMS),
  public_key: Type.String({ description: 'PEM' }),
  created_at: Type.String(),
  retired_at: Nullable(Type.String()),
});

const KeyQuery = Type.Object({
  product_id: Type.Optional(Type.Integer({ description: 'that product\'s own keys when it has them, else the global keys' })),
  nonce: KeyAndNonce.nonce,
});

export const getPublicKeyDocs: FastifySchema = {
  summary: 'The public key that verifies signed answers',
  description: 'Needs no API key; an api_key that is sent is ignored, never checked. The answer is signed with the key it names as current; keys lists every key of the scope, current first. Alias: /v1/get-public-key.',
  security: [],
  querystring: KeyQuery,
  body: fieldBodies(KeyQuery),
  response: apiAnswers({
    990: { public_key: Type.String({ description: 'PEM of the current key' }), algorithm: OneOf(SIGNING_ALGORITHMS), key_id: Type.String(), keys: Type.Array(PublicKey) },
  }, false),
};
