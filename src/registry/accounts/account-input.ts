import { ROLES, type Role } from '../../model/accounts.js';
import { RegistryInputError } from '../../model/errors.js';
import type { RegistryStore } from '../../store/contract/store.js';

/** The longest account name (an email address may be 254 characters). */
export const MAX_NAME_CHARS = 254;

/** A name as stored: trimmed, 1–254 characters, no control characters. */
export function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new RegistryInputError('An account needs a name (an email address or a name).');
  if ([...trimmed].length > MAX_NAME_CHARS) throw new RegistryInputError(`An account name has at most ${MAX_NAME_CHARS} characters.`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) throw new RegistryInputError('An account name must not contain control characters.');
  return trimmed;
}

export function checkedRole(role: string): Role {
  const found = ROLES.find((r) => r === role);
  if (found === undefined) throw new RegistryInputError(`The role must be one of ${ROLES.join(', ')}.`);
  return found;
}

/** Products an account is limited to: existing product ids, at least one, each once (null = every product). */
export async function checkedProducts(registry: RegistryStore, products: readonly number[] | null): Promise<number[] | null> {
  if (products === null) return null;
  if (products.length === 0) throw new RegistryInputError('List at least one product id, or none for every product.');
  const unique = [...new Set(products)];
  for (const id of unique) {
    if (!Number.isSafeInteger(id) || id <= 0) throw new RegistryInputError('Product ids are positive integers.');
    if ((await registry.getProduct(id)) === null) throw new RegistryInputError(`No product with id ${id}.`);
  }
  return unique;
}
