import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { foldFields, MAX_FIELDS } from './form-fields.js';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from './nesting-depth.js';
import { queryFields } from './urlencoded.js';

/** Thrown when a multipart body is larger than the body limit. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly statusCode = 413;
}

/** Thrown for a JSON body that nests deeper than MAX_NESTING_DEPTH. */
export class NestedTooDeeplyError extends Error {
  override readonly name = 'NestedTooDeeplyError';
  readonly statusCode = 400;
}

/** Thrown for a body that parsed but is not a set of fields (a JSON array, a bare string…). */
export class NotAFieldSetError extends Error {
  override readonly name = 'NotAFieldSetError';
  readonly statusCode = 400;
}

/**
 * All fields of a request as one record: the query string (read like a form, see
 * `queryFields`), overlaid by the body (form, JSON or multipart), like the published API's
 * framework reads its input.
 */
export async function requestInput(request: FastifyRequest, bodyLimit: number): Promise<Record<string, unknown>> {
  const body = request.isMultipart() ? await multipartFields(request, bodyLimit) : request.body;
  return withQuery(request, body);
}

function withQuery(request: FastifyRequest, body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return queryFields(request.url);
  if (typeof body !== 'object' || Array.isArray(body)) throw new NotAFieldSetError('The body must be a set of fields (a JSON object or a form).');
  if (nestsDeeperThan(body, MAX_NESTING_DEPTH)) throw new NestedTooDeeplyError(`The body nests deeper than ${MAX_NESTING_DEPTH} levels.`);
  // Most clients send no query string: then the body is the input as it is (nothing to merge).
  if (!request.url.includes('?')) return body as Record<string, unknown>;
  return Object.assign(queryFields(request.url), body);
}

/** Thrown for a multipart body that does not parse (no boundary, truncated parts…). */
export class MalformedMultipartError extends Error {
  override readonly name = 'MalformedMultipartError';
  readonly statusCode = 400;
}

async function multipartFields(request: FastifyRequest, bodyLimit: number): Promise<Record<string, unknown>> {
  try {
    return await readMultipart(request, bodyLimit);
  } catch (error) {
    // Limits raised by the plugin carry their own 4xx status; anything the parser throws is the body's fault.
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status < 500) throw error;
    throw new MalformedMultipartError('The multipart body could not be read.', { cause: error });
  }
}

async function readMultipart(request: FastifyRequest, bodyLimit: number): Promise<Record<string, unknown>> {
  const length = Number(request.headers['content-length'] ?? 0);
  if (length > bodyLimit) throw new BodyTooLargeError(`Request body is larger than ${bodyLimit} bytes.`);
  const pairs: [string, string][] = [];
  let total = 0;
  for await (const part of request.parts({ limits: { fieldSize: bodyLimit, fileSize: bodyLimit, parts: MAX_FIELDS } })) {
    const value = part.type === 'file' ? (await part.toBuffer()).toString('utf8') : String(part.value);
    total += value.length;
    if (total > bodyLimit) throw new BodyTooLargeError(`Request body is larger than ${bodyLimit} bytes.`);
    pairs.push([part.fieldname, value]);
  }
  return foldFields(pairs);
}
