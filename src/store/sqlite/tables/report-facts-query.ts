import type Database from 'better-sqlite3';
import type { ReportFacts, ReportLookup } from '../../../model/registry.js';
import { reportFactsSql, toReportFacts, type ReportFactsRow } from '../../contract/report-facts-row.js';

const FACTS_SQL = reportFactsSql({
  productId: '@productId', licenseKey: '@licenseKey', productVersion: '@productVersion', activationIdentifier: '@activationIdentifier',
});

/** What the registry knows about a report's identifiers, in one prepared statement. */
export class SqliteReportFactsQuery {
  readonly #facts: Database.Statement<[ReportLookup], ReportFactsRow>;

  constructor(db: Database.Database) {
    this.#facts = db.prepare<ReportLookup, ReportFactsRow>(FACTS_SQL);
  }

  lookup(lookup: ReportLookup): ReportFacts {
    const row = this.#facts.get(lookup);
    if (row === undefined) throw new Error('The report facts query returned no row');
    return toReportFacts(row);
  }
}
