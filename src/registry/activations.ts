import type { RegistryStore } from '../store/contract/store.js';
import { MAX_IDENTIFIER_LENGTH, requireId } from './products.js';
import type { Activation, License } from '../model/registry.js';
import { RegistryInputError } from '../model/errors.js';
import type { AuditContext } from '../model/audit.js';
import { recordChange } from './audit/record-change.js';

export interface ActivationRequest {
  licenseKey: string;
  identifier: string;
  /** Needed only when the same key is registered for several products. */
  productId?: number;
}

/**
 * Records that a license was activated under an identifier, so reports from that activation
 * are not red-flagged. Recording the same activation twice returns the existing one (and is
 * recorded in the audit log again: the store does not say whether the row was new).
 */
export async function createActivation(
  registry: RegistryStore, request: ActivationRequest, audit: AuditContext,
): Promise<{ activation: Activation; license: License }> {
  const identifier = request.identifier.trim();
  if (identifier === '') throw new RegistryInputError('An activation needs an identifier.');
  if (identifier.length > MAX_IDENTIFIER_LENGTH) throw new RegistryInputError(`An activation identifier must not be longer than ${MAX_IDENTIFIER_LENGTH} characters.`);
  const license = await findLicense(registry, request.licenseKey.trim(), request.productId);
  const activation = await registry.createActivation(license.id, identifier);
  await recordChange(audit, {
    action: 'activation.create', targetType: 'activation', targetId: activation.id,
    changes: { license_id: { before: null, after: license.id }, license_key: { before: null, after: license.key }, identifier: { before: null, after: identifier } },
  });
  return { activation, license };
}

/** The one license a key names, narrowed by product when given. */
async function findLicense(registry: RegistryStore, key: string, productId: number | undefined): Promise<License> {
  if (key === '') throw new RegistryInputError('An activation needs a license key.');
  if (productId !== undefined) requireId(productId, 'product');
  const found = (await registry.findLicenses(key)).filter((license) => productId === undefined || license.product_id === productId);
  const [license, ...others] = found;
  if (license === undefined) throw new RegistryInputError(`No license "${key}"${productId === undefined ? '' : ` for product ${productId}`}.`);
  if (others.length > 0) {
    const products = found.map((l) => l.product_id).join(', ');
    throw new RegistryInputError(`License "${key}" exists for several products (${products}); say which one with --product.`);
  }
  return license;
}
