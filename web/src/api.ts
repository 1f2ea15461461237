/** A failed admin API call: the server's message and per-field errors. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly errors: Record<string, string[]> = {}) {
    super(message);
  }

  /** The message followed by every field error, for a status line. */
  get detail(): string {
    const fields = Object.values(this.errors).flat();
    return [this.message, ...fields].join(' ');
  }
}

let csrfToken = '';

/** The session's CSRF token, sent back in X-Tally-CSRF on every request that changes something. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** Query parameters without the empty ones, as a query string (with its `?`, or ''). */
export function queryString(params: Record<string, string | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(name, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') headers['x-tally-csrf'] = csrfToken;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  if (response.status === 401) window.dispatchEvent(new Event('tally:logged-out'));
  if (response.status === 204) return undefined as T;
  const answer = (await response.json().catch(() => ({}))) as { error?: string; errors?: Record<string, string[]> };
  if (!response.ok) throw new ApiError(response.status, answer.error ?? `HTTP ${response.status}`, answer.errors ?? {});
  return answer as T;
}

export function getJson<T>(path: string, params: Record<string, string | undefined | null> = {}): Promise<T> {
  return call<T>('GET', path + queryString(params));
}

export function sendJson<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return call<T>(method, path, body);
}
