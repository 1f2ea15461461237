import type { LicenseStatus, ProductStatus, ReportFacts } from '../../model/registry.js';

/** How a backend writes the four lookup parameters (`@productId`, `$1::bigint`, …). */
export interface FactsParameters {
  productId: string;
  licenseKey: string;
  productVersion: string;
  activationIdentifier: string;
}

/*
 * One row, always: the product by id, the license by (that product, key), and two EXISTS probes,
 * each an indexed point lookup. A deactivated activation does not exist for the flag. A NULL anywhere matches nothing, so unknown or missing
 * identifiers fall through to "not found" for everything that depends on them.
 */
export function reportFactsSql(p: FactsParameters): string {
  return `
SELECT
  p.id AS product_id,
  p.status AS product_status,
  EXISTS (SELECT 1 FROM product_versions v WHERE v.product_id = p.id AND v.version = ${p.productVersion}) AS version_exists,
  l.status AS license_status,
  l.expires_at AS license_expires_at,
  EXISTS (SELECT 1 FROM activations a WHERE a.license_id = l.id AND a.identifier = ${p.activationIdentifier} AND a.deactivated_at IS NULL) AS activation_exists
FROM (SELECT 1) AS one
LEFT JOIN products p ON p.id = ${p.productId}
LEFT JOIN licenses l ON l.product_id = p.id AND l.key = ${p.licenseKey}`;
}

/** The row reportFactsSql gives; EXISTS is 0/1 in SQLite and a boolean in PostgreSQL. */
export interface ReportFactsRow {
  product_id: number | null;
  product_status: ProductStatus | null;
  version_exists: boolean | number;
  license_status: LicenseStatus | null;
  license_expires_at: string | null;
  activation_exists: boolean | number;
}

export function toReportFacts(row: ReportFactsRow): ReportFacts {
  return {
    product: row.product_id === null ? null : { id: row.product_id, active: row.product_status === 'active' },
    versionExists: exists(row.version_exists),
    license: row.license_status === null ? null : { status: row.license_status, expires_at: row.license_expires_at },
    activationExists: exists(row.activation_exists),
  };
}

function exists(value: boolean | number): boolean {
  return value === true || value === 1;
}
