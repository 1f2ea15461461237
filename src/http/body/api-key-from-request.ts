import type { FastifyRequest } from 'fastify';

/**
 * The presented API key: `Authorization: Bearer …` first, then the `api_key` field of the
 * body, then of the query string. A non-string value counts as no key.
 */
export function apiKeyFromRequest(request: FastifyRequest, input: Readonly<Record<string, unknown>>): string | null {
  const header = request.headers.authorization;
  if (header !== undefined && /^Bearer\s+/i.test(header)) return header.replace(/^Bearer\s+/i, '').trim() || null;
  const field = input['api_key'];
  return typeof field === 'string' ? field.trim() : null;
}
