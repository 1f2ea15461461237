import { BlocklistMatcher } from '../registry/blocklist-matcher.js';
import type { BlocklistStore, TelemetryStore } from '../store/contract/store.js';
import { DAY_US } from '../model/clock.js';
import type { FieldErrors } from '../model/record.js';
import {
  INSIGHT_CLASSES, PIRACY_FLAGS, type InsightClass, type InsightCommon, type InsightSubject, type InsightsPage, type InsightsRow,
  type LicenseInsight, type PiracyFlag, type UserInsight,
} from '../model/insights.js';
import { compareVersions } from '../model/version-order.js';
import { isoFromMicros } from './iso-micros.js';

export { INSIGHT_CLASSES } from '../model/insights.js';
export type { InsightClass, InsightsPage, LicenseInsight, UserInsight } from '../model/insights.js';
export const CLASS_FILTERS = ['all', ...INSIGHT_CLASSES] as const;
export type ClassFilter = (typeof CLASS_FILTERS)[number];
/** Orders, each descending (ties by the key or identifier, then the product id, ascending). */
export const LICENSE_SORTS = ['machines', 'users', 'flagged', 'last_seen'] as const;
export const USER_SORTS = ['machines', 'licenses', 'flagged', 'last_seen'] as const;
export type InsightSort = (typeof LICENSE_SORTS)[number] | (typeof USER_SORTS)[number];

export const WINDOW_DAYS = { min: 1, max: 3650, fallback: 30 } as const;
export const INSIGHT_LIMIT = { min: 1, max: 500, fallback: 50 } as const;

/** What an insights page asks for, each field already read (src/http/schemas/insights.ts; the CLI's options). */
export interface InsightsParams {
  productId?: number;
  class: ClassFilter;
  sort: InsightSort;
  search?: string;
  windowDays: number;
  limit: number;
  /** The `next` of the page before. */
  after?: string;
}

/** What the classes are measured against. */
export interface InsightsDeps {
  telemetry: TelemetryStore;
  blocklist: BlocklistStore;
  /** Seats of a license without max_activations, and what one user identifier may use (config `defaultSeats`). */
  defaultSeats: number;
}

export type InsightsOutcome<T> = { ok: true; answer: InsightsPage<T> } | { ok: false; errors: FieldErrors };

/** A row read and classified, with what it is ordered by. */
interface Ranked<T> {
  row: InsightsRow;
  shaped: T;
  classes: InsightClass[];
}

/** `GET /admin/api/licenses/insights`, `tally license insights` (docs/admin-api.md, "License insights"). */
export function licenseInsights(deps: InsightsDeps, params: InsightsParams, nowUs: number): Promise<InsightsOutcome<LicenseInsight>> {
  return insights(deps, 'license', params, nowUs);
}

/** `GET /admin/api/users/insights`: the same per user identifier. */
export function userInsights(deps: InsightsDeps, params: InsightsParams, nowUs: number): Promise<InsightsOutcome<UserInsight>> {
  return insights(deps, 'user', params, nowUs);
}

async function insights<S extends InsightSubject>(deps: InsightsDeps, subject: S, params: InsightsParams, nowUs: number): Promise<InsightsOutcome<S extends 'license' ? LicenseInsight : UserInsight>> {
  type Shaped = S extends 'license' ? LicenseInsight : UserInsight;
  const cursor = params.after === undefined ? null : readCursor(params.after, params.sort);
  if (cursor === undefined) return { ok: false, errors: { after: ['The after field must be the next of an earlier page with the same sort.'] } };
  const fromUs = nowUs - params.windowDays * DAY_US + 1;
  const [rows, entries] = await Promise.all([
    deps.telemetry.insights({ subject, fromUs, toUs: nowUs, productId: params.productId, search: params.search }),
    deps.blocklist.list(),
  ]);
  const matcher = new BlocklistMatcher(entries);
  const ranked = rows
    .map((row): Ranked<Shaped> => {
      const classes = classify(subject, row, deps.defaultSeats);
      return { row, classes, shaped: shape(subject, row, classes, isBlocked(subject, row, matcher)) as Shaped };
    })
    .filter((item) => params.class === 'all' || item.classes.includes(params.class))
    .sort((a, b) => compareKeys(sortKey(a.row, params.sort), sortKey(b.row, params.sort)));
  const start = cursor === null ? 0 : ranked.findIndex((item) => compareKeys(sortKey(item.row, params.sort), cursor) > 0);
  const page = start < 0 ? [] : ranked.slice(start, start + params.limit);
  const last = page.at(-1);
  const more = start >= 0 && start + params.limit < ranked.length;
  return { ok: true, answer: { data: page.map((item) => item.shaped), next: more && last !== undefined ? writeCursor(params.sort, sortKey(last.row, params.sort)) : null } };
}

/**
 * shared: more machines than the allowance (a license's seats, else the default; a user's is the
 * default, and a user on more than one license is shared too); suspicious: any report with a
 * piracy flag; client-bug: reports with format errors only, and none flagged. A key with only
 * format problems is never suspicious.
 */
function classify(subject: InsightSubject, row: InsightsRow, defaultSeats: number): InsightClass[] {
  const allowance = row.license?.max_activations ?? defaultSeats;
  const shared = subject === 'license' ? row.machines > allowance : row.machines > defaultSeats || row.others > 1;
  const classes: InsightClass[] = [];
  if (shared) classes.push('shared');
  if (row.flagged_reports > 0) classes.push('suspicious');
  else if (row.client_bug_reports > 0) classes.push('client-bug');
  return classes;
}

/** A license blocked or revoked in the registry, or a key (a user identifier) on the blocklist for its product or for every product. */
function isBlocked(subject: InsightSubject, row: InsightsRow, matcher: BlocklistMatcher): boolean {
  if (subject === 'license' && (row.license?.status === 'blocked' || row.license?.status === 'revoked')) return true;
  const identity = { clientIp: null, productId: row.product_id, userIdentifier: null, licenseKey: null };
  return matcher.blocksReport(subject === 'license' ? { ...identity, licenseKey: row.value } : { ...identity, userIdentifier: row.value });
}

function shape(subject: InsightSubject, row: InsightsRow, classes: InsightClass[], blocked: boolean): LicenseInsight | UserInsight {
  const common: InsightCommon = {
    product_id: row.product_id, machines: row.machines, networks: row.networks,
    versions: [...row.versions].sort(compareVersions), reports: row.reports,
    flagged_reports: row.flagged_reports, client_bug_reports: row.client_bug_reports,
    flags: Object.fromEntries(PIRACY_FLAGS.map((flag) => [flag, row.flags[flag]])) as Record<PiracyFlag, number>,
    class: classes, blocked, first_seen: isoFromMicros(row.first_seen_us), last_seen: isoFromMicros(row.last_seen_us),
  };
  if (subject === 'user') {
    const { product_id, machines, ...rest } = common;
    return { user_identifier: row.value, product_id, machines, licenses: row.others, ...rest };
  }
  const { product_id, machines, ...rest } = common;
  return { license_key: row.value, product_id, seats: row.license?.max_activations ?? null, machines, users: row.others, ...rest };
}

/** Where a row stands in the order: its sort value, its key or identifier, its product. */
type SortKey = [number, string, number];

function sortKey(row: InsightsRow, sort: InsightSort): SortKey {
  const value = sort === 'machines' ? row.machines : sort === 'flagged' ? row.flagged_reports : sort === 'last_seen' ? row.last_seen_us : row.others;
  return [value, row.value, row.product_id];
}

/** Descending by value, then ascending by text (code units, the same on every machine) and product. */
function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return b[0] - a[0];
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[2] - b[2];
}

/** The cursor: the sort and the last row's key, as base64url JSON. Opaque to clients. */
function writeCursor(sort: InsightSort, key: SortKey): string {
  return Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');
}

/** The key a cursor names; undefined when it is not one this sort wrote. */
function readCursor(text: string, sort: InsightSort): SortKey | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 4) return undefined;
  const [cursorSort, metric, key, productId] = value as unknown[];
  if (cursorSort !== sort || typeof metric !== 'number' || typeof key !== 'string' || typeof productId !== 'number') return undefined;
  return [metric, key, productId];
}
