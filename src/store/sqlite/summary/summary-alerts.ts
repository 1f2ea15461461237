import { CHECK_NAMES, type PiracyAlert } from '../../../model/summary.js';
import { toAlert, type AlertRow } from '../../contract/piracy-alert-row.js';
import type { FilteredQueries } from './filtered-queries.js';
import { FLAGGED_RECORDS } from './summary-indexes.js';
import { RECORD_TIME_SQL } from '../../contract/record-time-sql.js';
import type { AlertKind } from '../../contract/flagged-counts-sql.js';
import type { WalkedAlerts } from '../../contract/alert-walk.js';

const { index: INDEX, where: FLAGGED } = FLAGGED_RECORDS;
const FAILED = CHECK_NAMES.map((check) => `SUM(${check} = 0) AS failed_${check}`).join(', ');

/**
 * The license keys and the user identifiers with the most red-flagged reports: how many, which
 * checks failed, first and last seen (record time: reported_at, else created_at). A kind the
 * threshold walk answered (`walked`, contract/alert-walk.ts) is taken as it is; the others are
 * read raw from a small partial index that holds only flagged records (with every column these
 * need), so clean traffic costs nothing here.
 */
export function piracyAlerts(queries: FilteredQueries, top: number, walked: WalkedAlerts): { license_keys: PiracyAlert[]; user_identifiers: PiracyAlert[] } {
  return {
    license_keys: walked.license_key ?? alertsBy(queries, 'license_key', top),
    user_identifiers: walked.user_identifier ?? alertsBy(queries, 'user_identifier', top),
  };
}

function alertsBy(queries: FilteredQueries, column: AlertKind, top: number): PiracyAlert[] {
  const rows = queries.all<AlertRow>(
    {
      index: INDEX,
      select: `${column} AS value, COUNT(*) AS count, ${FAILED}, MIN(${RECORD_TIME_SQL}) AS first_seen_us, MAX(${RECORD_TIME_SQL}) AS last_seen_us`,
      and: FLAGGED,
      tail: `GROUP BY ${column} ORDER BY count DESC, ${column} LIMIT ?`,
    },
    top,
  );
  return rows.map(toAlert);
}
