import { ADMIN_RECORD_KEYS, type AdminRecord } from './record-shape.js';

/** Characters that make a CSV field need quotes (RFC 4180, plus a lone CR). */
const NEEDS_QUOTES = /[",\r\n]/;
/** What a spreadsheet may run as a formula at the start of a cell (OWASP, "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * How an export writes CSV cells. `safe` (the default) is OWASP's rule against CSV injection: a
 * text cell starting with =, +, -, @, tab or CR gets a leading `'`, and every text cell is quoted,
 * so `=HYPERLINK(…)` opens as text; numbers and empty cells stay bare (a number is never a
 * formula). `raw` writes text exactly as stored, quoted only when RFC 4180 needs it.
 */
export type CsvMode = 'safe' | 'raw';

/** One CSV field: null is empty, objects (errors, metadata) are their JSON text. */
export function csvField(value: unknown, mode: CsvMode = 'safe'): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (mode === 'raw') return NEEDS_QUOTES.test(text) ? quoted(text) : text;
  return quoted(FORMULA_START.test(text) ? `'${text}` : text);
}

function quoted(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * The header row: the admin record's keys, the public ones in the contract's order then
 * `client_ip` (exports are for operators). CRLF ends rows, as RFC 4180 says.
 */
export function csvHeader(): string {
  return ADMIN_RECORD_KEYS.join(',') + '\r\n';
}

export function csvRow(record: AdminRecord, mode: CsvMode = 'safe'): string {
  return ADMIN_RECORD_KEYS.map((key) => csvField(record[key], mode)).join(',') + '\r\n';
}
