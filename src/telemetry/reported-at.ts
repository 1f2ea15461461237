import { parseInstant } from '../model/parse-instant.js';
import { reportedAtWindow } from '../model/record-time.js';
import type { FieldValue } from './field-value.js';

/** A report's `reported_at`: the time to store (null when absent or refused) and the message when refused. */
export interface ReportedAt {
  us: number | null;
  error: string | null;
}

const ABSENT: ReportedAt = Object.freeze({ us: null, error: null });
const NOT_A_DATE = 'The reported at field must be a valid date.';

/**
 * Reads the optional `reported_at` field (CONTRACT §3): ISO-8601 or Unix seconds, the grammar of
 * the query's `from`/`to` (model/parse-instant.ts). Accepted when it is at most `maxAgeDays` old
 * and at most 5 minutes ahead of `nowUs`; otherwise the report keeps an error for it and no time.
 * An array or object is refused by the generic rule (`must be a string`), so only its time is null here.
 */
export function readReportedAt(value: FieldValue | undefined, nowUs: number, maxAgeDays: number): ReportedAt {
  if (value?.kind !== 'string') return ABSENT;
  const instant = parseInstant(value.value);
  if (instant === null) return { us: null, error: NOT_A_DATE };
  const { lowUs, highUs } = reportedAtWindow(nowUs, maxAgeDays);
  if (instant.us >= lowUs && instant.us <= highUs) return { us: instant.us, error: null };
  const low = isoSeconds(Math.ceil(lowUs / 1_000_000));
  const high = isoSeconds(Math.floor(highUs / 1_000_000));
  return { us: null, error: `The reported at field must be a date between ${low} and ${high}.` };
}

/** `2026-01-01T00:05:00Z`: a bound to the whole second inside the window, as a message shows it. */
function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
