import type { FastifyRequest } from 'fastify';

/**
 * True when the browser says the request comes from another site: `Sec-Fetch-Site` other than
 * same-origin (or none, typed by the user), or an `Origin` whose host is not the one the request
 * was sent to. Requests from scripts and curl carry neither header and are not cross-site.
 */
export function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.host;
  } catch {
    return true;
  }
}
