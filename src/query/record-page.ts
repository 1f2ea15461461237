import type { FieldErrors } from '../model/record.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { parseFilter } from './parse-filter.js';
import { adminRecord, type AdminRecord } from './record-shape.js';
import { sizedPage } from './sized-page.js';

export type RecordPageOutcome = { ok: true; records: AdminRecord[]; next_after_id: number | null } | { ok: false; errors: FieldErrors };

/**
 * One page of stored records for an operator (every product in scope), with the query API's
 * filters, paging and messages (CONTRACT §4): what the dashboard's Records table shows, in the
 * admin shape (with the client IP as kept, record-shape.ts). At most
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
  const page = await sizedPage(telemetry, parsed.filter, parsed.page, maxRecordBytes, adminRecord);
  return { ok: true, ...page };
}
