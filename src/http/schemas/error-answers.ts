import { KindGuard, Type, type TSchema } from '@sinclair/typebox';
import { CODES } from '../../model/codes.js';
import { Closed, FieldErrors } from './primitives.js';

/** `{"error": "…"}`: what every refusal of the admin API says at least. */
export const ErrorBody = Closed({ error: Type.String() });

/** 400 for parameters the route's schema or its use case refused: the route's own text, and the messages per field. */
export const InvalidParameters = (text: string) => Closed({ error: Type.Literal(text), errors: FieldErrors });

/** The app's answer to a request it could not read (src/http/plugins/error-reply.ts): its body or query string, its size, its type. */
const Unreadable = (code: 400 | 413 | 415) => Closed({ error: Type.Literal(CODES[code].message), errors: Closed({ body: Type.Array(Type.String()) }) });
const Failed = (code: 500 | 503) => Closed({ error: Type.Literal(CODES[code].message) });

/** An answer's schema, or schemas per content type (a streamed export). */
export type AnswerSchema = TSchema | { description: string; content: Readonly<Record<string, { schema: TSchema }>> };

/** What kind of request a route takes, for the answers that come with it. */
export interface RouteKind {
  /** Not GET: it may carry a body, and a session request needs its CSRF token. */
  changes?: boolean;
  /** It reads the query string with queryFields, which refuses a malformed percent-escape. */
  query?: boolean;
}

/**
 * A route's answers by status: its own, plus those every admin route can give (401 without the
 * admin token, 403 when the caller's role or products do not allow it, 500, 503 while the database cannot be used), a change's (403 for a session
 * request without its CSRF token; 400, 413 and 415 for a body that cannot be read) and, for a
 * route that reads the query string, 400 for a malformed percent-escape.
 */
export function adminResponses(own: Readonly<Record<number, AnswerSchema>>, kind: RouteKind = {}): Record<number, AnswerSchema> {
  const answers: Record<number, AnswerSchema> = { ...own, 401: ErrorBody, 403: ErrorBody, 500: Failed(500), 503: Failed(503) };
  if (kind.changes === true || kind.query === true) {
    const ownBadRequest = own[400];
    answers[400] = KindGuard.IsSchema(ownBadRequest) ? Type.Union([ownBadRequest, Unreadable(400)]) : Unreadable(400);
  }
  if (kind.changes === true) Object.assign(answers, { 413: Unreadable(413), 415: Unreadable(415) });
  return answers;
}
