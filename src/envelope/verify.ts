import { createPublicKey, verify as cryptoVerify } from 'node:crypto';

export type VerifyResult = { valid: true; response: unknown } | { valid: false; reason: string };

/**
 * Checks a signed answer the way a client should: decode `response_base64`, verify the
 * signature over exactly those bytes, then parse them. Never throws.
 */
export function verifyEnvelope(envelopeJson: string, publicKeyPem: string): VerifyResult {
  let envelope: unknown;
  try {
    envelope = JSON.parse(envelopeJson);
  } catch {
    return { valid: false, reason: 'not JSON' };
  }
  if (typeof envelope !== 'object' || envelope === null) return { valid: false, reason: 'not an envelope' };
  const { response_base64: base64, signature } = envelope as Record<string, unknown>;
  if (typeof base64 !== 'string' || typeof signature !== 'string') return { valid: false, reason: 'response_base64 or signature missing' };
  try {
    const key = createPublicKey(publicKeyPem);
    const bytes = Buffer.from(base64, 'base64');
    const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
    if (!cryptoVerify(algorithm, bytes, key, Buffer.from(signature, 'base64'))) return { valid: false, reason: 'signature does not match' };
    return { valid: true, response: JSON.parse(bytes.toString('utf8')) };
  } catch (error) {
    return { valid: false, reason: error instanceof Error ? error.message : 'cannot verify' };
  }
}

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----\n?/g;

/** The public keys of a PEM bundle (`tally keys public --all` prints one), in order; the text itself when it holds no block. */
export function splitPemBundle(text: string): string[] {
  const blocks = text.match(PEM_BLOCK);
  return blocks === null ? [text] : blocks;
}

/**
 * verifyEnvelope against a pinned set of keys (the current key and the keys a client still
 * accepts after a rotation): valid when any of them verifies the answer.
 */
export function verifyEnvelopeWithAny(envelopeJson: string, publicKeyPems: readonly string[]): VerifyResult {
  let last: VerifyResult = { valid: false, reason: 'no public key given' };
  for (const pem of publicKeyPems) {
    last = verifyEnvelope(envelopeJson, pem);
    if (last.valid) return last;
  }
  return last;
}
