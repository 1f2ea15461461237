import type pg from 'pg';
import type { ReportFacts, ReportLookup } from '../../model/registry.js';
import { reportFactsSql, toReportFacts, type ReportFactsRow } from '../contract/report-facts-row.js';
import { selectRow } from './statements.js';

const FACTS_SQL = reportFactsSql({ productId: '$1::bigint', licenseKey: '$2::text', productVersion: '$3::text', activationIdentifier: '$4::text' });

/** What the registry knows about a report's identifiers, in one statement (one round trip). */
export async function lookupPgReportFacts(db: pg.Pool, lookup: ReportLookup): Promise<ReportFacts> {
  const row = await selectRow<ReportFactsRow>(db, FACTS_SQL, [
    lookup.productId, lookup.licenseKey, lookup.productVersion, lookup.activationIdentifier,
  ]);
  if (row === null) throw new Error('The report facts query returned no row');
  return toReportFacts(row);
}
