import type { FieldErrors } from '../model/record.js';
import type { CsvMode } from './csv.js';
import { isExportFormat, type ExportFormat } from './export.js';
import { FLAG_WORDS, FLAG_WORDS_TEXT } from './filter-fields.js';
import { parseFilter } from './parse-filter.js';
import type { TelemetryFilter } from '../model/filter.js';

/** What an export asks for, or every problem with it. */
export type ExportRequest =
  | { ok: true; format: ExportFormat; filter: TelemetryFilter; afterId: number; csvMode: CsvMode }
  | { ok: false; errors: FieldErrors };

/**
 * Reads an export's fields (`format`, `raw_csv` and the query API's filters, CONTRACT §4) with
 * the same rules and messages as get-telemetry-data. Exports are an operator's tool (CLI, admin
 * API), so every product is in scope. `after_id` resumes an export; `limit` is checked but an
 * export always runs to the last matching record. `raw_csv` (1/true) writes CSV cells as stored,
 * formulas included; by default they are neutralised (src/query/csv.ts). NDJSON ignores it.
 */
export function parseExportRequest(input: Readonly<Record<string, unknown>>, maxReportAgeDays: number): ExportRequest {
  const parsed = parseFilter(input, [], maxReportAgeDays);
  const format = typeof input['format'] === 'string' ? input['format'].trim() : '';
  const rawCsv = rawCsvOf(input['raw_csv']);
  if (parsed.ok && isExportFormat(format) && rawCsv !== null) {
    return { ok: true, format, filter: parsed.filter, afterId: parsed.page.afterId, csvMode: rawCsv === 1 ? 'raw' : 'safe' };
  }
  const errors: FieldErrors = {};
  if (!isExportFormat(format)) errors['format'] = [format === '' ? 'The format field is required.' : 'The selected format is invalid.'];
  if (rawCsv === null) errors['raw_csv'] = [`The raw_csv field must be ${FLAG_WORDS_TEXT}.`];
  return { ok: false, errors: parsed.ok ? errors : { ...errors, ...parsed.errors } };
}

/** 1 or 0 for a flag word (absent or empty: 0); null for anything else. */
function rawCsvOf(value: unknown): 0 | 1 | null {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'string') return null;
  const word = value.trim();
  return word === '' ? 0 : (FLAG_WORDS.get(word) ?? null);
}
