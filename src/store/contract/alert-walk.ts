import type { TelemetryFilter } from '../../model/filter.js';
import type { PiracyAlert } from '../../model/summary.js';
import { compareValues, mergeTop } from './alert-rank.js';
import { alertRowsSql, candidatePageSql, walkFilter, type Candidate, type WalkFilter } from './alert-walk-sql.js';
import { ALERT_KINDS, type AlertKind } from './flagged-counts-sql.js';
import { toAlert, type AlertRow } from './piracy-alert-row.js';
import { boundStep, type SqlRow, type SqlSteps } from './sql-steps.js';

/**
 * A summary's piracy alerts by a threshold walk (docs/decisions/0043-alert-candidates.md), as steps
 * (sql-steps.ts) that each backend runs inside the summary's snapshot. Per kind: the NULL group,
 * then the values in order of their stored red-flagged count (an upper bound of their count under
 * the filter), a page at a time, each page's exact rows read with one query and merged into the
 * top list; the walk stops at the first value whose bound cannot beat the top list's last entry.
 * The answer is exactly the raw GROUP BY's. A walk that checks more than `walkLimits(top).cap` values
 * (a short range, where every bound is far above the counts in range) gives up: null, read raw.
 */

/** How far a walk goes: values per page (one counts query and one alert query each), most values checked before it gives up. */
export interface WalkLimits {
  page: number;
  cap: number;
}

/** 64 values a page; up to max(256, 20 × top) values checked, then the raw query (itself cheap where that happens: a short range). */
export function walkLimits(top: number): WalkLimits {
  return { page: 64, cap: Math.max(256, 20 * top) };
}

/** Each kind's alerts, or null for a kind the walk did not answer (read it raw). */
export type WalkedAlerts = Record<AlertKind, PiracyAlert[] | null>;

/** The backend's FROM for the alert rows of a kind (SQLite: `telemetry INDEXED BY …`). */
export type AlertSource = (kind: AlertKind) => string;

const NOT_WALKED: WalkedAlerts = { license_key: null, user_identifier: null };


function alertsOf(rows: readonly SqlRow[]): PiracyAlert[] {
  return rows.map((row) => {
    const numbers = Object.fromEntries(Object.entries(row).map(([name, value]) => [name, name === 'value' ? value : Number(value)]));
    return toAlert(numbers as AlertRow);
  });
}

function candidatesOf(rows: readonly SqlRow[]): Candidate[] {
  return rows.map((row) => ({ value: String(row['value']), flagged: Number(row['flagged']) }));
}

/** Whether a value whose count is at most `c.flagged` could still enter the top list. */
function canEnter(ranked: readonly PiracyAlert[], top: number, c: Candidate): boolean {
  const last = ranked[top - 1];
  if (last === undefined) return true;
  return c.flagged > last.count || (c.flagged === last.count && compareValues(c.value, last.value) < 0);
}

/** The top alerts of one kind, or null when the walk would check more than the cap. */
function* walkKind(kind: AlertKind, filter: WalkFilter, top: number, from: AlertSource, limits: WalkLimits): SqlSteps<PiracyAlert[] | null> {
  let ranked = mergeTop([], alertsOf(yield boundStep((bind) => alertRowsSql(kind, filter, null, from(kind), bind))), top);
  let checked = 0;
  let after: Candidate | null = null;
  for (;;) {
    const page = candidatesOf(yield boundStep((bind) => candidatePageSql(kind, filter, after, limits.page, bind)));
    const entering = page.findIndex((c) => !canEnter(ranked, top, c));
    const batch = entering === -1 ? page : page.slice(0, entering);
    if (batch.length > 0) {
      checked += batch.length;
      if (checked > limits.cap) return null;
      const values = batch.map((c) => c.value);
      ranked = mergeTop(ranked, alertsOf(yield boundStep((bind) => alertRowsSql(kind, filter, values, from(kind), bind))), top);
    }
    // A value that cannot enter stops the walk: every later one has a lower bound, or the same and a later value.
    if (batch.length < page.length || page.length < limits.page) return ranked;
    after = page[page.length - 1] ?? null;
  }
}

/**
 * The piracy alerts of a summary's filter by the walk, each kind answered or null; both null when
 * the filter is not one the walk answers (alert-walk-sql.ts, walkFilter). has_red_flags = 0 has none.
 */
export function* alertWalkSteps(filter: TelemetryFilter, top: number, from: AlertSource, limits: WalkLimits = walkLimits(top)): SqlSteps<WalkedAlerts> {
  if (!walkFilter(filter)) return NOT_WALKED;
  if (filter.flags?.has_red_flags === 0 || top < 1) return { license_key: [], user_identifier: [] };
  const walked: WalkedAlerts = { ...NOT_WALKED };
  for (const kind of ALERT_KINDS) walked[kind] = yield* walkKind(kind, filter, top, from, limits);
  return walked;
}
