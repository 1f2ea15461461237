import type { FastifyReply, FastifyRequest } from 'fastify';
import { DuplicateError, ForbiddenError, NotFoundError, RegistryInputError } from '../../../model/errors.js';
import type { FieldErrors } from '../../../model/record.js';

/** The part of a request whose input was refused. */
export type InputPart = 'params' | 'querystring' | 'body';

/**
 * Input an admin route refuses: its schema's (raised by the admin validator) or its use case's
 * (`to` before `from`, a filter the query API's parser refuses). `errors` are per field, in the
 * order they are listed; `read` holds what could be read of the values, for a route whose answer
 * names them.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly statusCode = 400;

  constructor(readonly part: InputPart, readonly errors: FieldErrors, readonly read: Readonly<Record<string, unknown>> = {}) {
    super(Object.values(errors)[0]?.[0] ?? 'The input is invalid.');
  }
}

/**
 * U+0000 in admin input (src/http/plugins/admin/nul-input.ts): always 400 `{"error": "<field>
 * must not contain U+0000."}`, whatever the route's own refusals say (a path `:id` it would
 * answer 404), so every admin route says the same.
 */
export class NulInputError extends InputError {
  constructor(part: InputPart, field: string) {
    super(part, { [field]: [`${field} must not contain U+0000.`] });
  }
}

/** A path `:id` the id schema refused: as sent, and as far as it could be read (a number, or not). */
export interface RefusedId {
  text: string;
  read: unknown;
}

/** A route's own texts for the answers the admin error handler gives (route config `adminRefusals`). */
export interface AdminRefusals {
  /** Refused query parameters: 400 `{error, errors}` with the messages per field, or `{error}` alone when `listed` is false. */
  query?: { error: string; listed: boolean };
  /** A refused `:id`: its status and `error`. */
  id?: (id: RefusedId) => { status: 400 | 404; error: string };
  /** The `error` of a 409 (a DuplicateError); else its own message. */
  conflict?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    adminRefusals?: AdminRefusals;
  }
}

/**
 * The admin API's one error handler: refused input as the route declares it (a body's first
 * message otherwise; U+0000 anywhere is 400 with its own message, whatever the route declares), NotFoundError 404, other RegistryInputError 400, DuplicateError 409, ForbiddenError 403, each
 * with `{"error": …}`. Anything else goes on to the app's handler (requests it could not read,
 * the database unavailable, and our own failures: 500, logged once with the request id).
 */
export async function answerAdminError(error: Error, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const refusals = request.routeOptions.config.adminRefusals ?? {};
  if (error instanceof NulInputError) return reply.code(400).send({ error: error.message });
  if (error instanceof InputError) return refuseInput(error, request, reply, refusals);
  if (error instanceof NotFoundError) return reply.code(404).send({ error: error.message });
  if (error instanceof RegistryInputError) return reply.code(400).send({ error: error.message });
  if (error instanceof DuplicateError) return reply.code(409).send({ error: refusals.conflict ?? error.message });
  if (error instanceof ForbiddenError) return reply.code(403).send({ error: error.message });
  throw error;
}

function refuseInput(error: InputError, request: FastifyRequest, reply: FastifyReply, refusals: AdminRefusals): FastifyReply {
  if (error.part === 'params' && refusals.id !== undefined) {
    const { status, error: text } = refusals.id({ text: idText(request.params), read: error.read['id'] });
    return reply.code(status).send({ error: text });
  }
  if (error.part === 'querystring' && refusals.query !== undefined) {
    const { error: text, listed } = refusals.query;
    return reply.code(400).send(listed ? { error: text, errors: error.errors } : { error: text });
  }
  return reply.code(400).send({ error: error.message });
}

function idText(params: unknown): string {
  const id: unknown = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)['id'] : undefined;
  return typeof id === 'string' ? id : '';
}
