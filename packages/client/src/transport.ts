import { retryAfterMs } from './backoff.js';
import { verifyAnswer, type PinnedKey, type VerifiedResponse } from './envelope.js';
import { checkNonce, newNonce } from './nonce.js';

/** What one request came to. */
export type Exchange =
  /** A verified answer Tally gave (any code). */
  | { kind: 'answer'; status: number; response: VerifiedResponse }
  /** Try again later: no connection, a 5xx, or 429 (`retryAfterMs` from a Retry-After header). */
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  /** An answer that could not be verified (tampered, wrong key, not Tally, not bound to this request). */
  | { kind: 'unverified'; error: Error };

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  keys: () => Promise<readonly PinnedKey[]>;
  fetch: typeof fetch;
  /** Send a fresh nonce with every request and refuse answers that do not echo it (default true). */
  requireNonce: boolean;
}

/**
 * POSTs a body with the key as a Bearer header and classifies the outcome. 5xx and 429 are
 * retried whatever their body; every other answer must verify before the client acts on it and,
 * unless turned off, carry the fresh nonce sent in the query string (so the batch endpoint,
 * whose body is the reports, takes it too).
 */
export async function exchange(options: TransportOptions, path: string, body: string, contentType: string, keepalive = false): Promise<Exchange> {
  const url = new URL(path, options.baseUrl);
  const nonce = options.requireNonce ? newNonce() : null;
  if (nonce !== null) url.searchParams.set('nonce', nonce);
  let res: Response;
  let text: string;
  try {
    res = await options.fetch(url, {
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
    const response = await verifyAnswer(text, await options.keys());
    return { kind: 'answer', status: res.status, response: nonce === null ? response : checkNonce(response, nonce) };
  } catch (error) {
    return { kind: 'unverified', error: error instanceof Error ? error : new Error(String(error)) };
  }
}
