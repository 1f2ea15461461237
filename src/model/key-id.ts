import { createHash, createPublicKey } from 'node:crypto';

/** A short, stable id of a public key: the first 16 hex chars of the SHA-256 of its SPKI DER. */
export function keyId(pem: string): string {
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}
