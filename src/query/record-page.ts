import type { FieldErrors } from '../model/record.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { parseFilter } from './parse-filter.js';
import type { PublicRecord } from './record-shape.js';
import { sizedPage } from './sized-page.js';

export type RecordPageOutcome = { ok: true; records: PublicRecord[]; next_after_id: number | null } | { ok: false; errors: FieldErrors };

/**
 * One page of stored records for an operator (every product in scope), with the query API's
 * filters, paging and messages (CONTRACT §4): what the dashboard's Records table shows. At most
 * `limit` records and `maxRecordBytes` of them (sized-page.ts); `next_after_id` is null exactly
 * on the last page.
 */
export async function recordPage(
  telemetry: TelemetryStore,
  query: Readonly<Record<string, unknown>>,
  maxRecordBytes: number,
  maxReportAgeDays: number,
): Promise<RecordPageOutcome> {
  const parsed = parseFilter(query, [], maxReportAgeDays);
  if (!parsed.ok) return parsed;
  const page = await sizedPage(telemetry, parsed.filter, parsed.page, maxRecordBytes);
  return { ok: true, ...page };
}
