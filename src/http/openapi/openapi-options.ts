import type { FastifyDynamicSwaggerOptions, SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema } from 'fastify';
import { TALLY_VERSION } from '../../model/version.js';
import { ADMIN_API_PREFIX } from '../plugins/admin/auth.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../plugins/admin/sessions.js';
import { API_PREFIXES } from '../plugins/api/api-paths.js';
import { withoutGetBodies } from './get-bodies.js';
import { withSharedComponents } from './shared-components.js';
import { withStatusDescriptions } from './status-descriptions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A route's OpenAPI description when it must not have a Fastify schema: the public API, which
     * reads its input itself and signs every answer, and the plain routes (health, metrics,
     * dashboard pages) whose answers Fastify must not serialize from a schema. Never compiled.
     */
    openapi?: FastifySchema;
  }
}

/** The parts of the API, in the order the document lists them. */
const TAGS = [
  { name: 'api', description: 'The public API (CONTRACT §2–§5): every answer is a signed envelope; /v1/ paths are the same endpoints for the published SDKs.' },
  { name: 'admin', description: 'The admin API (docs/admin-api.md): plain JSON, admin token, access token or dashboard session.' },
  { name: 'operations', description: 'Health, readiness, metrics and this description.' },
  { name: 'dashboard', description: 'The dashboard\'s login and first-owner pages (its static files are not listed).' },
] as const;

const SECURITY_SCHEMES = {
  apiKeyBearer: { type: 'http', scheme: 'bearer', description: 'An API key as Authorization: Bearer <key> (or the api_key field of the body or query string).' },
  apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key', description: 'An API key as the api_key field.' },
  adminBearer: { type: 'http', scheme: 'bearer', description: 'The admin token or an account\'s access token (docs/accounts.md).' },
  sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: `The dashboard's session (POST /login); a request that changes something must also carry the session's CSRF token in ${CSRF_HEADER} and come from the same site.` },
  metricsBearer: { type: 'http', scheme: 'bearer', description: 'The metrics token, when --metrics-token is set (anonymous otherwise).' },
} as const;

const ADMIN_SECURITY: NonNullable<FastifySchema['security']> = [{ adminBearer: [] }, { sessionCookie: [] }];

/** The tag of a path: which part of Tally it belongs to. */
function tagOf(url: string): (typeof TAGS)[number]['name'] {
  if (API_PREFIXES.some((prefix) => url.startsWith(prefix))) return 'api';
  if (url.startsWith(`${ADMIN_API_PREFIX}/`)) return 'admin';
  if (url === '/login' || url === '/setup') return 'dashboard';
  return 'operations';
}

/**
 * What the document says of a route: its documentation-only `config.openapi` when it has one,
 * else its schema (the admin routes'), with its tag, and the admin API's credentials.
 */
const transform: SwaggerTransform = ({ schema, url, route }) => {
  const described: FastifySchema = route.config?.openapi ?? schema;
  const tag = tagOf(url);
  const security = tag === 'admin' && described.security === undefined ? { security: ADMIN_SECURITY } : {};
  return { schema: { ...described, tags: described.tags ?? [tag], ...security }, url };
};

/** The finishing touches on the document @fastify/swagger made (it makes only OpenAPI documents here). */
const transformObject: SwaggerTransformObject = (document) =>
  ('openapiObject' in document ? withSharedComponents(withStatusDescriptions(withoutGetBodies(document.openapiObject))) : document.swaggerObject);

/** @fastify/swagger's options: an OpenAPI 3.1 document of every route (docs/decisions/0045-openapi.md). */
export function openApiOptions(): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tally',
        version: TALLY_VERSION,
        description: 'Self-hosted telemetry service. The /api/v1 family answers signed envelopes (CONTRACT.md); the admin API answers plain JSON (docs/admin-api.md).',
      },
      tags: [...TAGS],
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform,
    transformObject,
  };
}
