import type { SecretStore } from '../store/contract/store.js';
import type { Reply } from '../model/codes.js';
import { listPublicKeys, signingScope, type PublicKeyInfo } from './key-management.js';
import { requestedProduct } from './requested-product.js';
import type { SigningAlgorithm } from './signing-key.js';

export { keyId } from '../model/key-id.js';

/** The fields of a `get-public-key` answer, in wire order. */
export type PublicKeyFields = {
  public_key: string;
  algorithm: SigningAlgorithm;
  key_id: string;
  keys: PublicKeyInfo[];
};

/**
 * The answer of `get-public-key` (code 990): the current key that signs the named product's
 * answers (its own when it has one, else the global key) and, in `keys`, every key of that scope,
 * current first, so that answers signed before a rotation still verify. Needs no API key and
 * never looks one up, so the answer says nothing about whether a presented key is valid.
 */
export async function publicKeyAnswer(
  secrets: SecretStore,
  input: Readonly<Record<string, unknown>>,
  defaultAlgorithm: SigningAlgorithm,
): Promise<Reply> {
  const scope = await signingScope(secrets, requestedProduct(input), defaultAlgorithm);
  const keys = (await listPublicKeys(secrets, scope)).map(
    ({ key_id, algorithm, public_key, created_at, retired_at }): PublicKeyInfo => ({ key_id, algorithm, public_key, created_at, retired_at }),
  );
  const current = keys[0];
  if (current === undefined) throw new Error(`No current signing key for ${scope}`);
  const fields: PublicKeyFields = { public_key: current.public_key, algorithm: current.algorithm, key_id: current.key_id, keys };
  return { code: 990, fields };
}
