/**
 * A request's optional `nonce` (CONTRACT §2, docs/clients.md "Binding an answer to its
 * request"): a value the client makes up per request, echoed inside the signed `response` so
 * that an answer made for another request (another client, another time, another license key)
 * does not pass for this one. Never stored: it is about the answer, not the report.
 */

/** Most characters a nonce may have. */
export const NONCE_MAX_LENGTH = 128;

/** 1–128 printable ASCII characters other than space (U+0021–U+007E): base64url, hex and UUIDs fit. */
const NONCE = /^[\x21-\x7e]{1,128}$/;

export const NONCE_TYPE_ERROR = 'The nonce field must be a string.';
export const NONCE_FORMAT_ERROR = `The nonce field must be 1 to ${NONCE_MAX_LENGTH} printable ASCII characters, without spaces.`;

/** What a request's `nonce` field says: none (absent or empty), a usable nonce, or the error it earns. */
export type NonceReading = { ok: true; nonce: string | null } | { ok: false; error: string };

/**
 * Reads the `nonce` of a request's fields (body and query string, as the endpoint reads them).
 * Unlike report fields it is not trimmed, and a JSON number is not a string: the client compares
 * the echo with what it sent, byte for byte, so what cannot come back unchanged is an error.
 */
export function readNonce(fields: Readonly<Record<string, unknown>> | null | undefined): NonceReading {
  const value = fields != null && Object.hasOwn(fields, 'nonce') ? fields['nonce'] : undefined;
  if (value === undefined || value === null || value === '') return { ok: true, nonce: null };
  if (typeof value !== 'string') return { ok: false, error: NONCE_TYPE_ERROR };
  return NONCE.test(value) ? { ok: true, nonce: value } : { ok: false, error: NONCE_FORMAT_ERROR };
}

/** The nonce to echo in an answer to a request with these fields: the usable one it sent, else null. */
export function echoedNonce(fields: Readonly<Record<string, unknown>> | null | undefined): string | null {
  const read = readNonce(fields);
  return read.ok ? read.nonce : null;
}

/** Why a verified response is not bound to a request that sent `nonce`, or null when it is (its `nonce` is exactly that). */
export function nonceMismatch(response: unknown, nonce: string): string | null {
  const echoed = typeof response === 'object' && response !== null ? (response as Record<string, unknown>)['nonce'] : undefined;
  if (echoed === nonce) return null;
  return echoed === undefined ? 'the signed response carries no nonce' : 'the signed response carries another nonce (an answer to another request)';
}
