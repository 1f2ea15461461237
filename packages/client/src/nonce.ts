import { TallyVerificationError, type VerifiedResponse } from './envelope.js';

/**
 * Raised when a verified answer is not bound to the request it answers: its signed response
 * carries no nonce or another one (an answer replayed from another request, another client or
 * another time). A TallyVerificationError, so it is handled like a bad signature: the report
 * stays queued and is retried.
 */
export class TallyNonceError extends TallyVerificationError {
  override readonly name = 'TallyNonceError';
}

/** A fresh nonce: 16 random bytes (WebCrypto), base64url without padding (22 characters). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** Throws TallyNonceError unless the verified response carries exactly `nonce`. */
export function checkNonce(response: VerifiedResponse, nonce: string): VerifiedResponse {
  const echoed = response['nonce'];
  if (echoed === nonce) return response;
  throw new TallyNonceError(
    echoed === undefined
      ? 'The answer is not bound to this request: its signed response has no nonce (replayed, or a server without nonce support).'
      : 'The answer is not bound to this request: its signed response carries another nonce (replayed from another request).',
  );
}
