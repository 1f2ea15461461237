import type { FastifyInstance } from 'fastify';
import { readiness } from '../../observability/readiness.js';
import type { AppDeps } from '../app-deps.js';
import { healthzDocs, readyzDocs } from '../schemas/operations.js';

/**
 * `GET /healthz`: the process serves (always 200 while it does). `GET /readyz`: it should get
 * traffic — 200 when the store answers and the writer keeps up, else 503 with the reasons
 * (docs/operations.md). Neither needs a key nor is rate limited; both answer plain JSON.
 */
export function healthRoutes(app: FastifyInstance, deps: AppDeps, isClosing: () => boolean): void {
  app.get('/healthz', { config: { openapi: healthzDocs } }, async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', { config: { openapi: readyzDocs } }, async (_request, reply) => {
    const report = await readiness(deps, isClosing());
    return reply.code(report.ready ? 200 : 503).header('cache-control', 'no-store').send(report);
  });
}
