/** The `response` of a verified answer. */
export interface VerifiedResponse {
  code: number;
  message: string;
  timestamp: number;
  [field: string]: unknown;
}

/** Raised when an answer cannot be verified against the pinned keys: the report stays queued. */
export class TallyVerificationError extends Error {
  override readonly name: string = 'TallyVerificationError';
}

type SubtleKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
type VerifyAlgorithm = Parameters<typeof crypto.subtle.verify>[0];

/** A pinned public key, imported for WebCrypto. */
export interface PinnedKey {
  key: SubtleKey;
  algorithm: VerifyAlgorithm;
}

// DER of the algorithm OIDs in an SPKI: rsaEncryption (1.2.840.113549.1.1.1) and Ed25519 (1.3.101.112).
const RSA_OID = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const ED25519_OID = [0x06, 0x03, 0x2b, 0x65, 0x70];

/** Base64 (standard alphabet) → bytes; works in Node ≥ 20 and browsers. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function contains(haystack: Uint8Array, needle: readonly number[]): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Imports a PEM public key (`-----BEGIN PUBLIC KEY-----`, SPKI) for verification: RSA keys as
 * RSASSA-PKCS1-v1_5 with SHA-256, Ed25519 keys as Ed25519 (where the platform has it).
 */
export async function importPublicKey(pem: string): Promise<PinnedKey> {
  const body = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  const der = fromBase64(body);
  if (contains(der, ED25519_OID)) {
    const algorithm = { name: 'Ed25519' };
    return { key: await crypto.subtle.importKey('spki', der, algorithm, false, ['verify']), algorithm };
  }
  if (!contains(der, RSA_OID)) throw new TallyVerificationError('The pinned key is neither RSA nor Ed25519.');
  const key = await crypto.subtle.importKey('spki', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
  return { key, algorithm: { name: 'RSASSA-PKCS1-v1_5' } };
}

/**
 * Checks a signed answer: decode `response_base64`, verify `signature` over exactly those bytes
 * with any pinned key, then parse them. The decoded bytes are the answer; the envelope's plain
 * `response` copy is never trusted. Throws TallyVerificationError. To bind the answer to a
 * request that sent a `nonce`, check it on the result with `checkNonce` (nonce.ts).
 */
export async function verifyAnswer(body: string, keys: readonly PinnedKey[]): Promise<VerifiedResponse> {
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    throw new TallyVerificationError('The answer is not JSON.');
  }
  const { response_base64: base64, signature } = (envelope ?? {}) as Record<string, unknown>;
  if (typeof base64 !== 'string' || typeof signature !== 'string') throw new TallyVerificationError('The answer is not a signed envelope.');
  let bytes: Uint8Array<ArrayBuffer>;
  let sig: Uint8Array<ArrayBuffer>;
  try {
    bytes = fromBase64(base64);
    sig = fromBase64(signature);
  } catch {
    throw new TallyVerificationError('The answer holds malformed base64.');
  }
  let valid = false;
  for (const pinned of keys) {
    if (await crypto.subtle.verify(pinned.algorithm, pinned.key, sig, bytes).catch(() => false)) valid = true;
    if (valid) break;
  }
  if (!valid) throw new TallyVerificationError('The answer signature does not match the pinned key.');
  return parseResponse(bytes);
}

function parseResponse(bytes: Uint8Array): VerifiedResponse {
  let response: unknown;
  try {
    response = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new TallyVerificationError('The signed response is not JSON.');
  }
  if (typeof response !== 'object' || response === null || typeof (response as { code?: unknown }).code !== 'number') {
    throw new TallyVerificationError('The signed response has no code.');
  }
  return response as VerifiedResponse;
}
