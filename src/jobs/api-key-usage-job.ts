import type { ApiKeyUsage } from '../registry/api-key-usage.js';

/** How often the server writes API key last-use times: they may lag by up to this much. */
export const API_KEY_USAGE_FLUSH_MS = 30_000;

export interface ApiKeyUsageJob {
  /** Clears the timer and writes what is still pending (call after the app stops taking requests). */
  stop(): Promise<void>;
}

/**
 * Flushes `usage` every `intervalMs` (default 30 s). A failed flush is logged and its uses are
 * written by the next one; the timer does not keep the process alive.
 */
export function startApiKeyUsageJob(
  usage: ApiKeyUsage,
  options: { intervalMs?: number; log: (line: string) => void },
): ApiKeyUsageJob {
  const flush = (): Promise<void> => usage.flush().catch((error: unknown) => options.log(`api key last-use flush failed: ${String(error)}`));
  const timer = setInterval(() => void flush(), options.intervalMs ?? API_KEY_USAGE_FLUSH_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await flush();
    },
  };
}
