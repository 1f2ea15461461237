import type pg from 'pg';
import type { NewTelemetryRecord } from '../../model/record.js';
import { inTransaction, selectRows, type PgRunner } from './statements.js';

/** Inserts telemetry rows on a runner and returns their ids in input order. */
export type InsertRows = (db: PgRunner, records: readonly NewTelemetryRecord[]) => Promise<number[]>;

// Sorted keys are claimed in one order by every writer, so two overlapping groups cannot deadlock.
const CLAIM_SQL = `INSERT INTO telemetry_event_ids (event_id)
  SELECT e FROM unnest($1::text[]) WITH ORDINALITY AS u(e, ord) ORDER BY ord
  ON CONFLICT DO NOTHING
  RETURNING event_id`;

const LINK_SQL = `UPDATE telemetry_event_ids AS t SET telemetry_id = u.id
  FROM unnest($1::text[], $2::bigint[]) AS u(event_id, id)
  WHERE t.event_id = u.event_id`;

/**
 * `TelemetryStore.insertUnique` for PostgreSQL. Records without event_id take the one-statement
 * path. Otherwise, in one transaction: claim the event ids (`ON CONFLICT DO NOTHING`: a key held
 * by a concurrent uncommitted transaction waits for it, then counts as taken), insert the records
 * whose key was claimed (the first of each key in this group), and link each key to its row.
 */
export async function insertUniqueRows(pool: pg.Pool, records: readonly NewTelemetryRecord[], insertRows: InsertRows): Promise<(number | null)[]> {
  if (records.length === 0) return [];
  if (!records.some((r) => r.event_id)) return insertRows(pool, records);
  return inTransaction(pool, async (client) => {
    const keys = [...new Set(records.flatMap((r) => (r.event_id ? [r.event_id] : [])))].sort();
    const claimed = new Set((await selectRows<{ event_id: string }>(client, CLAIM_SQL, [keys])).map((row) => row.event_id));
    // Set.delete is true once per claimed key: the first record carrying it is stored, later ones are not.
    const keep = records.map((r) => !r.event_id || claimed.delete(r.event_id));
    const kept = records.filter((_, i) => keep[i]);
    const ids = await insertRows(client, kept);
    const linked = kept.map((r, i) => [r.event_id, ids[i]] as const).filter(([eventId]) => eventId);
    if (linked.length > 0) await client.query(LINK_SQL, [linked.map(([e]) => e), linked.map(([, id]) => id)]);
    let next = 0;
    return keep.map((stored) => (stored ? (ids[next++] ?? null) : null));
  });
}
