import { retryAfterMs } from './backoff.js';
import { verifyAnswer, type PinnedKey, type VerifiedResponse } from './envelope.js';

/** What one request came to. */
export type Exchange =
  /** A verified answer Tally gave (any code). */
  | { kind: 'answer'; status: number; response: VerifiedResponse }
  /** Try again later: no connection, a 5xx, or 429 (`retryAfterMs` from a Retry-After header). */
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  /** An answer that could not be verified (tampered, wrong key, not Tally). */
  | { kind: 'unverified'; error: Error };

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  keys: () => Promise<readonly PinnedKey[]>;
  fetch: typeof fetch;
}

/**
 * POSTs a JSON body with the key as a Bearer header and classifies the outcome. 5xx and 429 are
 * retried whatever their body; every other answer must verify before the client acts on it.
 */
export async function exchange(options: TransportOptions, path: string, body: string, contentType: string, keepalive = false): Promise<Exchange> {
  let res: Response;
  let text: string;
  try {
    res = await options.fetch(new URL(path, options.baseUrl), {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${options.apiKey}` },
      body,
      keepalive,
    });
    text = await res.text();
  } catch (error) {
    return { kind: 'retry', reason: error instanceof Error ? error.message : 'network error', retryAfterMs: null };
  }
  if (res.status === 429 || res.status >= 500) {
    return { kind: 'retry', reason: `HTTP ${res.status}`, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) };
  }
  try {
    return { kind: 'answer', status: res.status, response: await verifyAnswer(text, await options.keys()) };
  } catch (error) {
    return { kind: 'unverified', error: error instanceof Error ? error : new Error(String(error)) };
  }
}
