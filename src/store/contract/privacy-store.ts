import type { PrivacySubject } from '../../model/privacy-subject.js';

/** What an erasure deleted: the records, and the event-id rows that pointed at them. */
export interface ErasureCounts {
  records: number;
  eventIds: number;
}

/** How an erasure walks the table; the defaults suit a running server. */
export interface ErasureOptions {
  /** Ids covered per transaction (one step); the server's other writes commit between steps. Default: per backend. */
  stepIds?: number;
}

/**
 * A person's data in the store (docs/privacy.md). Exporting needs nothing of its own: it reads
 * `TelemetryStore.query` with the subject's filter (model/privacy-subject.ts).
 */
export interface PrivacyStore {
  /**
   * Deletes every record of the subject stored when the call starts, with the rows of
   * `telemetry_event_ids` that point at them, so the same event id sent later is stored again.
   * Walks the records by id range in bounded transactions (every partition of PostgreSQL's
   * table, DEFAULT included; SQLite's time blocks are left as they are, still a superset of
   * their records' times), yielding between them so ingest and queries go on. A record that
   * arrives while it runs may remain; run it again to be sure.
   */
  erase(subject: PrivacySubject, options?: ErasureOptions): Promise<ErasureCounts>;
  /**
   * The setting's stored value; when it has none, stores `value` first. Two processes racing
   * on first start both get the one value that was stored first.
   */
  settingIfAbsent(name: string, value: string): Promise<string>;
}

/**
 * Ids per erasure step by default on PostgreSQL: a step reads at most this many rows by their id
 * index, in one round trip. SQLite steps by its time blocks (4,096 ids, as retention does): its
 * steps run on the server's own thread, so they are kept short.
 */
export const ERASURE_STEP_IDS = 65_536;
