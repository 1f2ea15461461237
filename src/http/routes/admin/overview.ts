import type { FastifyInstance } from 'fastify';
import { nowMicros } from '../../../model/clock.js';
import { overview } from '../../../query/overview.js';
import { queryFields } from '../../body/urlencoded.js';
import type { AppDeps } from '../../app-deps.js';

/** `GET /admin/api/overview?from&to&product_id` (docs/dashboard.md); register through `adminApi`. */
export function adminOverviewRoute(admin: FastifyInstance, deps: AppDeps): void {
  admin.get('/overview', async (request, reply) => {
    const outcome = await overview(deps.store.telemetry, queryFields(request.url), nowMicros());
    if (!outcome.ok) return reply.code(400).send({ error: 'The overview parameters are invalid.', errors: outcome.errors });
    return reply.send(outcome.answer);
  });
}
