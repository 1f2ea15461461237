import type { RegistryStore } from '../store/contract/store.js';
import type { Product, ProductStatus } from '../model/registry.js';
import { RegistryInputError } from '../model/errors.js';
import type { AuditContext } from '../model/audit.js';
import { changedFields, createdFields } from './audit/field-changes.js';
import { recordChange, recordIfChanged } from './audit/record-change.js';

/** Reports carry their identifiers in fields of at most 255 characters, so a longer one could never match. */
export const MAX_IDENTIFIER_LENGTH = 255;

export interface ProductRequest {
  name: string;
  versions?: readonly string[];
}

/**
 * Registers a product with its released versions, so reports naming it (and those versions)
 * are not red-flagged. Versions are trimmed and de-duplicated, keeping their order.
 */
export async function createProduct(registry: RegistryStore, request: ProductRequest, audit: AuditContext): Promise<Product> {
  const name = request.name.trim();
  if (name === '') throw new RegistryInputError('A product needs a name.');
  if (name.length > MAX_IDENTIFIER_LENGTH) throw new RegistryInputError(`A product name must not be longer than ${MAX_IDENTIFIER_LENGTH} characters.`);
  const versions = [...new Set((request.versions ?? []).map(checkVersion))];
  const product = await registry.createProduct({ name, versions });
  await recordChange(audit, { action: 'product.create', targetType: 'product', targetId: product.id, changes: createdFields(product, ['name', 'versions', 'status']) });
  return product;
}

/** What adding a version did: the product as it now is, the version as stored (trimmed), and whether it was new. */
export interface VersionAdded {
  product: Product;
  version: string;
  added: boolean;
}

/** Registers one more released version; adding a version twice changes nothing (`added` is then false). */
export async function addProductVersion(registry: RegistryStore, productId: number, version: string, audit: AuditContext): Promise<VersionAdded> {
  const before = await requireProduct(registry, productId);
  const checked = checkVersion(version);
  const found = await registry.addProductVersion(productId, checked);
  const product = found ? await registry.getProduct(productId) : null;
  if (product === null) throw new RegistryInputError(`No product with id ${productId}.`);
  await recordIfChanged(audit, { action: 'product.add_version', targetType: 'product', targetId: productId, changes: changedFields(before, product, ['versions']) });
  return { product, version: checked, added: !before.versions.includes(checked) };
}

/** Makes a product inactive (its reports are flagged `product_exists: 0` and answered "invalid") or active again. */
export async function setProductStatus(registry: RegistryStore, productId: number, status: ProductStatus, audit: AuditContext): Promise<Product> {
  const product = await requireProduct(registry, productId);
  await registry.setProductStatus(productId, status);
  const action = status === 'active' ? 'product.activate' : 'product.deactivate';
  await recordIfChanged(audit, { action, targetType: 'product', targetId: productId, changes: changedFields(product, { ...product, status }, ['status']) });
  return { ...product, status };
}

/** Every product with its versions, by id. */
export function listProducts(registry: RegistryStore): Promise<Product[]> {
  return registry.listProducts();
}

/** Throws unless the product exists; for the other registry functions. */
export async function requireProduct(registry: RegistryStore, productId: number): Promise<Product> {
  requireId(productId, 'product');
  const product = await registry.getProduct(productId);
  if (product === null) throw new RegistryInputError(`No product with id ${productId}.`);
  return product;
}

/** Ids are positive integers; anything else is a caller's mistake worth naming. */
export function requireId(id: number, what: string): void {
  if (!Number.isSafeInteger(id) || id < 1) throw new RegistryInputError(notAnIdMessage(id, what));
}

/** What requireId says of a value that is not an id (NaN: not a number at all). */
export function notAnIdMessage(id: number, what: string): string {
  return `A ${what} id must be a positive integer, not ${String(id)}.`;
}

function checkVersion(raw: string): string {
  const version = raw.trim();
  if (version === '') throw new RegistryInputError('A product version must not be empty.');
  if (version.length > MAX_IDENTIFIER_LENGTH) throw new RegistryInputError(`A product version must not be longer than ${MAX_IDENTIFIER_LENGTH} characters.`);
  return version;
}
