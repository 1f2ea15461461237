import type { Reply } from '../model/codes.js';
import type { ApiKey } from '../model/registry.js';
import type { TelemetryStore } from '../store/contract/store.js';
import { parseFilter } from './parse-filter.js';
import { publicRecord } from './record-shape.js';

/**
 * The retrieval use case, free of HTTP (CONTRACT §4): validate the filter strictly (972 with
 * the messages), read one page within the key's product scope, and answer 970 with the records
 * and the cursor of the next page, or 971. One extra record is read to know whether another
 * page exists, so `next_after_id` is null exactly on the last page.
 */
export async function getTelemetry(store: TelemetryStore, input: Readonly<Record<string, unknown>>, apiKey: ApiKey): Promise<Reply> {
  const parsed = parseFilter(input, apiKey.products);
  if (!parsed.ok) return { code: 972, fields: { errors: parsed.errors } };
  const { limit } = parsed.page;
  const records = await store.query(parsed.filter, { afterId: parsed.page.afterId, limit: limit + 1 });
  if (records.length === 0) return { code: 971, fields: { data: [] } };
  const page = records.slice(0, limit);
  const nextAfterId = records.length > limit ? (page[page.length - 1]?.id ?? null) : null;
  return { code: 970, fields: { data: page.map(publicRecord), next_after_id: nextAfterId } };
}
