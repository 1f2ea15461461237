import type { Reply } from '../model/codes.js';
import type { SignatureScheme } from '../model/registry.js';
import { phpJsonRoundTrip } from './php-json.js';

export type { SignatureScheme } from '../model/registry.js';

/*
 * Which bytes a client verifies the signature over (CONTRACT §5):
 * - `contract`: the bytes `response_base64` encodes, i.e. the response's JSON exactly as sent;
 * - `getkeymanager-js`: the published JS SDK's `JSON.stringify` of the parsed envelope without
 *   `signature`;
 * - `getkeymanager-php`: the published PHP SDK's `json_encode(json_decode(envelope, true)
 *   without signature, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)`.
 * A signature covers one byte string, so one answer can satisfy only one of them.
 */

/**
 * The envelope without its signature, as the SDKs see it once they drop `signature`: the
 * response, `response_base64`, `private_key_used` and, on a 429, `retry_after`. No closing brace,
 * so the signature can be appended.
 */
export function unsignedEnvelope(json: string, base64: string, used: string, retryAfter: number | null): string {
  const retry = retryAfter === null ? '' : `,"retry_after":${retryAfter}`;
  return `{"response":${json},"response_base64":"${base64}","private_key_used":"${used}"${retry}`;
}

/** The bytes a client of `scheme` verifies, given the response's JSON and the unsigned envelope (closed). */
export function signedBytes(scheme: SignatureScheme, json: string, envelope: string): string {
  // Null when PHP could not even decode the answer (a lone surrogate escape): no bytes would
  // satisfy that client, so it gets the contract's signature (php-json.ts).
  return scheme === 'contract' ? json : (sdkBytes(scheme, envelope) ?? json);
}

/**
 * The bytes a published SDK verifies, made from the envelope without its signature as it would
 * make them: JS `JSON.stringify(JSON.parse(…))` (for text JSON.stringify wrote, the text itself),
 * PHP's json_decode/json_encode round trip. Null when PHP cannot decode the text.
 */
export function sdkBytes(scheme: Exclude<SignatureScheme, 'contract'>, envelope: string): string | null {
  return scheme === 'getkeymanager-js' ? JSON.stringify(JSON.parse(envelope)) : phpJsonRoundTrip(envelope);
}

/**
 * A 429's `retry_after`, in the unit the client reads (CONTRACT §5): seconds, or milliseconds
 * for the PHP SDK, which sleeps `retry_after × 1000` µs. Null for any other answer.
 */
export function retryAfterFor(scheme: SignatureScheme, reply: Reply): number | null {
  const seconds = reply.code === 104 ? Number(reply.headers?.['retry-after']) : NaN;
  if (!Number.isFinite(seconds)) return null;
  return scheme === 'getkeymanager-php' ? seconds * 1000 : seconds;
}
