import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { NewSigningKey, SecretStore, StoredSigningKey } from '../store/contract/store.js';
import { keyId } from '../model/key-id.js';

export const SIGNING_ALGORITHMS = ['rsa-2048', 'rsa-4096', 'ed25519'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const GLOBAL_SCOPE = 'global';

/** The scope of a product's own key pair. */
export function productScope(productId: number): string {
  return `product:${productId}`;
}

/** A key pair ready to sign with. */
export interface SigningKey {
  keyId: string;
  scope: string;
  algorithm: SigningAlgorithm;
  privateKey: KeyObject;
  publicKeyPem: string;
  createdAt: string;
  retiredAt: string | null;
}

export function isSigningAlgorithm(value: string): value is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

/** A fresh key pair for a scope, not stored yet. */
export function generateSigningKey(scope: string, algorithm: SigningAlgorithm, now = new Date()): NewSigningKey {
  const pair =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('rsa', { modulusLength: algorithm === 'rsa-4096' ? 4096 : 2048 });
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    key_id: keyId(publicPem),
    scope,
    algorithm,
    private_pem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    public_pem: publicPem,
    created_at: now.toISOString(),
  };
}

/** The algorithm of a key as Tally names it, read from the key itself (not from a stored label). */
export function keyAlgorithm(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  return key.asymmetricKeyDetails?.modulusLength === 4096 ? 'rsa-4096' : 'rsa-2048';
}

/**
 * A stored key made ready to sign. The public PEM, the algorithm and the key id are re-derived
 * from the private key, so a tampered public_pem, algorithm or key_id column cannot mislead:
 * a key id that does not match its key is refused.
 */
export function toSigningKey(stored: StoredSigningKey): SigningKey {
  const privateKey = createPrivateKey(stored.private_pem);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const id = keyId(publicKeyPem);
  if (id !== stored.key_id) throw new Error(`The stored signing key ${stored.key_id} (${stored.scope}) does not match its key id`);
  return {
    keyId: id,
    scope: stored.scope,
    algorithm: keyAlgorithm(publicKey),
    privateKey,
    publicKeyPem,
    createdAt: stored.created_at,
    retiredAt: stored.retired_at,
  };
}

/** The current key pair of a scope ('global' or `product:<id>`), made and stored on first use. */
export async function loadOrCreateSigningKey(secrets: SecretStore, scope: string, algorithm: SigningAlgorithm): Promise<SigningKey> {
  const existing = await secrets.getSigningKey(scope);
  if (existing) return toSigningKey(existing);
  return toSigningKey(await secrets.saveSigningKeyIfAbsent(generateSigningKey(scope, algorithm)));
}

/** The current public key of a scope as PEM, or null when that scope has no key yet. */
export async function publicKeyPem(secrets: SecretStore, scope: string): Promise<string | null> {
  const stored = await secrets.getSigningKey(scope);
  return stored ? toSigningKey(stored).publicKeyPem : null;
}
