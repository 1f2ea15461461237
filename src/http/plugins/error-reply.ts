import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CODES, type Reply } from '../../model/codes.js';
import type { SignedReplies } from './api/signed-reply.js';
import { MAX_FIELDS } from '../body/form-fields.js';
import { isStoreUnavailable } from '../../store/contract/store-unavailable.js';

/**
 * What the client is told about a request that never reached an endpoint. The wording is a
 * fixed set, not the parser's own text, so answers stay few and their signatures cacheable.
 */
const DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The JSON body is empty.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The body does not match its Content-Length.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send application/x-www-form-urlencoded, application/json or multipart/form-data.',
  MalformedBodyError: 'The form body has a malformed percent-escape.',
  MalformedQueryError: 'The query string has a malformed percent-escape.',
  MalformedMultipartError: 'The multipart body could not be read.',
  NestedTooDeeplyError: 'The body nests deeper than 32 levels.',
  NotAFieldSetError: 'The body must be a set of fields: a JSON object or a form.',
  TooManyFieldsError: `The body or query string has more than ${MAX_FIELDS} fields.`,
};

function statusOf(error: unknown): number {
  if (typeof error !== 'object' || error === null || !('statusCode' in error)) return 500;
  return Number(error.statusCode);
}

function detailOf(error: unknown, status: number, bodyLimit: number): string {
  if (status === 413) return `The body is larger than ${bodyLimit} bytes.`;
  const named = error as { code?: unknown; name?: unknown };
  return DETAILS[String(named.code)] ?? DETAILS[String(named.name)] ?? 'The request could not be read.';
}

/**
 * Maps an error raised while reading a request to the reply the client gets. Client mistakes
 * (a status below 500 set by a parser) keep their meaning; a database that cannot be used right
 * now (docs/durability.md) is 503 with Retry-After, so clients retry; anything else is ours:
 * 500, with no details.
 */
export function replyForError(error: unknown, bodyLimit: number): Reply {
  if (isStoreUnavailable(error)) return { code: 503, headers: { 'retry-after': '1' } };
  const status = statusOf(error);
  if (status < 400 || status >= 500 || Number.isNaN(status)) return { code: 500 };
  const code = status === 413 || status === 415 ? status : 400;
  return { code, fields: { errors: { body: [detailOf(error, status, bodyLimit)] } } };
}

/**
 * The app's answers to requests no route answered: an error raised while reading or handling one
 * (logged once with its request id when it is ours, 500) and an unknown path (404). Under the
 * public API they are signed envelopes (the 413 message names the route's own body limit);
 * elsewhere plain JSON `{"error": …}`.
 */
export function registerErrorAnswers(app: FastifyInstance, replies: SignedReplies, isApi: (request: FastifyRequest) => boolean, bodyLimit: number): void {
  app.setErrorHandler(async (error, request, reply) => {
    const api = isApi(request);
    const answer = replyForError(error, api ? (request.routeOptions.bodyLimit ?? bodyLimit) : bodyLimit);
    if (answer.code === 500) request.log.error({ err: error, reqId: request.id, req: request }, 'unexpected error');
    if (api) return replies.refuse(reply, answer);
    return reply.code(CODES[answer.code].status).send({ error: CODES[answer.code].message, ...answer.fields });
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (isApi(request)) return replies.refuse(reply, { code: 404 });
    return reply.code(404).send({ error: 'Not found' });
  });
}
