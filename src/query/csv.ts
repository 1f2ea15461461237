import { PUBLIC_RECORD_KEYS, type PublicRecord } from './record-shape.js';

/** Characters that make a CSV field need quotes (RFC 4180, plus a lone CR). */
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field: null is empty, objects (errors, metadata) are their JSON text, and a value with
 * a comma, a quote or a line break is quoted with its quotes doubled. Text is written as it is
 * (UTF-8 by the stream); nothing is prefixed, so a value reads back exactly as stored.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header row: the public record's keys in the contract's order. CRLF ends rows, as RFC 4180 says. */
export function csvHeader(): string {
  return PUBLIC_RECORD_KEYS.join(',') + '\r\n';
}

export function csvRow(record: PublicRecord): string {
  return PUBLIC_RECORD_KEYS.map((key) => csvField(record[key])).join(',') + '\r\n';
}
