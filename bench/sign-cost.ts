import { generateKeyPairSync, sign } from 'node:crypto';
import { performance } from 'node:perf_hooks';

export interface SignCost {
  signatures: number;
  perSignatureMs: number;
  perSecond: number;
}

/**
 * Times `count` RSA-2048 PKCS#1 v1.5 SHA-256 signatures of distinct 830 answers, one after
 * the other on this thread: what each answer would cost if nothing were cached.
 */
export function measureSignCost(count = 2000): SignCost {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const answer = (i: number): Buffer =>
    Buffer.from(`{"code":830,"message":"Correct format data saved","errors":[],"timestamp":${1_700_000_000 + i}}`);
  sign('sha256', answer(-1), privateKey);
  const start = performance.now();
  for (let i = 0; i < count; i++) sign('sha256', answer(i), privateKey);
  const elapsedMs = performance.now() - start;
  return { signatures: count, perSignatureMs: elapsedMs / count, perSecond: (count * 1000) / elapsedMs };
}
