import type { TelemetryFilter } from '../model/filter.js';
import type { TelemetryStore } from '../store/contract/store.js';
import type { TelemetryRecord } from '../model/record.js';
import type { PublicRecord } from './record-shape.js';

/** A page of shaped records (public or admin) and the cursor of the next one (null on the last page). */
export interface SizedPage<R extends PublicRecord = PublicRecord> {
  records: R[];
  next_after_id: number | null;
}

/**
 * One page of public records bounded by rows AND bytes (docs/query-behaviour.md, "Answer
 * size"): at most `limit` records whose JSON (a comma each) totals at most `maxBytes`, and
 * always at least one, so paging with `next_after_id` always moves on. The store is asked for
 * `limit + 1` records and to stop reading past `maxBytes` (PageRequest.maxBytes), so huge records
 * beyond the page are never loaded; the one record it reads past either bound is the lookahead
 * that says another page exists. Record weights are a lower bound of their JSON bytes, so
 * whenever the store stopped early, the page ends before its lookahead. `shape` makes each record
 * public (the query API) or admin (the dashboard's records, with the client IP).
 */
export async function sizedPage<R extends PublicRecord>(
  store: TelemetryStore,
  filter: TelemetryFilter,
  page: { afterId: number; limit: number },
  maxBytes: number,
  shape: (record: TelemetryRecord) => R,
): Promise<SizedPage<R>> {
  const read = await store.query(filter, { afterId: page.afterId, limit: page.limit + 1, maxBytes: maxBytes + 1 });
  const records: R[] = [];
  let bytes = 0;
  for (const record of read) {
    if (records.length === page.limit) break;
    const shaped = shape(record);
    bytes += Buffer.byteLength(JSON.stringify(shaped)) + 1;
    if (records.length > 0 && bytes > maxBytes) break;
    records.push(shaped);
  }
  const more = records.length < read.length;
  return { records, next_after_id: more ? (records[records.length - 1]?.id ?? null) : null };
}
