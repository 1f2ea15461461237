import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { SecretStore, StoredSigningKey } from '../store/store.js';

export const SIGNING_ALGORITHMS = ['rsa-2048', 'rsa-4096', 'ed25519'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** A key pair ready to sign with. */
export interface SigningKey {
  scope: string;
  algorithm: SigningAlgorithm;
  privateKey: KeyObject;
  publicKeyPem: string;
}

function generate(scope: string, algorithm: SigningAlgorithm): StoredSigningKey {
  const pair =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: algorithm === 'rsa-4096' ? 4096 : 2048 });
  return {
    scope,
    algorithm,
    private_pem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    public_pem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    created_at: new Date().toISOString(),
  };
}

function toSigningKey(stored: StoredSigningKey): SigningKey {
  const algorithm = (SIGNING_ALGORITHMS as readonly string[]).includes(stored.algorithm) ? (stored.algorithm as SigningAlgorithm) : 'rsa-2048';
  // Re-derive the public PEM from the private key so a tampered public_pem column cannot mislead.
  const privateKey = createPrivateKey(stored.private_pem);
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { scope: stored.scope, algorithm, privateKey, publicKeyPem };
}

/** The key pair of a scope ('global' or `product:<id>`), made and stored on first use. */
export async function loadOrCreateSigningKey(secrets: SecretStore, scope: string, algorithm: SigningAlgorithm): Promise<SigningKey> {
  const existing = await secrets.getSigningKey(scope);
  if (existing) return toSigningKey(existing);
  return toSigningKey(await secrets.saveSigningKeyIfAbsent(generate(scope, algorithm)));
}

/** The public key of a scope as PEM, or null when that scope has no key yet. */
export async function publicKeyPem(secrets: SecretStore, scope: string): Promise<string | null> {
  const stored = await secrets.getSigningKey(scope);
  return stored ? toSigningKey(stored).publicKeyPem : null;
}
