import type { FastifyInstance } from 'fastify';
import { nowMicros } from '../../../model/clock.js';
import { piracy } from '../../../query/piracy.js';
import { queryFields } from '../../body/urlencoded.js';
import type { AppDeps } from '../../app-deps.js';

/** `GET /admin/api/piracy?from&to&product_id&top` (docs/dashboard.md); register through `adminApi`. */
export function adminPiracyRoute(admin: FastifyInstance, deps: AppDeps): void {
  admin.get('/piracy', async (request, reply) => {
    const outcome = await piracy(deps.store.telemetry, queryFields(request.url), nowMicros());
    if (!outcome.ok) return reply.code(400).send({ error: 'The piracy parameters are invalid.', errors: outcome.errors });
    return reply.send(outcome.answer);
  });
}
