import type pg from 'pg';
import type { LicenseStatus, ProductStatus, ReportFacts, ReportLookup } from '../../model/registry.js';
import { selectRow } from './pg-rows.js';

interface FactsRow {
  product_id: number | null;
  product_status: ProductStatus | null;
  version_exists: boolean;
  license_status: LicenseStatus | null;
  license_expires_at: string | null;
  activation_exists: boolean;
}

/*
 * One row, always, in one round trip: the product by id, the license by (that product, key), and
 * two EXISTS probes, each an indexed point lookup. A NULL anywhere matches nothing, so unknown or
 * missing identifiers fall through to "not found" for everything that depends on them.
 */
const FACTS_SQL = `
SELECT
  p.id AS product_id,
  p.status AS product_status,
  EXISTS (SELECT 1 FROM product_versions v WHERE v.product_id = p.id AND v.version = $3::text) AS version_exists,
  l.status AS license_status,
  l.expires_at AS license_expires_at,
  EXISTS (SELECT 1 FROM activations a WHERE a.license_id = l.id AND a.identifier = $4::text) AS activation_exists
FROM (SELECT 1) AS one
LEFT JOIN products p ON p.id = $1::bigint
LEFT JOIN licenses l ON l.product_id = p.id AND l.key = $2::text`;

/** What the registry knows about a report's identifiers, in one statement. */
export async function lookupPgReportFacts(db: pg.Pool, lookup: ReportLookup): Promise<ReportFacts> {
  const row = await selectRow<FactsRow>(db, FACTS_SQL, [
    lookup.productId, lookup.licenseKey, lookup.productVersion, lookup.activationIdentifier,
  ]);
  if (row === null) throw new Error('The report facts query returned no row');
  return {
    product: row.product_id === null ? null : { id: row.product_id, active: row.product_status === 'active' },
    versionExists: row.version_exists,
    license: row.license_status === null ? null : { status: row.license_status, expires_at: row.license_expires_at },
    activationExists: row.activation_exists,
  };
}
