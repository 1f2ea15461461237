import type { FieldErrors } from '../model/record.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { parseFilter } from './parse-filter.js';
import { publicRecord, type PublicRecord } from './record-shape.js';

export type RecordPageOutcome = { ok: true; records: PublicRecord[]; next_after_id: number | null } | { ok: false; errors: FieldErrors };

/**
 * One page of stored records for an operator (every product in scope), with the query API's
 * filters, paging and messages (CONTRACT §4): what the dashboard's Records table shows. One
 * extra record is read so that `next_after_id` is null exactly on the last page.
 */
export async function recordPage(telemetry: TelemetryStore, query: Readonly<Record<string, unknown>>): Promise<RecordPageOutcome> {
  const parsed = parseFilter(query, []);
  if (!parsed.ok) return parsed;
  const { limit, afterId } = parsed.page;
  const records = await telemetry.query(parsed.filter, { afterId, limit: limit + 1 });
  const page = records.slice(0, limit);
  const next = records.length > limit ? (page[page.length - 1]?.id ?? null) : null;
  return { ok: true, records: page.map(publicRecord), next_after_id: next };
}
