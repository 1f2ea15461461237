import { createHash, createPublicKey } from 'node:crypto';
import type { SecretStore } from '../store/store.js';
import { parseId } from '../telemetry/number.js';
import type { Reply } from './codes.js';
import { loadOrCreateSigningKey, publicKeyPem, type SigningAlgorithm } from './signing-key.js';

/** The fields of a `get-public-key` answer, in wire order. */
export type PublicKeyFields = {
  public_key: string;
  algorithm: SigningAlgorithm;
  key_id: string;
};

/** The algorithm of a public key as Tally names it, read from the key itself (not from a stored label). */
export function keyAlgorithm(pem: string): SigningAlgorithm {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  return key.asymmetricKeyDetails?.modulusLength === 4096 ? 'rsa-4096' : 'rsa-2048';
}

/** A short, stable id of a public key: the first 16 hex chars of the SHA-256 of its SPKI DER. */
export function keyId(pem: string): string {
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** The product id the request names, or null when it names none (or not a valid id). */
function requestedProduct(input: Readonly<Record<string, unknown>>): number | null {
  const value = input['product_id'];
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  return typeof value === 'string' ? parseId(value.trim()) : null;
}

/**
 * The PEM a client should pin: the product's own key when the request names a product that
 * has one, else the global key (made with `algorithm` if the server has none yet, as the
 * CLI's `tally keys public` does).
 */
async function pinnedPem(secrets: SecretStore, productId: number | null, algorithm: SigningAlgorithm): Promise<string> {
  if (productId !== null) {
    const own = await publicKeyPem(secrets, `product:${productId}`);
    if (own !== null) return own;
  }
  return (await loadOrCreateSigningKey(secrets, 'global', algorithm)).publicKeyPem;
}

/**
 * The answer of `get-public-key` (code 990). Needs no API key and never looks one up, so the
 * answer says nothing about whether a presented key is valid. An unknown product, or one
 * without its own key pair, gets the global key.
 */
export async function publicKeyAnswer(
  secrets: SecretStore,
  input: Readonly<Record<string, unknown>>,
  defaultAlgorithm: SigningAlgorithm,
): Promise<Reply> {
  const pem = await pinnedPem(secrets, requestedProduct(input), defaultAlgorithm);
  const fields: PublicKeyFields = { public_key: pem, algorithm: keyAlgorithm(pem), key_id: keyId(pem) };
  return { code: 990, fields };
}
