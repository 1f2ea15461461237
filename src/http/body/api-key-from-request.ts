const BEARER = /^Bearer\s+/i;

/**
 * The presented API key: `Authorization: Bearer …` first, then the `api_key` field of the
 * body, then of the query string. A non-string value counts as no key.
 */
export function apiKeyFromRequest(authorization: string | undefined, input: Readonly<Record<string, unknown>>): string | null {
  if (authorization !== undefined && BEARER.test(authorization)) return authorization.replace(BEARER, '').trim() || null;
  const field = input['api_key'];
  return typeof field === 'string' ? field.trim() : null;
}
