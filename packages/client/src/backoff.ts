/** How retries are spaced. */
export interface RetryOptions {
  /** First delay in ms (default 1000). */
  baseMs?: number;
  /** Largest delay in ms (default 5 minutes). */
  maxMs?: number;
}

/**
 * Exponential backoff with full jitter: a random delay in [cap/2, cap] where cap doubles with
 * each failed attempt up to maxMs, so many clients coming back online do not retry in step.
 */
export function backoffMs(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const base = options.baseMs ?? 1000;
  const cap = Math.min(options.maxMs ?? 300_000, base * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** `Retry-After` as ms: delta seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
