import { LICENSE_STATUSES, type License, type LicenseStatus } from '../model/registry.js';
import { RegistryInputError } from '../model/errors.js';
import type { ExpiryFilter, LicenseListRequest } from '../store/contract/license-store.js';
import type { RegistryStore } from '../store/contract/store.js';
import { normaliseExpiry } from './licenses.js';
import { requireId } from './products.js';

/** How many licenses (or activations) a page holds: `limit` from 1 to 1000, 50 when absent. */
export const PAGE_LIMIT = { min: 1, max: 1000, fallback: 50 } as const;

/** A list request as the CLI and the admin API take it: text values, checked here. */
export interface LicenseListQuery {
  productId?: number;
  status?: string;
  /** `expired` (at the time of the call) or `never`. */
  expiry?: string;
  /** ISO-8601: licenses that expire before then (and have an expiry). */
  expiresBefore?: string;
  search?: string;
  limit?: number;
  /** The `next` of the page before. */
  after?: string;
}

/** A page: its licenses and the `after` for the next one (null on the last page). */
export interface LicensePage {
  licenses: License[];
  next: string | null;
}

/** Lists licenses, filtered and paged by id (keyset: a page is stable while licenses are added). */
export async function listLicenses(registry: RegistryStore, query: LicenseListQuery, now: Date = new Date()): Promise<LicensePage> {
  const request = readListQuery(query, now);
  const rows = await registry.listLicenses({ ...request, limit: request.limit + 1 });
  const licenses = rows.slice(0, request.limit);
  return { licenses, next: rows.length > request.limit ? String(licenses[licenses.length - 1]?.id ?? '') : null };
}

function readListQuery(query: LicenseListQuery, now: Date): LicenseListRequest {
  if (query.productId !== undefined) requireId(query.productId, 'product');
  const expiry = readExpiry(query, now);
  const search = query.search?.trim();
  return {
    productId: query.productId, status: readStatus(query.status), expiry,
    search: search === '' ? undefined : search, afterId: readAfter(query.after), limit: readLimit(query.limit),
  };
}

/** A status to filter by or set: one of active, blocked, revoked. */
export function readStatus(raw: string | undefined): LicenseStatus | undefined {
  const status = raw?.trim();
  if (status === undefined || status === '') return undefined;
  if (!(LICENSE_STATUSES as readonly string[]).includes(status)) throw new RegistryInputError(`The status must be one of ${LICENSE_STATUSES.join(', ')}, not "${status}".`);
  return status as LicenseStatus;
}

function readExpiry(query: LicenseListQuery, now: Date): ExpiryFilter | undefined {
  const expiry = query.expiry?.trim() ?? '';
  const before = query.expiresBefore?.trim() ?? '';
  if (expiry !== '' && before !== '') throw new RegistryInputError('Give either an expiry (expired, never) or an expires-before time, not both.');
  if (before !== '') {
    const at = normaliseExpiry(before);
    if (at === undefined || at === null) throw new RegistryInputError(`The expires-before time must be an ISO-8601 date or date-time, not "${before}".`);
    return { kind: 'before', at };
  }
  if (expiry === '') return undefined;
  if (expiry === 'expired') return { kind: 'expired', now: now.toISOString() };
  if (expiry === 'never') return { kind: 'never' };
  throw new RegistryInputError(`The expiry must be expired or never, not "${expiry}".`);
}

/** The `after` of a page: the last id of the page before, as text. */
export function readAfter(after: string | undefined): number | undefined {
  const text = after?.trim() ?? '';
  if (text === '') return undefined;
  if (!/^\d{1,15}$/.test(text)) throw new RegistryInputError(`The after value must be the next of the page before, not "${text}".`);
  return Number(text);
}

export function readLimit(limit: number | undefined): number {
  if (limit === undefined) return PAGE_LIMIT.fallback;
  if (!Number.isSafeInteger(limit) || limit < PAGE_LIMIT.min || limit > PAGE_LIMIT.max) {
    throw new RegistryInputError(`The limit must be a whole number from ${PAGE_LIMIT.min} to ${PAGE_LIMIT.max}, not ${String(limit)}.`);
  }
  return limit;
}
