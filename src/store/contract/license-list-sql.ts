import type { ActivationListRequest, LicenseListRequest } from './license-store.js';

/** Adds a value to a statement's parameters and returns how the SQL names it (`?`, `$3`). */
export type Bind = (value: unknown) => string;

/**
 * The WHERE of a license list, the same on both backends: expiry times are ISO-8601 UTC text in
 * one form (`toISOString`), so they compare as text; the search is a case-insensitive substring
 * of the key or the notes (no LIKE, so `%` and `_` are plain characters). `lower` is how the
 * backend lower-cases, `position` how it finds a substring (SQLite `instr`, PostgreSQL `strpos`).
 */
export function licenseListWhere(request: LicenseListRequest, bind: Bind, position: 'instr' | 'strpos'): string {
  const terms: string[] = [];
  if (request.productId !== undefined) terms.push(`product_id = ${bind(request.productId)}`);
  if (request.status !== undefined) terms.push(`status = ${bind(request.status)}`);
  const expiry = request.expiry;
  if (expiry?.kind === 'never') terms.push('expires_at IS NULL');
  if (expiry?.kind === 'expired') terms.push(`expires_at IS NOT NULL AND expires_at <= ${bind(expiry.now)}`);
  if (expiry?.kind === 'before') terms.push(`expires_at IS NOT NULL AND expires_at < ${bind(expiry.at)}`);
  if (request.search !== undefined && request.search !== '') {
    // Bound twice: a `?` placeholder takes one value each time it appears.
    const needle = request.search.toLowerCase();
    terms.push(`(${position}(lower(key), ${bind(needle)}) > 0 OR ${position}(lower(COALESCE(notes, '')), ${bind(needle)}) > 0)`);
  }
  if (request.afterId !== undefined) terms.push(`id > ${bind(request.afterId)}`);
  return terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`;
}

/** Activations with their license's key and product (`a` and `l`), as both backends list them. */
export const LISTED_ACTIVATION_SQL = `SELECT a.id, a.license_id, a.identifier, a.created_at, a.deactivated_at, l.key AS license_key, l.product_id
FROM activations a JOIN licenses l ON l.id = a.license_id`;

export function activationListWhere(request: ActivationListRequest, bind: Bind): string {
  const terms: string[] = [];
  if (request.licenseId !== undefined) terms.push(`a.license_id = ${bind(request.licenseId)}`);
  if (request.productId !== undefined) terms.push(`l.product_id = ${bind(request.productId)}`);
  if (request.afterId !== undefined) terms.push(`a.id > ${bind(request.afterId)}`);
  return terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`;
}
