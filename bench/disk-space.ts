import { statfs } from 'node:fs/promises';
import type { Backend } from './options.js';

/**
 * Bytes on disk per generated record, tables and indexes together: SQLite measured at about
 * 250 B (10M records, 2.5 GB) and 275 B (this generator, 200k); PostgreSQL at 546 B (200k,
 * monthly partitions, before rollups). Rounded up, so the estimate errs on the side of refusing.
 */
export const BYTES_PER_RECORD: Readonly<Record<Backend, number>> = { sqlite: 320, postgres: 650 };
/** Always left free: the larger of this and a tenth of the free space. */
const MARGIN_BYTES = 5e9;

/** Free bytes for an unprivileged writer on the file system holding `dir`. */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}

/** The refusal to print when `records` more would not fit in `free` bytes with the margin left; null when they fit. */
export function diskRefusal(backend: Backend, records: number, free: number): string | null {
  const needed = records * BYTES_PER_RECORD[backend];
  const usable = free - Math.max(MARGIN_BYTES, free / 10);
  if (needed <= usable) return null;
  return `refusing to generate: ${records.toLocaleString('en-US')} more records need about ${gb(needed)} on ${backend} ` +
    `(${BYTES_PER_RECORD[backend]} B each), but only ${gb(Math.max(0, usable))} of the ${gb(free)} free may be used (a margin stays free)`;
}

export function gb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`;
}
