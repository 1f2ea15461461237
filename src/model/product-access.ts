import type { Principal, Role } from './accounts.js';

/** True when the principal may see or change product `productId` (an account limited to products: only those). */
export function mayUseProduct(principal: Pick<Principal, 'products'>, productId: number): boolean {
  return principal.products === null || principal.products.includes(productId);
}

/** Only what a principal limited to products may see; everything for one that is not. */
export function onlyTheirProducts<T>(principal: Pick<Principal, 'products'>, items: readonly T[], productOf: (item: T) => number): T[] {
  return items.filter((item) => mayUseProduct(principal, productOf(item)));
}

/** "an owner", "an admin", "a viewer": a role as a message names it. */
export function roleWithArticle(role: Role): string {
  return role === 'viewer' ? 'a viewer' : `an ${role}`;
}
