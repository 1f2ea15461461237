import type { FieldValue } from './field-value.js';

/** Any UUID version, either case; stored lowercase. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const EVENT_ID_ERROR = 'The event id field must be a valid UUID.';

/** What a report's optional `event_id` field says: its normalised value, or the error it earns. */
export type EventIdReading = { eventId: string | null; error: null } | { eventId: null; error: string };

/**
 * Reads the client's idempotency key. Absent (or empty after trimming) is fine; anything that is
 * not a UUID is an error, and such a report is stored as an incorrect one without deduplication.
 */
export function readEventId(value: FieldValue): EventIdReading {
  if (value.kind === 'missing') return { eventId: null, error: null };
  if (value.kind === 'string' && UUID.test(value.value)) return { eventId: value.value.toLowerCase(), error: null };
  return { eventId: null, error: EVENT_ID_ERROR };
}

/** The event_id as sent, for `metadata.raw_event_id` when it is not a UUID. */
export function rawEventId(value: FieldValue): unknown {
  if (value.kind === 'string') return value.value;
  return value.kind === 'invalid' ? value.raw : null;
}
