import type { Reply } from '../model/codes.js';
import type { ApiKey } from '../model/registry.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { parseFilter } from './parse-filter.js';
import { publicRecord } from './record-shape.js';
import { sizedPage } from './sized-page.js';

/**
 * The retrieval use case, free of HTTP (CONTRACT §4): validate the filter strictly (972 with
 * the messages), read one page within the key's product scope, and answer 970 with the records
 * and the cursor of the next page, or 971. `maxReportAgeDays` (the setting) bounds how a
 * reported_at range narrows created_at (parse-filter.ts). A page holds at most `limit` records and at most
 * `maxRecordBytes` of them (sized-page.ts); `next_after_id` is null exactly on the last page.
 */
export async function getTelemetry(
  store: TelemetryStore,
  input: Readonly<Record<string, unknown>>,
  apiKey: ApiKey,
  maxRecordBytes: number,
  maxReportAgeDays: number,
): Promise<Reply> {
  const parsed = parseFilter(input, apiKey.products, maxReportAgeDays);
  if (!parsed.ok) return { code: 972, fields: { errors: parsed.errors } };
  const page = await sizedPage(store, parsed.filter, parsed.page, maxRecordBytes, publicRecord);
  if (page.records.length === 0) return { code: 971, fields: { data: [] } };
  return { code: 970, fields: { data: page.records, next_after_id: page.next_after_id } };
}
