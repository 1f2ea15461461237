import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import { requestPath } from '../../request-path.js';
import { isApiPath } from './api-paths.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every route of the public API (api-routes.ts): its answers are signed envelopes and rate limited. */
    api?: boolean;
  }
}

/**
 * Whether a request is one of the public API's, decided on the route the router matched (its
 * `api` config, or the path it was registered under), never on the raw URL, which `/%61pi/v1/…`
 * or an absolute-form target spells differently. A request no route matched counts when its
 * decoded, normalised path is under an API prefix, so its 404 is signed (and rate limited) too.
 */
export function isApiRequest(request: FastifyRequest): boolean {
  const { config, url } = request.routeOptions;
  // Fastify's own contexts (404, bad URL) may carry no config at all.
  if ((config as FastifyContextConfig | undefined)?.api === true) return true;
  return isApiPath(url ?? requestPath(request.url));
}
