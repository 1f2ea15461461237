import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { openApiOptions } from '../openapi/openapi-options.js';
import { openApiDocs } from '../schemas/operations.js';

/** Where the description is served. */
export const OPENAPI_PATH = '/openapi.json';

/**
 * `GET /openapi.json`: the OpenAPI 3.1 description of every route of the app, made by
 * @fastify/swagger from the routes as they are registered (docs/decisions/0045-openapi.md).
 * Register it before any other route, so that it sees them all. Anonymous: it describes the API,
 * as the docs do, and reveals no secret. The document is built once, on the first request.
 */
export async function openApiRoute(app: FastifyInstance): Promise<void> {
  await app.register(swagger, openApiOptions());
  app.get(OPENAPI_PATH, { config: { openapi: openApiDocs } }, async (_request, reply) => reply.header('cache-control', 'no-cache').send(app.swagger()));
}
