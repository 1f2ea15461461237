import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { NONCE_MAX_LENGTH } from '../../envelope/request-nonce.js';
import { CODES, type Code } from '../../model/codes.js';
import { Closed, FieldErrors, OneOf } from './primitives.js';

/**
 * The signed envelope of every `/api/v1` answer (CONTRACT §2), for the OpenAPI description only:
 * the public API never validates or serializes with these (its answers are made and signed by
 * signed-reply.ts), so describing an answer here cannot change one.
 */

/** A code's own fields beside code and message (CONTRACT §2–§4); a code not listed has none. */
export type CodeFields = Partial<Readonly<Record<Code, TProperties>>>;

/** The `response` object of an answer with `code`: code, message, the endpoint's fields, the echoed nonce, timestamp, in wire order. */
export const CodeResponse = (code: Code, fields: TProperties = {}) =>
  Closed({
    code: Type.Literal(code),
    message: Type.Literal(CODES[code].message),
    ...fields,
    nonce: Type.Optional(Type.String({ maxLength: NONCE_MAX_LENGTH, description: 'the request\'s nonce, echoed when it sent one' })),
    timestamp: Type.Integer({ description: 'Unix seconds' }),
  });

/** `errors` of a refusal that names what could not be read: `{"body": ["…"]}` or `{"nonce": ["…"]}`. */
const Unreadable = { errors: FieldErrors };

/** The fields of the answers every endpoint can give, whatever it does. */
const COMMON_FIELDS: CodeFields = { 400: Unreadable, 413: Unreadable, 415: Unreadable };

/** Codes every `/api/v1` endpoint may answer: a request it could not read, a rate limit, a failure of ours or a database that cannot be used now. */
const COMMON_CODES: readonly Code[] = [104, 400, 413, 415, 500, 503];
/** What an endpoint that needs an API key adds: the key refusals. */
const KEY_CODES: readonly Code[] = [100, 101, 102, 103];

const HEADERS = {
  'x-tally-key-id': Type.String({ description: 'the id of the key that signed the answer (get-public-key lists them)' }),
};
const RETRY_HEADERS = { ...HEADERS, 'retry-after': Type.String({ description: 'seconds to wait before trying again' }) };

/**
 * The envelope that carries one of `responses`: the signed `response`, its bytes in base64, which
 * key signed it, and the signature; a 429 also carries `retry_after` (CONTRACT §5).
 */
function signedEnvelope(responses: TSchema[], codes: readonly Code[], status: number): TSchema {
  const response = responses.length === 1 ? (responses[0] as TSchema) : Type.Union(responses);
  return Closed({
    response,
    response_base64: Type.String({ contentEncoding: 'base64', description: 'base64 of the exact UTF-8 bytes of the compact JSON of response: what the contract scheme signs' }),
    private_key_used: OneOf(['global', 'product'] as const, { description: 'product: signed with the own key of the product the request named' }),
    ...(status === 429 ? { retry_after: Type.Integer({ description: 'seconds (milliseconds for the PHP SDK, CONTRACT §5)' }) } : {}),
    signature: Type.String({ contentEncoding: 'base64', description: 'RSA PKCS#1 v1.5 SHA-256 or Ed25519, over the bytes the answer\'s signature scheme names (CONTRACT §2, §5)' }),
  }, { description: `Signed envelope, code ${codes.map((code) => `${code} (${CODES[code].message})`).join(', ')}` });
}

/**
 * An `/api/v1` endpoint's answers by HTTP status (the status its codes map to in src/model/codes.ts):
 * its own codes with their fields, the key refusals when it needs a key, and the codes every
 * endpoint can give. Each status's answer is the signed envelope of any of its codes.
 */
export function apiAnswers(own: CodeFields, needsKey: boolean): Record<number, TSchema> {
  const fields: CodeFields = { ...COMMON_FIELDS, ...own };
  const codes = [...(Object.keys(own).map(Number) as Code[]), ...(needsKey ? KEY_CODES : []), ...COMMON_CODES];
  const byStatus = new Map<number, Code[]>();
  for (const code of [...new Set(codes)].sort((a, b) => a - b)) byStatus.set(CODES[code].status, [...(byStatus.get(CODES[code].status) ?? []), code]);
  const answers: Record<number, TSchema> = {};
  for (const [status, list] of byStatus) {
    const envelope = signedEnvelope(list.map((code) => CodeResponse(code, fields[code])), list, status);
    answers[status] = { ...envelope, headers: status === 429 || status === 503 ? RETRY_HEADERS : HEADERS };
  }
  return answers;
}
