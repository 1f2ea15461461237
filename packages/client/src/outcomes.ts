import type { VerifiedResponse } from './envelope.js';
import type { QueuedReport } from './reports.js';

/** What became of a report. */
export type SendOutcome =
  /** Tally answered for it: 830 stored, 831 stored with errors, 832 stored before (a retry). */
  | { status: 'sent'; eventId: string; code: 830 | 831 | 832; errors: unknown }
  /** Tally refused it for good (a 4xx code such as 100 Invalid API Key); it left the queue. */
  | { status: 'rejected'; eventId: string; code: number; errors: unknown }
  /** Not delivered yet (offline, 5xx, 429): it stays queued and is retried with backoff. */
  | { status: 'queued'; eventId: string; reason: string };

/** Final outcomes for every report of a verified answer, or null when the answer is not final for them one by one. */
export function outcomesOf(batch: readonly QueuedReport[], response: VerifiedResponse): SendOutcome[] | null {
  const { code } = response;
  if (code === 840) {
    const results = response['results'];
    if (!Array.isArray(results) || results.length !== batch.length) return null;
    return batch.map((report, i) => outcomeOf(report, (results[i] ?? {}) as { code?: unknown; errors?: unknown }));
  }
  if (batch.length === 1 && (code === 830 || code === 831 || code === 832)) return [outcomeOf(batch[0]!, response)];
  // Any other 4xx code is final (a bad key, a refused body…), except a batch-shaped refusal, retried singly.
  if ((code === 400 || code === 413) && batch.length > 1) return null;
  if (code >= 100 && code < 1000 && code !== 104) return batch.map((report) => ({ status: 'rejected', eventId: report.event_id, code, errors: response['errors'] }));
  return null;
}

function outcomeOf(report: QueuedReport, result: { code?: unknown; errors?: unknown }): SendOutcome {
  const code = result.code;
  if (code === 830 || code === 831 || code === 832) return { status: 'sent', eventId: report.event_id, code, errors: result.errors };
  return { status: 'rejected', eventId: report.event_id, code: typeof code === 'number' ? code : 0, errors: result.errors };
}

