import { requestedProduct } from './requested-product.js';

/** What the signing rule needs of an API key: the products it may use (empty = every product). */
export interface KeyScope {
  readonly products: readonly number[];
}

/**
 * The product whose own signing key signs the answer to a request, or null for the global key
 * (docs/security.md §4, "Which key signs"). A product's key vouches that the answer was about a
 * request legitimately for that product, so it signs only when the request names the product
 * (`product_id`) **and** the API key that was accepted may be used for that product alone. An
 * unscoped key, or one shared by several products, gets answers signed with the global key,
 * whatever product it names: anyone holding it could name any of them.
 *
 * `key` is null only for the endpoint that needs no API key (get-public-key): its answer says
 * which keys the named product uses, holds no report outcome, and is signed with the key it
 * names as current, so a pinned client can check the list against its pin.
 */
export function signingProduct(fields: Readonly<Record<string, unknown>>, key: KeyScope | null): number | null {
  const named = requestedProduct(fields);
  if (named === null || key === null) return named;
  return key.products.length === 1 && key.products[0] === named ? named : null;
}
