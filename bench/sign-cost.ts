import { createPrivateKey, sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generateSigningKey, type SigningAlgorithm } from '../src/envelope/signing-key.js';

export interface SignCost {
  algorithm: SigningAlgorithm;
  signatures: number;
  perSignatureMs: number;
  perSecond: number;
}

/**
 * Times `count` signatures of distinct 830 answers with a fresh key of `algorithm`, one after the
 * other on this thread: what each answer would cost if nothing were cached (RSA: PKCS#1 v1.5 over
 * SHA-256; Ed25519 takes no digest).
 */
export function measureSignCost(algorithm: SigningAlgorithm, count = 500): SignCost {
  const privateKey = createPrivateKey(generateSigningKey('bench', algorithm).private_pem);
  const digest = algorithm === 'ed25519' ? null : 'sha256';
  const answer = (i: number): Buffer =>
    Buffer.from(`{"code":830,"message":"Correct format data saved","errors":[],"timestamp":${1_700_000_000 + i}}`);
  sign(digest, answer(-1), privateKey);
  const start = performance.now();
  for (let i = 0; i < count; i++) sign(digest, answer(i), privateKey);
  const elapsedMs = performance.now() - start;
  return { algorithm, signatures: count, perSignatureMs: elapsedMs / count, perSecond: (count * 1000) / elapsedMs };
}
