import type { PiracyAlert } from '../../model/summary.js';

/**
 * The order piracy alerts rank in on every backend: most red-flagged reports first, ties by value
 * with NULL first and text in byte order of its UTF-8 (SQLite's BINARY collation; PostgreSQL's
 * `COLLATE "C" NULLS FIRST`, summary-sql.ts). UTF-8 byte order is Unicode code point order, which
 * JavaScript's `<` (UTF-16 code units) is not for characters beyond U+FFFF, hence compareValues.
 */

/** Negative when `a` ties before `b`: NULL first, then code point order. */
export function compareValues(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Negative when `a` ranks before `b`. */
export function compareAlerts(a: Pick<PiracyAlert, 'count' | 'value'>, b: Pick<PiracyAlert, 'count' | 'value'>): number {
  return b.count - a.count || compareValues(a.value, b.value);
}

/** The first `top` of `ranked` (already in order) and `more` (distinct values), in order. */
export function mergeTop(ranked: readonly PiracyAlert[], more: readonly PiracyAlert[], top: number): PiracyAlert[] {
  return [...ranked, ...more].sort(compareAlerts).slice(0, top);
}
