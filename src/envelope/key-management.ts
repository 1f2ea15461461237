import { requireProduct } from '../registry/products.js';
import type { Store, StoredSigningKey, SecretStore } from '../store/contract/store.js';
import {
  GLOBAL_SCOPE,
  generateSigningKey,
  loadOrCreateSigningKey,
  productScope,
  toSigningKey,
  type SigningAlgorithm,
  type SigningKey,
} from './signing-key.js';
import { RegistryInputError } from '../model/errors.js';
import type { AuditContext, FieldChange } from '../model/audit.js';
import { recordChange } from '../registry/audit/record-change.js';

/** What clients may know of a key: everything but the private half. */
export interface PublicKeyInfo {
  key_id: string;
  algorithm: SigningAlgorithm;
  public_key: string;
  created_at: string;
  retired_at: string | null;
}

export function publicKeyInfo(key: SigningKey): PublicKeyInfo {
  return { key_id: key.keyId, algorithm: key.algorithm, public_key: key.publicKeyPem, created_at: key.createdAt, retired_at: key.retiredAt };
}

/** Every key of one scope (or of all), current first, as clients may see them. */
export async function listPublicKeys(secrets: SecretStore, scope?: string): Promise<Array<PublicKeyInfo & { scope: string }>> {
  const rows = await secrets.listSigningKeys(scope);
  return rows.map((row) => ({ scope: row.scope, ...publicKeyInfo(toSigningKey(row)) }));
}

/**
 * The scope whose keys sign a product's answers: its own when it has a current key, else global
 * (made with `algorithm` if the store has no global key yet, as the server would on first start).
 */
export async function signingScope(secrets: SecretStore, productId: number | null, algorithm: SigningAlgorithm): Promise<string> {
  if (productId !== null && (await secrets.getSigningKey(productScope(productId))) !== null) return productScope(productId);
  await loadOrCreateSigningKey(secrets, GLOBAL_SCOPE, algorithm);
  return GLOBAL_SCOPE;
}

/**
 * `tally keys create --product ID`: the product's first own key pair; an error when it has one
 * already. Recorded as `signing_key.create` of the scope with the key's id (never the private half).
 */
export async function createProductKey(store: Store, productId: number, algorithm: SigningAlgorithm, audit: AuditContext): Promise<SigningKey> {
  await requireProduct(store.registry, productId);
  const scope = productScope(productId);
  const haveOne = (): RegistryInputError =>
    new RegistryInputError(`Product ${productId} already has its own signing key; use \`tally keys rotate --product ${productId}\`.`);
  if ((await store.secrets.getSigningKey(scope)) !== null) throw haveOne();
  const fresh = generateSigningKey(scope, algorithm);
  const stored = await store.secrets.saveSigningKeyIfAbsent(fresh);
  if (stored.key_id !== fresh.key_id) throw haveOne();
  await recordChange(audit, {
    action: 'signing_key.create', targetType: 'signing_key', targetId: scope,
    changes: { key_id: { before: null, after: stored.key_id }, algorithm: { before: null, after: stored.algorithm } },
  });
  return toSigningKey(stored);
}

/**
 * `tally keys rotate [--product ID]`: a new current key for the scope (with `algorithm`, else the
 * algorithm of the key it replaces); the old one is retired but still listed. The global key is
 * made first if the store has none. A product without its own key has nothing to rotate.
 * Recorded as `signing_key.rotate` of the scope: the current key id (and algorithm) before and after.
 */
export async function rotateKey(
  store: Store,
  productId: number | null,
  algorithm: SigningAlgorithm | undefined,
  defaultAlgorithm: SigningAlgorithm,
  audit: AuditContext,
): Promise<{ retired: SigningKey; current: SigningKey }> {
  let scope = GLOBAL_SCOPE;
  let old: StoredSigningKey | null;
  if (productId === null) {
    await loadOrCreateSigningKey(store.secrets, GLOBAL_SCOPE, defaultAlgorithm);
    old = await store.secrets.getSigningKey(GLOBAL_SCOPE);
  } else {
    await requireProduct(store.registry, productId);
    scope = productScope(productId);
    old = await store.secrets.getSigningKey(scope);
  }
  const noKey = new RegistryInputError(`Product ${productId ?? ''} has no signing key of its own; use \`tally keys create --product ${productId ?? ''}\`.`);
  if (old === null) throw noKey;
  const oldKey = toSigningKey(old);
  const current = await store.secrets.rotateSigningKey(generateSigningKey(scope, algorithm ?? oldKey.algorithm));
  if (current === null) throw noKey;
  const changes: Record<string, FieldChange> = { key_id: { before: oldKey.keyId, after: current.key_id } };
  if (oldKey.algorithm !== current.algorithm) changes['algorithm'] = { before: oldKey.algorithm, after: current.algorithm };
  await recordChange(audit, { action: 'signing_key.rotate', targetType: 'signing_key', targetId: scope, changes });
  return { retired: { ...oldKey, retiredAt: current.created_at }, current: toSigningKey(current) };
}
