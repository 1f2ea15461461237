import type Database from 'better-sqlite3';
import type { LicenseStatus, ProductStatus, ReportFacts, ReportLookup } from '../../model/registry.js';

interface FactsRow {
  product_id: number | null;
  product_status: ProductStatus | null;
  version_exists: number;
  license_status: LicenseStatus | null;
  license_expires_at: string | null;
  activation_exists: number;
}

/*
 * One row, always: the product by id, the license by (that product, key), and two EXISTS probes,
 * each an indexed point lookup. A NULL anywhere matches nothing, so unknown or missing
 * identifiers fall through to "not found" for everything that depends on them.
 */
const FACTS_SQL = `
SELECT
  p.id AS product_id,
  p.status AS product_status,
  EXISTS (SELECT 1 FROM product_versions v WHERE v.product_id = p.id AND v.version = @productVersion) AS version_exists,
  l.status AS license_status,
  l.expires_at AS license_expires_at,
  EXISTS (SELECT 1 FROM activations a WHERE a.license_id = l.id AND a.identifier = @activationIdentifier)
    AS activation_exists
FROM (SELECT 1) AS one
LEFT JOIN products p ON p.id = @productId
LEFT JOIN licenses l ON l.product_id = p.id AND l.key = @licenseKey`;

/** What the registry knows about a report's identifiers, in one prepared statement. */
export class SqliteReportFactsQuery {
  readonly #facts: Database.Statement<[ReportLookup], FactsRow>;

  constructor(db: Database.Database) {
    this.#facts = db.prepare<ReportLookup, FactsRow>(FACTS_SQL);
  }

  lookup(lookup: ReportLookup): ReportFacts {
    const row = this.#facts.get(lookup);
    if (row === undefined) throw new Error('The report facts query returned no row');
    return toFacts(row);
  }
}

function toFacts(row: FactsRow): ReportFacts {
  return {
    product: row.product_id === null ? null : { id: row.product_id, active: row.product_status === 'active' },
    versionExists: row.version_exists === 1,
    license: row.license_status === null ? null : { status: row.license_status, expires_at: row.license_expires_at },
    activationExists: row.activation_exists === 1,
  };
}
