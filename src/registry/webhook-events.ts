import { randomUUID } from 'node:crypto';
import type { AnyWebhookEventType, NewWebhookEvent } from '../model/webhooks.js';

/** µs since the epoch as ISO-8601 with milliseconds, the form event bodies carry. */
function isoMillis(us: number): string {
  return new Date(Math.floor(us / 1000)).toISOString();
}

/**
 * A new event with a fresh id: its body is the exact JSON every delivery posts,
 * `{"id", "type", "created_at", "data"}` (CONTRACT §6). The id stays the same across retries
 * and endpoints, so a receiver dedupes by it.
 */
export function newWebhookEvent(type: AnyWebhookEventType, data: Readonly<Record<string, unknown>>, nowUs: number): NewWebhookEvent {
  const eventId = randomUUID();
  const body = JSON.stringify({ id: eventId, type, created_at: isoMillis(nowUs), data });
  return { event_id: eventId, type, body, created_at_us: nowUs };
}

/** The `data` of a time in an event (`first_seen`): ISO-8601 with milliseconds. */
export function eventTime(us: number): string {
  return isoMillis(us);
}
