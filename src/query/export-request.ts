import type { FieldErrors } from '../model/record.js';
import { isExportFormat, type ExportFormat } from './export.js';
import { parseFilter } from './parse-filter.js';
import type { TelemetryFilter } from '../model/filter.js';

/** What an export asks for, or every problem with it. */
export type ExportRequest =
  | { ok: true; format: ExportFormat; filter: TelemetryFilter; afterId: number }
  | { ok: false; errors: FieldErrors };

/**
 * Reads an export's fields (`format` and the query API's filters, CONTRACT §4) with the same
 * rules and messages as get-telemetry-data. Exports are an operator's tool (CLI, admin API),
 * so every product is in scope. `after_id` resumes an export; `limit` is checked but an
 * export always runs to the last matching record.
 */
export function parseExportRequest(input: Readonly<Record<string, unknown>>): ExportRequest {
  const parsed = parseFilter(input, []);
  const format = typeof input['format'] === 'string' ? input['format'].trim() : '';
  if (parsed.ok && isExportFormat(format)) return { ok: true, format, filter: parsed.filter, afterId: parsed.page.afterId };
  const errors: FieldErrors = {};
  if (!isExportFormat(format)) errors['format'] = [format === '' ? 'The format field is required.' : 'The selected format is invalid.'];
  return { ok: false, errors: parsed.ok ? errors : { ...errors, ...parsed.errors } };
}
