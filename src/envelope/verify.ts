import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { keyId } from '../model/key-id.js';
import { sdkBytes, type SignatureScheme } from './signature-schemes.js';

const SIGNATURE_MISMATCH = 'signature does not match';

/** A valid answer's signed response, and which scheme's bytes its signature covers (signature-schemes.ts). */
export type VerifyResult = { valid: true; response: unknown; scheme: SignatureScheme } | { valid: false; reason: string };

/**
 * Checks a signed answer the way a client should: decode `response_base64`, verify the
 * signature over exactly those bytes, then parse them. The envelope's plain `response` copy is
 * what a person or a lenient client reads, so it must hold the same JSON value as the signed
 * bytes, or the answer is invalid (an edited copy would otherwise pass as "valid"). Never throws.
 */
export function verifyEnvelope(envelopeJson: string, publicKeyPem: string): VerifyResult {
  let envelope: unknown;
  try {
    envelope = JSON.parse(envelopeJson);
  } catch {
    return { valid: false, reason: 'not JSON' };
  }
  if (typeof envelope !== 'object' || envelope === null) return { valid: false, reason: 'not an envelope' };
  const { response, response_base64: base64, signature } = envelope as Record<string, unknown>;
  if (typeof base64 !== 'string' || typeof signature !== 'string') return { valid: false, reason: 'response_base64 or signature missing' };
  if (response === undefined) return { valid: false, reason: 'response missing' };
  try {
    const key = createPublicKey(publicKeyPem);
    const bytes = Buffer.from(base64, 'base64');
    const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
    const signatureBytes = Buffer.from(signature, 'base64');
    const scheme = signedScheme(envelopeJson, bytes, (candidate) => cryptoVerify(algorithm, candidate, key, signatureBytes));
    if (scheme === null) return { valid: false, reason: SIGNATURE_MISMATCH };
    const signed: unknown = JSON.parse(bytes.toString('utf8'));
    if (!sameJsonValue(response, signed)) return { valid: false, reason: 'response differs from the signed response_base64 (the plain copy was edited)' };
    return { valid: true, response: signed, scheme };
  } catch (error) {
    return { valid: false, reason: error instanceof Error ? error.message : 'cannot verify' };
  }
}

/**
 * The scheme whose bytes the signature covers: the contract's (`response_base64`'s bytes) first;
 * then, for an answer saved by a published SDK's client, the bytes that SDK verifies, made from
 * the envelope without its signature (signature-schemes.ts). Null when none verifies.
 */
function signedScheme(envelopeJson: string, contractBytes: Buffer, verifies: (bytes: Buffer) => boolean): SignatureScheme | null {
  if (verifies(contractBytes)) return 'contract';
  const withoutSignature = JSON.parse(envelopeJson) as Record<string, unknown>;
  delete withoutSignature['signature'];
  const unsigned = JSON.stringify(withoutSignature);
  for (const scheme of ['getkeymanager-js', 'getkeymanager-php'] as const) {
    const bytes = sdkBytes(scheme, unsigned);
    if (bytes !== null && verifies(Buffer.from(bytes, 'utf8'))) return scheme;
  }
  return null;
}

/**
 * Whether two parsed JSON values are the same value: equal numbers (0 and -0 too), strings,
 * booleans and nulls, arrays element by element, objects key by key in any order. Parsed values,
 * not bytes: the signed bytes need not be what JSON.stringify writes (escapes, number spellings,
 * key order, an envelope re-indented by a tool), and an honest answer must never be refused.
 * Iterative, so deep nesting cannot overflow the stack.
 */
function sameJsonValue(first: unknown, second: unknown): boolean {
  const pending: [unknown, unknown][] = [[first, second]];
  for (let pair = pending.pop(); pair !== undefined; pair = pending.pop()) {
    const [a, b] = pair;
    if (a === b) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = Object.keys(left);
    if (keys.length !== Object.keys(right).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(right, key)) return false;
      pending.push([left[key], right[key]]);
    }
  }
  return true;
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----\n?/g;

/** The public keys of a PEM bundle (`tally keys public --all` prints one), in order; the text itself when it holds no block. */
export function splitPemBundle(text: string): string[] {
  const blocks = text.match(PEM_BLOCK);
  return blocks === null ? [text] : blocks;
}

/** verifyEnvelopeWithAny's result: when valid, also the key id (`tally keys list`) of the key that verified it. */
export type VerifyAnyResult = (Extract<VerifyResult, { valid: true }> & { keyId: string }) | Extract<VerifyResult, { valid: false }>;

/**
 * verifyEnvelope against a pinned set of keys (the current key and the keys a client still
 * accepts after a rotation): valid when any of them verifies the answer. When none does, the
 * reason comes from a key whose signature matched if there is one (an edited `response`), not
 * from the other keys of the set.
 */
export function verifyEnvelopeWithAny(envelopeJson: string, publicKeyPems: readonly string[]): VerifyAnyResult {
  let refusal: Extract<VerifyResult, { valid: false }> | undefined;
  for (const pem of publicKeyPems) {
    const result = verifyEnvelope(envelopeJson, pem);
    if (result.valid) return { ...result, keyId: keyId(pem) };
    if (refusal === undefined || refusal.reason === SIGNATURE_MISMATCH) refusal = result;
  }
  return refusal ?? { valid: false, reason: 'no public key given' };
}
