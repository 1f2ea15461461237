import type { ReportFacts } from '../model/registry.js';
import type { ReportFlags } from '../model/record.js';

const bit = (ok: boolean): 0 | 1 => (ok ? 1 : 0);

/**
 * The flags of the contract's table. A product the key may not use counts as a product that
 * does not exist, and everything that hangs off the product (license, version, activation)
 * then fails with it.
 */
export function computeFlags(facts: ReportFacts, productValid: boolean, correctFormat: boolean, nowMs: number): ReportFlags {
  const license = productValid ? facts.license : null;
  const licenseActive =
    license !== null && license.status === 'active' && (license.expires_at === null || Date.parse(license.expires_at) > nowMs);
  const versionExists = productValid && facts.versionExists;
  const activationExists = license !== null && facts.activationExists;
  const allPassed = correctFormat && productValid && license !== null && versionExists && activationExists && licenseActive;
  return {
    is_correct_format: bit(correctFormat),
    product_exists: bit(productValid),
    license_key_exists: bit(license !== null),
    product_version_exists: bit(versionExists),
    activation_exists: bit(activationExists),
    license_active: bit(licenseActive),
    has_red_flags: bit(!allPassed),
  };
}

/** Whether product_id names an existing, active product that the key may use (empty scope = all). */
export function isProductValid(facts: ReportFacts, allowedProducts: readonly number[]): boolean {
  const product = facts.product;
  return product !== null && product.active && (allowedProducts.length === 0 || allowedProducts.includes(product.id));
}
