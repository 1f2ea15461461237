import type { AttemptOutcome } from '../model/webhooks.js';
import { DAY_US } from '../model/clock.js';

/** An event is retried until this long after it was created, then given up (docs/webhooks.md, "Retries"). */
export const GIVE_UP_AFTER_US = DAY_US;
/** The longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * The wait after the `attempt`-th failed attempt (1 = the first): `baseMs` × 3^(attempt − 1),
 * capped at an hour, times a jitter in [0.75, 1.25) so that endpoints that failed together do
 * not all come back together. With the 10 s default: about 10 s, 30 s, 90 s, 4.5 min, 13.5 min,
 * 40 min, then hourly.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const plain = Math.min(MAX_RETRY_DELAY_MS, baseMs * 3 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(plain * (0.75 + random() * 0.5));
}

/**
 * What a finished attempt means for its event: a 2xx is delivered; anything else is retried after
 * retryDelayMs, but never later than `giveUpAfterUs` after the event was created (the last
 * attempt is made at that moment), and an attempt at or past that moment that fails gives it up.
 */
export function attemptOutcome(input: {
  status: number | null; attempt: number; nowUs: number; createdAtUs: number; baseMs: number; giveUpAfterUs?: number; random?: () => number;
}): AttemptOutcome {
  const { status, attempt, nowUs, createdAtUs, baseMs } = input;
  if (status !== null && status >= 200 && status < 300) return { kind: 'delivered' };
  const deadline = createdAtUs + (input.giveUpAfterUs ?? GIVE_UP_AFTER_US);
  if (nowUs >= deadline) return { kind: 'given_up' };
  return { kind: 'retry', next_attempt_at_us: Math.min(deadline, nowUs + retryDelayMs(attempt, baseMs, input.random) * 1000) };
}
